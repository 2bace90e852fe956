//! A title and a block credential issued, signed and verified; each refusal with its reason
//! (spec/credentials.md §2–§4).

mod common;

use certif_credentials::schema::validate_achievement_credential;
use certif_credentials::{Check, IssuerKey, Jwks, Reason, build_credential, sign, verify_credential};
use chrono::Duration;
use common::*;
use serde_json::{Value, json};

fn credential_json(input: &certif_credentials::CredentialInput) -> Value {
    serde_json::to_value(build_credential(input).unwrap()).unwrap()
}

#[test]
fn title_and_block_credentials_satisfy_both_1edtech_schemas() {
    for input in [title_input(), block_input()] {
        let credential = credential_json(&input);
        assert_eq!(validate_achievement_credential(&credential), Ok(()), "{credential:#}");
    }
}

#[test]
fn the_title_is_a_diploma_aligned_to_the_rncp_fiche() {
    let credential = credential_json(&title_input());
    assert_eq!(
        credential["@context"],
        json!(["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"])
    );
    assert_eq!(credential["type"], json!(["VerifiableCredential", "OpenBadgeCredential"]));
    assert_eq!(credential["validFrom"], "2026-07-03T14:00:00Z");
    let achievement = &credential["credentialSubject"]["achievement"];
    assert_eq!(achievement["achievementType"], "Diploma");
    assert_eq!(achievement["creditsAvailable"], 180);
    assert_eq!(achievement["humanCode"], "RNCP39668");
    assert_eq!(achievement["alignment"][0]["targetUrl"], FICHE_URL);
    assert_eq!(achievement["alignment"][0]["targetCode"], "RNCP39668");
    assert_eq!(achievement["alignment"][1]["targetCode"], "7");
    assert!(achievement["criteria"]["narrative"].as_str().unwrap().contains("B2"));
    assert_eq!(
        credential["issuer"]["otherIdentifier"],
        json!([{"type": "IdentifierEntry", "identifier": "19860073600021", "identifierType": "identifier"}])
    );
    assert_eq!(
        credential["credentialSchema"],
        json!([{"id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json", "type": "1EdTechJsonSchemaValidator2019"}])
    );
    assert_eq!(
        credential["credentialStatus"],
        json!({
            "id": "https://certif.ensma.example/status/1#94567",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "94567",
            "statusListCredential": "https://certif.ensma.example/status/1"
        })
    );
}

#[test]
fn the_block_is_a_competency_aligned_to_its_code_and_the_fiche() {
    let credential = credential_json(&block_input());
    let achievement = &credential["credentialSubject"]["achievement"];
    assert_eq!(achievement["achievementType"], "Competency");
    assert_eq!(achievement["humanCode"], "RNCP39668BC01");
    assert_eq!(achievement["alignment"][0]["targetCode"], "RNCP39668BC01");
    assert_eq!(achievement["alignment"][1]["targetCode"], "RNCP39668");
    assert_eq!(achievement["alignment"][1]["targetUrl"], FICHE_URL);
}

#[test]
fn the_holder_appears_only_as_a_salted_hash() {
    let credential = credential_json(&title_input());
    assert_eq!(
        credential["credentialSubject"]["identifier"],
        json!([{
            "type": "IdentityObject",
            "hashed": true,
            "identityHash": expected_identity_hash(),
            "identityType": "emailAddress",
            "salt": "8a1f0c2d9e3b4a5c"
        }])
    );
    assert!(!credential.to_string().contains(HOLDER_EMAIL));
}

#[test]
fn the_jwt_has_the_ob3_header_and_claims() {
    let issuer = Issuer::new();
    let token = issuer.sign(&title_input());
    let (header, payload) = parts(&token);
    assert_eq!(header, json!({"alg": "EdDSA", "kid": issuer.key.kid(), "typ": "JWT"}));
    assert_eq!(payload["iss"], ISSUER_ID);
    assert_eq!(payload["jti"], "https://certif.ensma.example/verify/94567");
    assert_eq!(payload["sub"], "urn:uuid:0b7c5c3e-5f0e-4c1a-9a51-2f3d1c8e6a10");
    assert_eq!(payload["nbf"], published().timestamp());
    assert!(payload.get("exp").is_none());
    assert_eq!(payload["credentialSubject"]["achievement"]["achievementType"], "Diploma");
}

#[test]
fn issued_credentials_pass_every_check() {
    let issuer = Issuer::new();
    let list = issuer.status_list(&[]);
    for input in [title_input(), block_input()] {
        let verification = verify_credential(&issuer.sign(&input), &issuer.jwks, Some(&list), today());
        assert!(verification.is_valid(), "{verification:#?}");
        assert_eq!(verification.checks.len(), 7);
        assert_eq!(verification.credential, Some(credential_json(&input)));
    }
}

#[test]
fn issue_builds_checks_and_signs_in_one_call() {
    let issuer = Issuer::new();
    let issued = certif_credentials::issue(&block_input(), &issuer.key).unwrap();
    assert_eq!(issued.credential, build_credential(&block_input()).unwrap());
    assert!(verify_credential(&issued.jwt, &issuer.jwks, Some(&issuer.status_list(&[])), today()).is_valid());
    let mut broken = block_input();
    broken.issuer.siret = "1986".into();
    assert!(matches!(certif_credentials::issue(&broken, &issuer.key), Err(certif_credentials::IssueError::Credential(_))));
}

#[test]
fn tokens_read_from_files_with_a_final_newline_verify() {
    let issuer = Issuer::new();
    let token = format!("{}\n", issuer.sign(&title_input()));
    let list = format!("{}\n", issuer.status_list(&[]));
    let verification = verify_credential(&token, &issuer.jwks, Some(&list), today());
    assert!(verification.is_valid(), "{verification:#?}");
}

#[test]
fn a_tampered_payload_is_signature_invalid() {
    let issuer = Issuer::new();
    let token = issuer.sign(&block_input());
    let (_, mut payload) = parts(&token);
    payload["credentialSubject"]["achievement"]["name"] = json!("Un autre bloc");
    let forged_payload = {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload.to_string())
    };
    let mut pieces: Vec<&str> = token.split('.').collect();
    pieces[1] = &forged_payload;
    let forged = pieces.join(".");
    let verification = verify_credential(&forged, &issuer.jwks, Some(&issuer.status_list(&[])), today());
    assert_eq!(verification.reasons(), vec![Reason::SignatureInvalid], "{verification:#?}");
}

#[test]
fn a_key_outside_the_jwks_is_key_unknown() {
    let issuer = Issuer::new();
    let stranger = IssuerKey::generate(JWKS_URL).unwrap();
    let credential = build_credential(&title_input()).unwrap();
    let token = sign(&credential, &stranger).unwrap();
    let verification = verify_credential(&token, &issuer.jwks, Some(&issuer.status_list(&[])), today());
    assert_eq!(verification.reasons(), vec![Reason::KeyUnknown], "{verification:#?}");
}

#[test]
fn a_revoked_index_is_revoked_and_its_neighbour_is_not() {
    let issuer = Issuer::new();
    let list = issuer.status_list(&[BLOCK_INDEX]);
    let block = verify_credential(&issuer.sign(&block_input()), &issuer.jwks, Some(&list), today());
    assert_eq!(block.reasons(), vec![Reason::Revoked], "{block:#?}");
    let title = verify_credential(&issuer.sign(&title_input()), &issuer.jwks, Some(&list), today());
    assert!(title.is_valid(), "{title:#?}");
}

#[test]
fn a_credential_valid_from_the_future_is_not_yet_valid() {
    let issuer = Issuer::new();
    let mut input = title_input();
    input.valid_from = today() + Duration::days(30);
    let verification = verify_credential(&issuer.sign(&input), &issuer.jwks, Some(&issuer.status_list(&[])), today());
    assert_eq!(verification.reasons(), vec![Reason::NotYetValid], "{verification:#?}");
}

#[test]
fn a_credential_past_its_valid_until_is_expired() {
    let issuer = Issuer::new();
    let mut input = title_input();
    input.valid_until = Some(published() + Duration::days(30));
    let token = issuer.sign(&input);
    assert_eq!(parts(&token).1["exp"], (published() + Duration::days(30)).timestamp());
    let verification = verify_credential(&token, &issuer.jwks, Some(&issuer.status_list(&[])), today());
    assert_eq!(verification.reasons(), vec![Reason::Expired], "{verification:#?}");
}

#[test]
fn a_credential_missing_a_required_field_is_schema_invalid() {
    let issuer = Issuer::new();
    let mut credential = credential_json(&title_input());
    credential["credentialSubject"]["achievement"].as_object_mut().unwrap().remove("criteria");
    let token = sign(&RawCredential { credential, iss: None }, &issuer.key).unwrap();
    let verification = verify_credential(&token, &issuer.jwks, Some(&issuer.status_list(&[])), today());
    assert_eq!(verification.reasons(), vec![Reason::SchemaInvalid], "{verification:#?}");
    let detail = &verification.outcome(Check::Schema).unwrap().detail;
    assert!(detail.contains("criteria") && detail.contains("strict"), "{detail}");
}

#[test]
fn claims_that_disagree_with_the_credential_are_refused() {
    let issuer = Issuer::new();
    let genuine = RawCredential { credential: credential_json(&title_input()), iss: Some("https://someone.else.example/issuer") };
    let token = sign(&genuine, &issuer.key).unwrap();
    assert_eq!(parts(&token).1["iss"], "https://someone.else.example/issuer");
    let verification = verify_credential(&token, &issuer.jwks, Some(&issuer.status_list(&[])), today());
    assert_eq!(verification.reasons(), vec![Reason::ClaimsMismatch], "{verification:#?}");
    assert!(verification.outcome(Check::Claims).unwrap().detail.contains("iss"));
}

#[test]
fn without_a_status_list_the_status_is_unavailable_and_says_so() {
    let issuer = Issuer::new();
    let verification = verify_credential(&issuer.sign(&title_input()), &issuer.jwks, None, today());
    assert_eq!(verification.reasons(), vec![Reason::StatusUnavailable]);
    assert!(verification.outcome(Check::Status).unwrap().detail.contains(LIST_URL));
}

#[test]
fn a_status_list_signed_by_another_key_is_not_trusted() {
    let issuer = Issuer::new();
    let impostor = Issuer::new();
    let list = impostor.status_list(&[]);
    let verification = verify_credential(&issuer.sign(&title_input()), &issuer.jwks, Some(&list), today());
    assert_eq!(verification.reasons(), vec![Reason::StatusUnavailable], "{verification:#?}");
}

#[test]
fn another_list_than_the_one_the_credential_names_is_not_used() {
    let issuer = Issuer::new();
    let mut list = certif_credentials::StatusList::minimal();
    list.set(TITLE_INDEX, true).unwrap();
    let other =
        certif_credentials::StatusListCredential::revocation("https://certif.ensma.example/status/2", ISSUER_ID, published(), &list)
            .unwrap();
    let other = sign(&other, &issuer.key).unwrap();
    let verification = verify_credential(&issuer.sign(&title_input()), &issuer.jwks, Some(&other), today());
    assert_eq!(verification.reasons(), vec![Reason::StatusUnavailable], "{verification:#?}");
    assert!(verification.outcome(Check::Status).unwrap().detail.contains("is not https://certif.ensma.example/status/1"));
}

#[test]
fn after_a_rotation_credentials_signed_with_the_old_key_still_verify() {
    let old = Issuer::new();
    let old_token = old.sign(&title_input());
    let sealed = old.key.seal("passphrase du certificateur").unwrap();
    let new_key = IssuerKey::generate(JWKS_URL).unwrap();
    let mut jwks = Jwks::new([old.key.public_jwk()]);
    jwks.publish(new_key.public_jwk());
    let new_token = sign(&build_credential(&block_input()).unwrap(), &new_key).unwrap();
    let list = sign(
        &certif_credentials::StatusListCredential::revocation(LIST_URL, ISSUER_ID, published(), &certif_credentials::StatusList::minimal())
            .unwrap(),
        &new_key,
    )
    .unwrap();
    for token in [&old_token, &new_token] {
        let verification = verify_credential(token, &jwks, Some(&list), today());
        assert!(verification.is_valid(), "{verification:#?}");
    }
    // The old key, unsealed from storage, signs what the JWKS still verifies.
    let unsealed = IssuerKey::unseal(&sealed, "passphrase du certificateur").unwrap();
    let again = sign(&build_credential(&block_input()).unwrap(), &unsealed).unwrap();
    assert!(verify_credential(&again, &jwks, Some(&list), today()).is_valid());
}
