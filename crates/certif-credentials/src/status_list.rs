//! The W3C Bitstring Status List (revocation): the bits, their encoding (GZIP, then base64url
//! without padding, multibase prefix `u`) and the `BitstringStatusListCredential` that carries
//! them. Index 0 is the left-most bit: the most significant bit of the first byte.

use std::io::{Read, Write};

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use chrono::{DateTime, SubsecRound, Utc};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};

use crate::credential::VC_CONTEXT;
use crate::dates::{rfc3339, rfc3339_option};

/// The spec's minimum for herd privacy: 16 KiB of bits.
pub const MIN_ENTRIES: usize = 131_072;
/// The most a decoded list may hold (16 MiB, 134 million entries): beyond it the list is
/// refused, so a small hostile GZIP cannot exhaust memory.
pub const MAX_DECODED_BYTES: usize = 16 * 1024 * 1024;
/// A list that compresses worst of all still fits well within this.
const MAX_ENCODED_CHARS: usize = MAX_DECODED_BYTES / 3 * 4 + 4096;

/// Padding tolerated on decoding (the spec writes none).
const BASE64URL_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_encode_padding(false).with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum StatusListError {
    #[error("a status list holds at least {MIN_ENTRIES} entries, not {0}")]
    TooShort(usize),
    #[error("a status list holds at most {} entries", MAX_DECODED_BYTES * 8)]
    TooLong,
    #[error("index {index} is outside the list ({len} entries)")]
    IndexOutOfRange { index: u64, len: usize },
    #[error("encodedList is not multibase base64url (it must start with 'u')")]
    NotMultibase,
    #[error("encodedList is not base64url: {0}")]
    Base64(String),
    #[error("encodedList is not GZIP (or could not be compressed): {0}")]
    Gzip(String),
}

/// The bits of one list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    bytes: Vec<u8>,
}

impl StatusList {
    /// A list of `entries` bits (rounded up to whole bytes), all clear.
    pub fn new(entries: usize) -> Result<Self, StatusListError> {
        if entries < MIN_ENTRIES {
            return Err(StatusListError::TooShort(entries));
        }
        let bytes = entries.div_ceil(8);
        if bytes > MAX_DECODED_BYTES {
            return Err(StatusListError::TooLong);
        }
        Ok(Self { bytes: vec![0; bytes] })
    }

    /// The smallest list the spec allows.
    pub fn minimal() -> Self {
        Self { bytes: vec![0; MIN_ENTRIES / 8] }
    }

    pub fn len(&self) -> usize {
        self.bytes.len() * 8
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn position(&self, index: u64) -> Result<(usize, u8), StatusListError> {
        let out_of_range = StatusListError::IndexOutOfRange { index, len: self.len() };
        let index = usize::try_from(index).map_err(|_| out_of_range.clone())?;
        if index >= self.len() {
            return Err(out_of_range);
        }
        Ok((index / 8, 0x80 >> (index % 8)))
    }

    pub fn get(&self, index: u64) -> Result<bool, StatusListError> {
        let (byte, mask) = self.position(index)?;
        Ok(self.bytes[byte] & mask != 0)
    }

    pub fn set(&mut self, index: u64, value: bool) -> Result<(), StatusListError> {
        let (byte, mask) = self.position(index)?;
        if value {
            self.bytes[byte] |= mask;
        } else {
            self.bytes[byte] &= !mask;
        }
        Ok(())
    }

    /// The raw bytes, index 0 in the high bit of byte 0.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// `encodedList`: GZIP, base64url without padding, prefixed `u`.
    pub fn encode(&self) -> Result<String, StatusListError> {
        let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
        let compressed = gzip.write_all(&self.bytes).and_then(|()| gzip.finish()).map_err(|e| StatusListError::Gzip(e.to_string()))?;
        Ok(format!("u{}", URL_SAFE_NO_PAD.encode(compressed)))
    }

    /// Reads `encodedList`, refusing anything that would decompress beyond the bound.
    pub fn decode(encoded: &str) -> Result<Self, StatusListError> {
        let body = encoded.strip_prefix('u').ok_or(StatusListError::NotMultibase)?;
        if body.len() > MAX_ENCODED_CHARS {
            return Err(StatusListError::TooLong);
        }
        let compressed = BASE64URL_LENIENT.decode(body).map_err(|e| StatusListError::Base64(e.to_string()))?;
        let mut bytes = Vec::new();
        GzDecoder::new(compressed.as_slice())
            .take(MAX_DECODED_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| StatusListError::Gzip(e.to_string()))?;
        if bytes.len() > MAX_DECODED_BYTES {
            return Err(StatusListError::TooLong);
        }
        if bytes.len() * 8 < MIN_ENTRIES {
            return Err(StatusListError::TooShort(bytes.len() * 8));
        }
        Ok(Self { bytes })
    }
}

/// The signed list, served at a stable URL (`/status/{list}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusListCredential {
    #[serde(rename = "@context")]
    pub context: Vec<String>,
    pub id: String,
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub issuer: String,
    #[serde(with = "rfc3339")]
    pub valid_from: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rfc3339_option")]
    pub valid_until: Option<DateTime<Utc>>,
    pub credential_subject: StatusListSubject,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusListSubject {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub status_purpose: String,
    pub encoded_list: String,
}

impl StatusListCredential {
    /// The revocation list `list_url` as of `now`, issued by `issuer_id`.
    pub fn revocation(list_url: &str, issuer_id: &str, now: DateTime<Utc>, list: &StatusList) -> Result<Self, StatusListError> {
        Ok(Self {
            context: vec![VC_CONTEXT.into()],
            id: list_url.into(),
            types: vec!["VerifiableCredential".into(), "BitstringStatusListCredential".into()],
            issuer: issuer_id.into(),
            valid_from: now.trunc_subsecs(0),
            valid_until: None,
            credential_subject: StatusListSubject {
                id: format!("{list_url}#list"),
                kind: "BitstringStatusList".into(),
                status_purpose: "revocation".into(),
                encoded_list: list.encode()?,
            },
        })
    }

    pub fn list(&self) -> Result<StatusList, StatusListError> {
        StatusList::decode(&self.credential_subject.encoded_list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // Padded on purpose: decoding tolerates it.
    use base64::engine::general_purpose::URL_SAFE;

    #[test]
    fn index_zero_is_the_most_significant_bit_of_the_first_byte() {
        let mut list = StatusList::minimal();
        list.set(0, true).unwrap();
        list.set(9, true).unwrap();
        list.set(15, true).unwrap();
        list.set(131_071, true).unwrap();
        // Hand-made vector: bits 0, 9, 15 → 0b1000_0000, 0b0100_0001; the last bit → 0x01.
        assert_eq!(&list.as_bytes()[..3], &[0x80, 0x41, 0x00]);
        assert_eq!(list.as_bytes()[16_383], 0x01);
        assert!(list.get(0).unwrap() && list.get(9).unwrap() && !list.get(1).unwrap());
        list.set(9, false).unwrap();
        assert_eq!(list.as_bytes()[1], 0x01);
    }

    #[test]
    fn a_hand_made_encoded_list_decodes_to_the_expected_bits() {
        // Made outside this crate: Python's `gzip.compress(mtime=0)` of 16,384 bytes whose first
        // byte is 0b0010_0000 (index 2 set), base64url without padding, prefixed 'u'.
        let encoded = "uH4sIAAAAAAACA-3BIQEAAAACIKf4f6UzLEADAAAAAAAAAAAAAAAAAAAAvA1-s-l1AEAAAA";
        let list = StatusList::decode(encoded).unwrap();
        assert_eq!(list.len(), MIN_ENTRIES);
        assert!(list.get(2).unwrap());
        assert_eq!((0..MIN_ENTRIES as u64).filter(|&i| list.get(i).unwrap()).count(), 1);
    }

    #[test]
    fn encode_then_decode_gives_the_same_bits() {
        let mut list = StatusList::new(200_000).unwrap();
        for index in [0, 1, 7, 8, 94_567, 199_999] {
            list.set(index, true).unwrap();
        }
        let encoded = list.encode().unwrap();
        assert!(encoded.starts_with('u') && !encoded.contains('='));
        assert_eq!(StatusList::decode(&encoded).unwrap(), list);
    }

    #[test]
    fn lists_below_the_herd_privacy_minimum_are_refused() {
        assert_eq!(StatusList::new(1000), Err(StatusListError::TooShort(1000)));
        let small = format!("u{}", URL_SAFE.encode(gzip(&[0u8; 100])));
        assert_eq!(StatusList::decode(&small), Err(StatusListError::TooShort(800)));
    }

    #[test]
    fn a_gzip_bomb_is_refused_at_the_bound() {
        let bomb = format!("u{}", URL_SAFE.encode(gzip(&vec![0u8; MAX_DECODED_BYTES + 1])));
        assert_eq!(StatusList::decode(&bomb), Err(StatusListError::TooLong));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert_eq!(StatusList::decode("H4sI"), Err(StatusListError::NotMultibase));
        assert!(matches!(StatusList::decode("u!!!"), Err(StatusListError::Base64(_))));
        assert!(matches!(StatusList::decode("uAAAA"), Err(StatusListError::Gzip(_))));
        let list = StatusList::minimal();
        assert!(matches!(list.get(u64::MAX), Err(StatusListError::IndexOutOfRange { .. })));
        assert!(matches!(list.get(131_072), Err(StatusListError::IndexOutOfRange { .. })));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

        #[test]
        fn the_bits_set_are_the_bits_read_after_a_round_trip(
            indexes in proptest::collection::btree_set(0u64..(MIN_ENTRIES as u64), 0..64)
        ) {
            let mut list = StatusList::minimal();
            for &index in &indexes {
                list.set(index, true).unwrap();
            }
            let back = StatusList::decode(&list.encode().unwrap()).unwrap();
            let set: std::collections::BTreeSet<u64> = (0..MIN_ENTRIES as u64).filter(|&i| back.get(i).unwrap()).collect();
            proptest::prop_assert_eq!(set, indexes);
        }
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }
}
