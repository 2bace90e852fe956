//! Hostile input: the verifier, the status list decoder and the key readers answer with failed
//! checks or errors, never a panic, and never call a forgery valid.

mod common;

use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use certif_credentials::{Check, IssuerKey, Jwks, Reason, SealedKey, StatusList, verify_credential};
use common::*;
use proptest::prelude::*;

struct Fixture {
    issuer: Issuer,
    token: String,
    list: String,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let issuer = Issuer::new();
    let token = issuer.sign(&title_input());
    let list = issuer.status_list(&[]);
    Fixture { issuer, token, list }
});

const BASE64URL: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_string_is_refused_with_every_check_reported(token in any::<String>()) {
        let fixture = &*FIXTURE;
        let verification = verify_credential(&token, &fixture.issuer.jwks, Some(&fixture.list), today());
        prop_assert!(!verification.is_valid());
        prop_assert_eq!(verification.checks.len(), 7);
    }

    #[test]
    fn three_base64url_parts_of_random_bytes_are_refused(
        header in proptest::collection::vec(any::<u8>(), 0..200),
        payload in proptest::collection::vec(any::<u8>(), 0..400),
        signature in proptest::collection::vec(any::<u8>(), 0..100),
    ) {
        let fixture = &*FIXTURE;
        let token = format!("{}.{}.{}", URL_SAFE_NO_PAD.encode(header), URL_SAFE_NO_PAD.encode(payload), URL_SAFE_NO_PAD.encode(signature));
        let verification = verify_credential(&token, &fixture.issuer.jwks, Some(&fixture.list), today());
        prop_assert!(!verification.is_valid());
    }

    #[test]
    fn random_json_payloads_under_a_genuine_header_are_refused(payload in "\\PC{0,300}") {
        let fixture = &*FIXTURE;
        let header = fixture.token.split('.').next().unwrap_or_default();
        let token = format!("{header}.{}.{}", URL_SAFE_NO_PAD.encode(serde_json::json!({ "x": payload }).to_string()), URL_SAFE_NO_PAD.encode([7u8; 64]));
        let verification = verify_credential(&token, &fixture.issuer.jwks, Some(&fixture.list), today());
        prop_assert!(!verification.is_valid());
        prop_assert_eq!(verification.outcome(Check::Signature).and_then(|o| o.reason), Some(Reason::SignatureInvalid));
    }

    #[test]
    fn one_changed_character_anywhere_breaks_the_credential(position in any::<prop::sample::Index>(), replacement in 0..BASE64URL.len()) {
        let fixture = &*FIXTURE;
        let mut bytes = fixture.token.clone().into_bytes();
        let at = position.index(bytes.len());
        let new = BASE64URL.as_bytes()[replacement];
        prop_assume!(bytes[at] != new);
        bytes[at] = new;
        let token = String::from_utf8(bytes).unwrap_or_default();
        let verification = verify_credential(&token, &fixture.issuer.jwks, Some(&fixture.list), today());
        prop_assert!(!verification.is_valid(), "{:#?}", verification);
    }

    #[test]
    fn any_status_list_text_decodes_or_errs(text in any::<String>()) {
        let _ = StatusList::decode(&text);
        let _ = StatusList::decode(&format!("u{text}"));
    }

    #[test]
    fn random_gzip_bytes_decode_or_err(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let mut gzip_like = vec![0x1f, 0x8b, 0x08, 0x00];
        gzip_like.extend(bytes);
        let _ = StatusList::decode(&format!("u{}", URL_SAFE_NO_PAD.encode(gzip_like)));
    }

    #[test]
    fn random_jwks_and_sealed_key_texts_are_errors(text in any::<String>()) {
        let _ = Jwks::from_json(&text);
        if let Ok(sealed) = serde_json::from_str::<SealedKey>(&text) {
            let _ = IssuerKey::unseal(&sealed, "pass");
        }
    }

    #[test]
    fn an_index_beyond_the_list_is_status_unavailable(index in 131_072u64..) {
        let fixture = &*FIXTURE;
        let mut input = title_input();
        input.status.index = index;
        let token = fixture.issuer.sign(&input);
        let verification = verify_credential(&token, &fixture.issuer.jwks, Some(&fixture.list), today());
        prop_assert_eq!(verification.reasons(), vec![Reason::StatusUnavailable]);
    }
}

#[test]
fn a_token_with_alg_none_is_refused() {
    let fixture = &*FIXTURE;
    let payload = fixture.token.split('.').nth(1).unwrap_or_default();
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let verification = verify_credential(&format!("{header}.{payload}."), &fixture.issuer.jwks, Some(&fixture.list), today());
    assert!(!verification.is_valid());
    assert_eq!(verification.outcome(Check::Format).and_then(|o| o.reason), Some(Reason::Malformed));
}

#[test]
fn a_jwks_entry_with_a_short_key_is_key_unknown_not_a_panic() {
    let fixture = &*FIXTURE;
    let mut jwks = fixture.issuer.jwks.clone();
    jwks.keys[0].x = "AAAA".into();
    let verification = verify_credential(&fixture.token, &jwks, Some(&fixture.list), today());
    assert_eq!(verification.outcome(Check::Signature).and_then(|o| o.reason), Some(Reason::KeyUnknown));
}

#[test]
fn an_oversized_token_is_malformed_before_decoding() {
    let fixture = &*FIXTURE;
    let huge = "a".repeat(certif_credentials::verify::MAX_CREDENTIAL_TOKEN_BYTES + 1);
    let verification = verify_credential(&huge, &fixture.issuer.jwks, Some(&fixture.list), today());
    assert!(verification.reasons().iter().all(|&reason| reason == Reason::Malformed));
}

#[test]
fn the_specifications_rs256_example_is_read_but_its_algorithm_refused() {
    let fixture = &*FIXTURE;
    let token = include_str!("data/example-spec-D1-basic-openbadgecredential.jwt");
    let verification = verify_credential(token, &fixture.issuer.jwks, None, today());
    assert!(verification.outcome(Check::Format).is_some_and(|o| o.passed));
    assert_eq!(verification.outcome(Check::Signature).and_then(|o| o.reason), Some(Reason::SignatureInvalid));
    assert!(verification.outcome(Check::Signature).is_some_and(|o| o.detail.contains("RS256")));
    // Its payload has no nbf (OB 3.0 §8.2.6.1 requires one) and no status to check.
    assert_eq!(verification.outcome(Check::Claims).and_then(|o| o.reason), Some(Reason::ClaimsMismatch));
    assert!(verification.outcome(Check::Status).is_some_and(|o| o.passed));
}
