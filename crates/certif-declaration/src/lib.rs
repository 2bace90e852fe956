//! The CDC "accrochage" flow (spec/declaration.md §1, schema `flux-accrochage-1.1.2.xsd`): who
//! obtained a certification, declared to the Caisse des Dépôts.
//!
//! [`passage`] maps an award to what the schema wants, or says everything the record lacks
//! (a holder is never sent half-filled); [`FlowWriter`] writes a flow as the passages come,
//! with a real XML writer (quick-xml), never holding the document in memory. A caller splits
//! at [`MAX_PER_FLOW`] passages.

mod flow;
mod mapping;

pub use flow::{FlowHeader, FlowWriter};
pub use mapping::{Award, Missing, Passage, access_mode, given_names, passage};

/// The most `passageCertification` one flow carries (beyond, numbered files).
pub const MAX_PER_FLOW: usize = 200_000;

/// The flow's namespace.
pub const NAMESPACE: &str = "urn:cdc:cpf:pc5:schema:1.0.0";

/// 16 bytes as a UUID's text (RFC 9562) of `version` (4: random, 8: derived from a name): the
/// version and variant bits set, the rest kept.
pub fn uuid_text(mut bytes: [u8; 16], version: u8) -> String {
    bytes[6] = (bytes[6] & 0x0f) | (version << 4);
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Why a flow's id could not be read.
#[derive(Debug, thiserror::Error)]
#[error("XML illisible : {0}")]
pub struct FlowReadError(String);

/// The `idFlux` of a flow, read from its first elements (the rest of the file is not read).
pub fn flow_id_of(input: impl std::io::BufRead) -> Result<Option<String>, FlowReadError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut in_id = false;
    // idFlux comes first in a flow: a few elements are enough.
    for _ in 0..64 {
        buf.clear();
        match reader.read_event_into(&mut buf).map_err(|e| FlowReadError(e.to_string()))? {
            Event::Start(e) => in_id = e.local_name().into_inner() == "idFlux",
            Event::Text(text) if in_id => {
                let id = text.trim().to_string();
                return Ok(Some(id).filter(|id| !id.is_empty()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flow_s_id_is_read_from_its_start() {
        let flow = r#"<?xml version="1.0" encoding="UTF-8"?><cpf:flux xmlns:cpf="urn:cdc:cpf:pc5:schema:1.0.0"><cpf:idFlux>0d8c5f1e-0000-4000-8000-000000000001</cpf:idFlux><cpf:horodatage>x</cpf:horodatage></cpf:flux>"#;
        assert_eq!(flow_id_of(flow.as_bytes()).unwrap().as_deref(), Some("0d8c5f1e-0000-4000-8000-000000000001"));
        assert_eq!(flow_id_of(&b"<a><b>x</b></a>"[..]).unwrap(), None);
        assert!(flow_id_of(&b"<a><b>x</c></a>"[..]).is_err());
        assert_eq!(flow_id_of(&b"not xml at all"[..]).unwrap(), None);
    }
}
