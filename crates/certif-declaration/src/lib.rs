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
