//! Synthetic exports in the shape of France Compétences' file, for tests and benchmarks that
//! need the full size (about 30,000 fiches, 1 GB) without committing such a file. Fiches are
//! written one at a time, so generating costs no more memory than one fiche.
//!
//! Fiche `n` (from 0) has code [`code_of`]`(n)`, links to fiches `n - 1` and `n + 1`, five
//! blocks of six competencies (written as a `*`/`o` list with two sub-items each when `n` is
//! even, as items run together on one line when `n` is odd), six routes of which the student
//! route is closed when `n % 5 == 0`, and elements certif does not read, as the real file has.

use std::io::{self, Write};

/// The RNCP code of generated fiche `n`.
pub fn code_of(n: usize) -> String {
    format!("RNCP9{n:05}")
}

/// Competencies per generated block, and blocks per generated fiche.
pub const COMPETENCIES_PER_BLOCK: usize = 6;
pub const BLOCKS_PER_FICHE: usize = 5;

const FILLER: &str =
    "Analyser les besoins, concevoir une solution, la mettre en œuvre et en évaluer les effets dans le respect des normes en vigueur. ";

/// Writes an export of `fiches` generated fiches to `out`; returns the bytes written.
pub fn write_export(out: impl Write, fiches: usize) -> io::Result<u64> {
    let mut out = Counting { inner: out, written: 0 };
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<FICHES>\n    <VERSION_FLUX>4.1</VERSION_FLUX>\n")?;
    let mut fiche = String::with_capacity(40_000);
    for n in 0..fiches {
        fiche.clear();
        write_fiche(&mut fiche, n, fiches);
        out.write_all(fiche.as_bytes())?;
    }
    out.write_all(b"</FICHES>\n")?;
    out.flush()?;
    Ok(out.written)
}

fn write_fiche(f: &mut String, n: usize, fiches: usize) {
    use std::fmt::Write as _;
    let code = code_of(n);
    let level = 3 + n % 6;
    let _ = write!(f, "    <FICHE>\n        <ID_FICHE>{}</ID_FICHE>\n        <NUMERO_FICHE>{code}</NUMERO_FICHE>\n", 40_000 + n);
    if n + 1 < fiches {
        let _ = write!(
            f,
            "        <NOUVELLES_CERTIFICATIONS>\n            <NOUVELLE_CERTIFICATION>\n                <ID_FICHE_NOUVELLE_CERTIFICATION>{}</ID_FICHE_NOUVELLE_CERTIFICATION>\n            </NOUVELLE_CERTIFICATION>\n        </NOUVELLES_CERTIFICATIONS>\n",
            code_of(n + 1)
        );
    }
    if n > 0 {
        let _ = write!(
            f,
            "        <ANCIENNES_CERTIFICATIONS>\n            <ANCIENNE_CERTIFICATION>\n                <ID_FICHE_ANCIENNE_CERTIFICATION>{}</ID_FICHE_ANCIENNE_CERTIFICATION>\n            </ANCIENNE_CERTIFICATION>\n        </ANCIENNES_CERTIFICATIONS>\n",
            code_of(n - 1)
        );
    }
    let _ = write!(
        f,
        "        <INTITULE>Certification de synthèse n° {n} : ingénierie &amp; méthodes de l’industrie</INTITULE>
        <ABREGE>
            <CODE>TP</CODE>
            <LIBELLE>Titre professionnel</LIBELLE>
        </ABREGE>
        <ETAT_FICHE>Publiée</ETAT_FICHE>
        <FORMACODES>
            <FORMACODE><CODE>31654</CODE><LIBELLE>Génie industriel</LIBELLE></FORMACODE>
            <FORMACODE><CODE>31606</CODE><LIBELLE>Méthodes industrialisation</LIBELLE></FORMACODE>
        </FORMACODES>
        <NOMENCLATURE_EUROPE>
            <NIVEAU>NIV{level}</NIVEAU>
            <LIBELLE>Niveau {level}</LIBELLE>
        </NOMENCLATURE_EUROPE>
        <CODES_NSF>
            <NSF><CODE>200p</CODE><LIBELLE>Méthodes industrielles</LIBELLE></NSF>
        </CODES_NSF>
        <CERTIFICATEURS>
            <CERTIFICATEUR>
                <SIRET_CERTIFICATEUR>{:014}</SIRET_CERTIFICATEUR>
                <NOM_CERTIFICATEUR>ORGANISME CERTIFICATEUR N° {n}</NOM_CERTIFICATEUR>
                <ETAT_CERTIFICATEUR>Actif</ETAT_CERTIFICATEUR>
                <DATE_DERNIERE_MODIFICATION_ETAT>09/03/2021</DATE_DERNIERE_MODIFICATION_ETAT>
            </CERTIFICATEUR>
        </CERTIFICATEURS>
        <EXISTENCE_PARTENAIRES>Non</EXISTENCE_PARTENAIRES>
",
        19_860_073_600_000u64 + n as u64
    );
    for tag in ["ACTIVITES_VISEES", "CAPACITES_ATTESTEES", "SECTEURS_ACTIVITE", "TYPE_EMPLOI_ACCESSIBLES"] {
        let _ = writeln!(f, "        <{tag}>{}</{tag}>", FILLER.repeat(20));
    }
    f.push_str(
        "        <CODES_ROME>
            <ROME><CODE>H1402</CODE><LIBELLE>Management et ingénierie méthodes et industrialisation</LIBELLE></ROME>
            <ROME><CODE>H1206</CODE><LIBELLE>Management et ingénierie études, recherche et développement industriel</LIBELLE></ROME>
        </CODES_ROME>
        <PUBLICATION_DECRET_GENERAL>
            <PUBLICATION_JO><DATE_PUBLICATION_JO>01/01/2024</DATE_PUBLICATION_JO><TITRE>Arrêté</TITRE></PUBLICATION_JO>
        </PUBLICATION_DECRET_GENERAL>
        <LIEN_URL_DESCRIPTION/>
",
    );
    for route in ["FI", "CA", "FC", "CQ", "CL", "VAE"] {
        if route == "FI" && n.is_multiple_of(5) {
            let _ = writeln!(f, "        <SI_JURY_{route}>\n            <ACTIF>Non</ACTIF>\n        </SI_JURY_{route}>");
        } else {
            let _ = writeln!(
                f,
                "        <SI_JURY_{route}>\n            <ACTIF>Oui</ACTIF>\n            <COMPOSITION>Le jury est composé :     - du directeur ou de son représentant, président ;     - de deux professionnels du secteur.</COMPOSITION>\n        </SI_JURY_{route}>"
            );
        }
    }
    f.push_str("        <DATE_FIN_ENREGISTREMENT>31/08/2029</DATE_FIN_ENREGISTREMENT>\n        <DATE_EFFET>01/09/2024</DATE_EFFET>\n        <BLOCS_COMPETENCES>\n");
    for b in 1..=BLOCKS_PER_FICHE {
        let _ = write!(
            f,
            "            <BLOC_COMPETENCES>\n                <CODE>{code}BC0{b}</CODE>\n                <LIBELLE>Bloc {b} de {code}</LIBELLE>\n                <LISTE_COMPETENCES>"
        );
        for c in 1..=COMPETENCIES_PER_BLOCK {
            if n.is_multiple_of(2) {
                let _ = write!(f, "    * Compétence {c} du bloc {b}            o {FILLER}            o {FILLER}  ");
            } else {
                let _ = write!(f, "Compétence {c} du bloc {b} : {FILLER}      ");
            }
        }
        let _ = write!(
            f,
            "</LISTE_COMPETENCES>\n                <MODALITES_EVALUATION>{}</MODALITES_EVALUATION>\n            </BLOC_COMPETENCES>\n",
            FILLER.repeat(8)
        );
    }
    let _ = write!(
        f,
        "        </BLOCS_COMPETENCES>\n        <TYPE_ENREGISTREMENT>Enregistrement sur demande</TYPE_ENREGISTREMENT>\n        <OBJECTIFS_CONTEXTE>{}</OBJECTIFS_CONTEXTE>\n        <ACTIF>{}</ACTIF>\n        <DATE_DE_PUBLICATION>15/06/2024</DATE_DE_PUBLICATION>\n",
        FILLER.repeat(20),
        if n.is_multiple_of(4) { "Non" } else { "Oui" }
    );
    if n.is_multiple_of(3) {
        f.push_str("        <DATE_LIMITE_DELIVRANCE>31/08/2032</DATE_LIMITE_DELIVRANCE>\n");
    }
    f.push_str("    </FICHE>\n");
}

/// Counts what goes through, so the caller learns the size without a second pass.
struct Counting<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(bytes)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use certif_core::AccessRoute;

    #[test]
    fn a_generated_export_reads_back_fiche_for_fiche() {
        let mut bytes = Vec::new();
        let size = write_export(&mut bytes, 200).unwrap();
        assert_eq!(size, bytes.len() as u64);
        let size_each = size / 200;
        assert!((30_000..40_000).contains(&size_each), "fiches are about the real size: {size_each} bytes each");
        let mut fiches = crate::Fiches::new(bytes.as_slice());
        let mut n = 0;
        for fiche in fiches.by_ref() {
            let fiche = fiche.unwrap();
            let c = &fiche.certification;
            assert_eq!(c.code, code_of(n));
            assert_eq!(c.level, Some(3 + (n % 6) as u8));
            assert_eq!(c.predecessors.len(), usize::from(n > 0));
            assert_eq!(c.successors.len(), usize::from(n < 199));
            assert_eq!(c.blocks.len(), BLOCKS_PER_FICHE);
            let competencies = &c.blocks[4].competencies;
            assert_eq!(competencies.len(), COMPETENCIES_PER_BLOCK);
            assert_eq!(competencies[5].id, format!("{}BC05-C6", code_of(n)));
            assert_eq!(competencies[0].details.len(), if n.is_multiple_of(2) { 2 } else { 0 });
            assert_eq!(c.access_routes.len(), 6);
            assert_eq!(c.route_is_open(AccessRoute::Student), !n.is_multiple_of(5));
            assert_eq!(c.access_routes[5].jury.len(), 3);
            assert_eq!(fiche.active, !n.is_multiple_of(4));
            assert_eq!(fiche.delivery_deadline.is_some(), n.is_multiple_of(3));
            n += 1;
        }
        assert_eq!(n, 200);
        assert_eq!(fiches.format_version(), Some("4.1"));
        let summary = fiches.summary();
        assert_eq!((summary.fiches, summary.blocks, summary.bytes), (200, 1000, size));
    }
}
