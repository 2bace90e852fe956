//! Synthetic exports in the shape of France Compétences' file, for tests and benchmarks that
//! need the full size (30,000 fiches, about 1 GB) without committing such a file.

use std::io::{self, Write};

/// Writes an export of `fiches` generated fiches to `out`, streaming (nothing is held).
/// Fiche `n` has code `RNCP9{n:05}`, five blocks, and links to its predecessor.
pub fn write_export(mut out: impl Write, fiches: usize) -> io::Result<u64> {
    let mut written = 0u64;
    let mut emit = |out: &mut dyn Write, text: &str| -> io::Result<()> {
        written += text.len() as u64;
        out.write_all(text.as_bytes())
    };
    emit(&mut out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<FICHES>\n    <VERSION_FLUX>4.1</VERSION_FLUX>\n")?;
    let filler =
        "Analyser les besoins, concevoir une solution, la mettre en œuvre et en évaluer les effets dans le respect des normes en vigueur. ";
    for n in 0..fiches {
        let code = format!("RNCP9{n:05}");
        let mut fiche = String::with_capacity(36_000);
        fiche.push_str(&format!("    <FICHE>\n        <ID_FICHE>{}</ID_FICHE>\n        <NUMERO_FICHE>{code}</NUMERO_FICHE>\n", 40_000 + n));
        if n > 0 {
            fiche.push_str(&format!(
                "        <ANCIENNES_CERTIFICATIONS><ANCIENNE_CERTIFICATION><ID_FICHE_ANCIENNE_CERTIFICATION>RNCP9{:05}</ID_FICHE_ANCIENNE_CERTIFICATION></ANCIENNE_CERTIFICATION></ANCIENNES_CERTIFICATIONS>\n",
                n - 1
            ));
        }
        fiche.push_str(&format!(
            "        <INTITULE>Certification de synthèse n° {n} : ingénierie &amp; méthodes</INTITULE>\n        <ABREGE><CODE>TP</CODE><LIBELLE>Titre professionnel</LIBELLE></ABREGE>\n        <ETAT_FICHE>Publiée</ETAT_FICHE>\n        <FORMACODES><FORMACODE><CODE>31654</CODE><LIBELLE>Génie industriel</LIBELLE></FORMACODE></FORMACODES>\n        <NOMENCLATURE_EUROPE><NIVEAU>NIV{}</NIVEAU><LIBELLE>Niveau {}</LIBELLE></NOMENCLATURE_EUROPE>\n        <CODES_NSF><NSF><CODE>200p</CODE><LIBELLE>Méthodes industrielles</LIBELLE></NSF></CODES_NSF>\n        <CERTIFICATEURS><CERTIFICATEUR><SIRET_CERTIFICATEUR>19860073600021</SIRET_CERTIFICATEUR><NOM_CERTIFICATEUR>CERTIFICATEUR {n}</NOM_CERTIFICATEUR><ETAT_CERTIFICATEUR>Actif</ETAT_CERTIFICATEUR></CERTIFICATEUR></CERTIFICATEURS>\n",
            3 + n % 6,
            3 + n % 6
        ));
        for tag in ["ACTIVITES_VISEES", "CAPACITES_ATTESTEES", "SECTEURS_ACTIVITE", "TYPE_EMPLOI_ACCESSIBLES", "OBJECTIFS_CONTEXTE"] {
            fiche.push_str(&format!("        <{tag}>{}</{tag}>\n", filler.repeat(18)));
        }
        fiche.push_str("        <CODES_ROME><ROME><CODE>H1402</CODE><LIBELLE>Management et ingénierie méthodes et industrialisation</LIBELLE></ROME></CODES_ROME>\n");
        for route in ["FI", "CA", "FC", "CQ", "CL", "VAE"] {
            fiche.push_str(&format!(
                "        <SI_JURY_{route}><ACTIF>Oui</ACTIF><COMPOSITION>Le jury est composé :     - du directeur ou de son représentant ;     - de deux professionnels du secteur.</COMPOSITION></SI_JURY_{route}>\n"
            ));
        }
        fiche.push_str("        <DATE_FIN_ENREGISTREMENT>31/08/2029</DATE_FIN_ENREGISTREMENT>\n        <DATE_EFFET>01/09/2024</DATE_EFFET>\n        <BLOCS_COMPETENCES>\n");
        for b in 1..=5 {
            fiche.push_str(&format!(
                "            <BLOC_COMPETENCES><CODE>{code}BC0{b}</CODE><LIBELLE>Bloc {b} de {code}</LIBELLE><LISTE_COMPETENCES>"
            ));
            for c in 1..=6 {
                fiche.push_str(&format!("    * Compétence {c} du bloc {b}            o {filler}            o {filler}  "));
            }
            fiche.push_str(&format!(
                "</LISTE_COMPETENCES><MODALITES_EVALUATION>{}</MODALITES_EVALUATION></BLOC_COMPETENCES>\n",
                filler.repeat(8)
            ));
        }
        fiche.push_str(&format!(
            "        </BLOCS_COMPETENCES>\n        <ACTIF>{}</ACTIF>\n        <DATE_DE_PUBLICATION>15/06/2024</DATE_DE_PUBLICATION>\n    </FICHE>\n",
            if n % 4 == 0 { "Non" } else { "Oui" }
        ));
        emit(&mut out, &fiche)?;
    }
    emit(&mut out, "</FICHES>\n")?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_export_reads_back_fiche_for_fiche() {
        let mut bytes = Vec::new();
        let size = write_export(&mut bytes, 200).unwrap();
        assert_eq!(size, bytes.len() as u64);
        let mut codes = Vec::new();
        let summary = crate::read_export(bytes.as_slice(), |fiche| {
            assert_eq!(fiche.certification.blocks.len(), 5);
            assert_eq!(fiche.certification.blocks[0].competencies.len(), 6);
            assert_eq!(fiche.certification.blocks[0].competencies[0].details.len(), 2);
            codes.push(fiche.certification.code);
            Ok::<(), crate::RncpXmlError>(())
        })
        .unwrap();
        assert_eq!(summary.fiches, 200);
        assert_eq!(codes[199], "RNCP900199");
        assert!(size / 200 > 30_000, "fiches are about the real size: {} bytes each", size / 200);
    }
}
