//! The flow written as the passages come (quick-xml), in the schema's element names and
//! namespace; nothing is held but the writer.

use std::io::{self, Write};

use chrono::{DateTime, FixedOffset};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::NAMESPACE;
use crate::mapping::Passage;

/// What a flow says of itself, its emitter and its certifier (from configuration).
#[derive(Debug, Clone)]
pub struct FlowHeader {
    /// A fresh UUID.
    pub flow_id: String,
    pub timestamp: DateTime<FixedOffset>,
    pub emitter_id_client: String,
    pub certifier_id_client: String,
    pub certifier_contract_id: String,
    /// The certification's code (`RNCP39668`).
    pub certification: String,
}

/// One flow being written: [`FlowWriter::start`], a [`FlowWriter::passage`] per award, then
/// [`FlowWriter::finish`].
pub struct FlowWriter<W: Write> {
    xml: Writer<W>,
    passages: usize,
}

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

impl<W: Write> FlowWriter<W> {
    /// Writes the flow up to its first passage.
    pub fn start(out: W, header: &FlowHeader) -> io::Result<FlowWriter<W>> {
        let mut writer = FlowWriter { xml: Writer::new_with_indent(out, b' ', 2), passages: 0 };
        writer.xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        writer
            .xml
            .write_event(Event::Start(BytesStart::new("cpf:flux").with_attributes([("xmlns:cpf", NAMESPACE), ("xmlns:xsi", XSI)])))?;
        writer.leaf("idFlux", &header.flow_id)?;
        writer.leaf("horodatage", &header.timestamp.format("%Y-%m-%dT%H:%M:%S%:z").to_string())?;
        writer.open("emetteur")?;
        writer.leaf("idClient", &header.emitter_id_client)?;
        writer.open("certificateurs")?;
        writer.open("certificateur")?;
        writer.leaf("idClient", &header.certifier_id_client)?;
        writer.leaf("idContrat", &header.certifier_contract_id)?;
        writer.open("certifications")?;
        writer.open("certification")?;
        writer.leaf("type", "RNCP")?;
        writer.leaf("code", &header.certification)?;
        writer.leaf("natureDeposant", "CERTIFICATEUR")?;
        writer.open("passageCertifications")?;
        Ok(writer)
    }

    fn open(&mut self, name: &str) -> io::Result<()> {
        self.xml.write_event(Event::Start(BytesStart::new(format!("cpf:{name}"))))
    }

    fn close(&mut self, name: &str) -> io::Result<()> {
        self.xml.write_event(Event::End(BytesEnd::new(format!("cpf:{name}"))))
    }

    /// An element with its text, escaped by the writer.
    fn leaf(&mut self, name: &str, text: &str) -> io::Result<()> {
        self.xml.create_element(format!("cpf:{name}")).write_text_content(BytesText::new(text))?;
        Ok(())
    }

    /// An element the schema requires but that has no value here: `xsi:nil`, never empty text.
    fn nil(&mut self, name: &str) -> io::Result<()> {
        self.xml.create_element(format!("cpf:{name}")).with_attribute(("xsi:nil", "true")).write_empty()?;
        Ok(())
    }

    /// Writes one award's `passageCertification`.
    pub fn passage(&mut self, p: &Passage) -> io::Result<()> {
        let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        self.open("passageCertification")?;
        self.leaf("idTechnique", &p.id_technique)?;
        if let Some(url) = &p.proof_url {
            self.leaf("urlPreuve", url)?;
        }
        self.leaf("obtentionCertification", "PAR_ADMISSION")?;
        self.leaf("donneeCertifiee", "true")?;
        self.leaf("dateDebutValidite", &date(p.valid_from))?;
        self.nil("dateFinValidite")?;
        match &p.english_level {
            Some(level) => {
                self.leaf("presenceNiveauLangueEuro", "true")?;
                self.leaf("niveauLangueEuropeen", level)?;
            }
            None => self.leaf("presenceNiveauLangueEuro", "false")?,
        }
        self.leaf("presenceNiveauNumeriqueEuro", "false")?;
        self.nil("scoring")?;
        self.nil("mentionValidee")?;
        self.open("modalitesInscription")?;
        self.leaf("modaliteAcces", p.access_mode)?;
        if p.vae {
            self.leaf("voieAccessVAE", "VAE_CLASSIQUE")?;
        }
        if let Some(enrolled) = p.enrolled_on {
            self.leaf("dateInscription", &date(enrolled))?;
        }
        self.close("modalitesInscription")?;
        self.open("identificationTitulaire")?;
        self.open("titulaire")?;
        self.leaf("nomNaissance", &p.birth_name)?;
        match &p.usage_name {
            Some(name) => self.leaf("nomUsage", name)?,
            None => self.nil("nomUsage")?,
        }
        for (i, name) in p.given_names.iter().enumerate() {
            if let Some(name) = name {
                self.leaf(&format!("prenom{}", i + 1), name)?;
            }
        }
        use chrono::Datelike as _;
        self.leaf("anneeNaissance", &p.birth_date.year().to_string())?;
        self.leaf("moisNaissance", &p.birth_date.month().to_string())?;
        self.leaf("jourNaissance", &p.birth_date.day().to_string())?;
        self.leaf("sexe", p.sex)?;
        self.open("codeCommuneNaissance")?;
        self.open("codeInseeNaissance")?;
        self.leaf("codeInsee", &p.birth_insee)?;
        self.close("codeInseeNaissance")?;
        self.close("codeCommuneNaissance")?;
        self.close("titulaire")?;
        self.close("identificationTitulaire")?;
        self.close("passageCertification")?;
        self.passages += 1;
        Ok(())
    }

    /// How many passages are written so far.
    pub fn passages(&self) -> usize {
        self.passages
    }

    /// Closes the flow; answers the output.
    pub fn finish(mut self) -> io::Result<W> {
        for name in ["passageCertifications", "certification", "certifications", "certificateur", "certificateurs", "emetteur", "flux"] {
            self.close(name)?;
        }
        let mut out = self.xml.into_inner();
        out.write_all(b"\n")?;
        out.flush()?;
        Ok(out)
    }
}
