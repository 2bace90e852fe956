//! Verification in stages (spec/credentials.md §4, OB 3.0 §8.2.6 and §9.1): every check runs
//! and reports `(check, passed, reason)`, so a verifier says what failed, not just that
//! something did. Hostile input gives failed checks, never a panic.
//!
//! Reason codes: `MALFORMED` (not a compact JWS with a JSON object payload — every check
//! then reports it —, or a `validFrom`/`validUntil` that is not a date-time), `SIGNATURE_INVALID` (bad signature, or an algorithm other than EdDSA),
//! `KEY_UNKNOWN` (no `kid`, or none in the JWKS, or not an Ed25519 key), `CLAIMS_MISMATCH`
//! (`iss`, `jti`, `nbf`, `sub`, `exp` disagree with the credential, §8.2.6.1),
//! `SCHEMA_INVALID` (either 1EdTech schema, or a subject with neither `id` nor `identifier`),
//! `NOT_YET_VALID`, `EXPIRED`, `REVOKED`, and `STATUS_UNAVAILABLE` (the credential has a status
//! entry but no status list was given, or the list is unusable: bad signature, another list,
//! another issuer, index out of range). A credential without `credentialStatus` passes the
//! status check: nothing can revoke it.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, Header, Validation};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::keys::Jwks;
use crate::schema::validate_achievement_credential;
use crate::status_list::StatusList;

/// Larger tokens are refused before any decoding (a credential is a few kilobytes).
pub const MAX_CREDENTIAL_TOKEN_BYTES: usize = 1024 * 1024;
/// A status list of the largest accepted size, compressed worst-case, plus its envelope.
pub const MAX_STATUS_LIST_TOKEN_BYTES: usize = 32 * 1024 * 1024;
/// A hostile credential can break a schema in thousands of places: the first ones suffice.
const MAX_SCHEMA_PROBLEMS: usize = 20;
/// The JWT claims that are not part of the credential itself.
const REGISTERED_CLAIMS: [&str; 7] = ["iss", "jti", "nbf", "exp", "sub", "iat", "aud"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Format,
    Signature,
    Claims,
    Schema,
    ValidFrom,
    ValidUntil,
    Status,
}

impl Check {
    pub fn name(self) -> &'static str {
        match self {
            Self::Format => "format",
            Self::Signature => "signature",
            Self::Claims => "claims",
            Self::Schema => "schema",
            Self::ValidFrom => "valid_from",
            Self::ValidUntil => "valid_until",
            Self::Status => "status",
        }
    }
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Malformed,
    SignatureInvalid,
    KeyUnknown,
    ClaimsMismatch,
    SchemaInvalid,
    NotYetValid,
    Expired,
    Revoked,
    StatusUnavailable,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Self::Malformed => "MALFORMED",
            Self::SignatureInvalid => "SIGNATURE_INVALID",
            Self::KeyUnknown => "KEY_UNKNOWN",
            Self::ClaimsMismatch => "CLAIMS_MISMATCH",
            Self::SchemaInvalid => "SCHEMA_INVALID",
            Self::NotYetValid => "NOT_YET_VALID",
            Self::Expired => "EXPIRED",
            Self::Revoked => "REVOKED",
            Self::StatusUnavailable => "STATUS_UNAVAILABLE",
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.code())
    }
}

/// One check's result; `reason` is set exactly when it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOutcome {
    pub check: Check,
    pub passed: bool,
    pub reason: Option<Reason>,
    /// What was checked or what went wrong, in words.
    pub detail: String,
}

impl CheckOutcome {
    fn from_result(check: Check, result: Result<String, (Reason, String)>) -> Self {
        match result {
            Ok(detail) => Self { check, passed: true, reason: None, detail },
            Err((reason, detail)) => Self { check, passed: false, reason: Some(reason), detail },
        }
    }
}

/// Every check, in order, and the credential as decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    pub checks: Vec<CheckOutcome>,
    /// The payload without its JWT claims (what `credential export` writes as `.json`); to be
    /// trusted only when [`Verification::is_valid`].
    pub credential: Option<Value>,
}

impl Verification {
    /// True when every check passed.
    pub fn is_valid(&self) -> bool {
        self.checks.iter().all(|outcome| outcome.passed)
    }

    pub fn outcome(&self, check: Check) -> Option<&CheckOutcome> {
        self.checks.iter().find(|outcome| outcome.check == check)
    }

    /// The reasons of the failed checks, in check order.
    pub fn reasons(&self) -> Vec<Reason> {
        self.checks.iter().filter_map(|outcome| outcome.reason).collect()
    }
}

type Outcome = Result<String, (Reason, String)>;

/// Verifies a compact JWT credential against `jwks` and, when given, the status list (itself a
/// compact JWT, checked against the same JWKS), as of `now`.
pub fn verify_credential(token: &str, jwks: &Jwks, status_list: Option<&str>, now: DateTime<Utc>) -> Verification {
    // A token read from a file usually ends with a newline.
    let token = token.trim();
    let decoded = match decode_unverified(token, MAX_CREDENTIAL_TOKEN_BYTES) {
        Ok(decoded) => decoded,
        Err(why) => {
            let checks =
                [Check::Format, Check::Signature, Check::Claims, Check::Schema, Check::ValidFrom, Check::ValidUntil, Check::Status]
                    .into_iter()
                    .map(|check| CheckOutcome::from_result(check, Err((Reason::Malformed, why.clone()))))
                    .collect();
            return Verification { checks, credential: None };
        }
    };
    let credential = credential_of(&decoded.payload);
    let fields = Fields::read(&decoded.payload);
    let checks = vec![
        CheckOutcome::from_result(Check::Format, Ok("a compact JWS with a JSON object payload".into())),
        CheckOutcome::from_result(Check::Signature, check_signature(token, &decoded.header, jwks)),
        CheckOutcome::from_result(Check::Claims, check_claims(&fields)),
        CheckOutcome::from_result(Check::Schema, check_schema(&credential)),
        CheckOutcome::from_result(Check::ValidFrom, check_valid_from(&fields, now)),
        CheckOutcome::from_result(Check::ValidUntil, check_valid_until(&fields, now)),
        CheckOutcome::from_result(Check::Status, check_status(&fields, jwks, status_list, now)),
    ];
    Verification { checks, credential: Some(credential) }
}

/// The credential a JWT carries (its payload without the registered claims), read without
/// checking anything: for showing a credential certif itself issued and keeps.
pub fn decoded_credential(token: &str) -> Option<Value> {
    decode_unverified(token.trim(), MAX_CREDENTIAL_TOKEN_BYTES).ok().map(|decoded| credential_of(&decoded.payload))
}

struct Decoded {
    header: Header,
    payload: Map<String, Value>,
}

/// Header and payload read without trusting them yet: the signature check comes next.
fn decode_unverified(token: &str, max_bytes: usize) -> Result<Decoded, String> {
    if token.len() > max_bytes {
        return Err(format!("the token is longer than {max_bytes} bytes"));
    }
    if token.split('.').count() != 3 {
        return Err("a compact JWS has three parts separated by '.'".into());
    }
    let header = jsonwebtoken::decode_header(token).map_err(|e| format!("header: {e}"))?;
    let payload = jsonwebtoken::dangerous::insecure_decode::<Value>(token).map_err(|e| format!("payload: {e}"))?.claims;
    match payload {
        Value::Object(payload) => Ok(Decoded { header, payload }),
        _ => Err("the payload is not a JSON object".into()),
    }
}

fn credential_of(payload: &Map<String, Value>) -> Value {
    let mut credential = payload.clone();
    for claim in REGISTERED_CLAIMS {
        credential.remove(claim);
    }
    Value::Object(credential)
}

fn check_signature(token: &str, header: &Header, jwks: &Jwks) -> Outcome {
    if header.alg != Algorithm::EdDSA {
        return Err((Reason::SignatureInvalid, format!("algorithm {:?} is not accepted: EdDSA only", header.alg)));
    }
    let kid = header.kid.as_deref().ok_or((Reason::KeyUnknown, "the header names no key (kid)".to_owned()))?;
    let jwk = jwks.find(kid).ok_or_else(|| (Reason::KeyUnknown, format!("no key {kid} in the JWKS")))?;
    let key = jwk.ed25519_key().ok_or_else(|| (Reason::KeyUnknown, format!("key {kid} is not a usable Ed25519 key")))?;
    // Only the signature here: dates and claims are checks of their own.
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .map(|_| format!("EdDSA signature verified with {kid}"))
        .map_err(|e| (Reason::SignatureInvalid, format!("signature does not verify with {kid}: {e}")))
}

/// The parts of the payload the checks read, each kept as raw JSON: hostile types must not
/// stop the other checks.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Fields {
    iss: Option<Value>,
    jti: Option<Value>,
    nbf: Option<Value>,
    exp: Option<Value>,
    sub: Option<Value>,
    id: Option<Value>,
    issuer: Option<Value>,
    valid_from: Option<Value>,
    valid_until: Option<Value>,
    credential_subject: Option<Value>,
    credential_status: Option<Value>,
}

impl Fields {
    fn read(payload: &Map<String, Value>) -> Self {
        Self::deserialize(Value::Object(payload.clone())).unwrap_or_default()
    }

    fn issuer_id(&self) -> Option<&str> {
        match self.issuer.as_ref()? {
            Value::String(id) => Some(id),
            issuer => issuer.get("id")?.as_str(),
        }
    }

    fn subject_id(&self) -> Option<&str> {
        self.credential_subject.as_ref()?.get("id")?.as_str()
    }

    fn valid_from(&self) -> Option<DateTime<Utc>> {
        date(self.valid_from.as_ref()?)
    }

    fn valid_until(&self) -> Option<DateTime<Utc>> {
        date(self.valid_until.as_ref()?)
    }
}

fn date(value: &Value) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value.as_str()?).ok().map(|date| date.with_timezone(&Utc))
}

fn numeric_date(value: &Value) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(value.as_i64()?, 0)
}

/// OB 3.0 §8.2.6.1: each claim present and equal to the credential member it stands for.
fn check_claims(fields: &Fields) -> Outcome {
    let mut problems = Vec::new();
    let mut same =
        |claim: &str, value: Option<&Value>, expected: Option<&str>, member: &str| match (value.and_then(Value::as_str), expected) {
            (Some(value), Some(expected)) if value == expected => {}
            (None, _) => problems.push(format!("{claim} is missing")),
            (Some(_), None) => problems.push(format!("{claim} is set but {member} is missing")),
            (Some(value), Some(expected)) => problems.push(format!("{claim} {value:?} differs from {member} {expected:?}")),
        };
    same("iss", fields.iss.as_ref(), fields.issuer_id(), "issuer.id");
    same("jti", fields.jti.as_ref(), fields.id.as_ref().and_then(Value::as_str), "id");
    if fields.sub.is_some() || fields.subject_id().is_some() {
        same("sub", fields.sub.as_ref(), fields.subject_id(), "credentialSubject.id");
    }
    match (fields.nbf.as_ref().map(numeric_date), fields.valid_from()) {
        (Some(Some(nbf)), Some(valid_from)) if nbf == valid_from => {}
        (None, _) => problems.push("nbf is missing".into()),
        (Some(None), _) => problems.push("nbf is not a NumericDate".into()),
        (Some(Some(nbf)), valid_from) => problems.push(format!("nbf {nbf} differs from validFrom {valid_from:?}")),
    }
    if let Some(exp) = fields.exp.as_ref() {
        match (numeric_date(exp), fields.valid_until()) {
            (Some(exp), Some(until)) if exp == until => {}
            (Some(_), None) => {}
            (None, _) => problems.push("exp is not a NumericDate".into()),
            (Some(exp), Some(until)) => problems.push(format!("exp {exp} differs from validUntil {until}")),
        }
    }
    if problems.is_empty() {
        Ok("iss, jti, nbf, sub agree with the credential".into())
    } else {
        Err((Reason::ClaimsMismatch, problems.join("; ")))
    }
}

fn check_schema(credential: &Value) -> Outcome {
    let mut problems: Vec<String> = match validate_achievement_credential(credential) {
        Ok(()) => Vec::new(),
        Err(violations) => violations.iter().map(ToString::to_string).collect(),
    };
    // OB 3.0 §9.1: the subject is identified by an id and/or an identifier.
    let subject = credential.get("credentialSubject");
    if subject.is_some_and(|s| s.get("id").is_none() && s.get("identifier").is_none()) {
        problems.push("credentialSubject has neither id nor identifier".into());
    }
    if problems.len() > MAX_SCHEMA_PROBLEMS {
        let more = problems.len() - MAX_SCHEMA_PROBLEMS;
        problems.truncate(MAX_SCHEMA_PROBLEMS);
        problems.push(format!("and {more} more"));
    }
    if problems.is_empty() {
        Ok("valid against both 1EdTech AchievementCredential schemas".into())
    } else {
        Err((Reason::SchemaInvalid, problems.join("; ")))
    }
}

fn check_valid_from(fields: &Fields, now: DateTime<Utc>) -> Outcome {
    let valid_from = fields.valid_from().ok_or((Reason::Malformed, "validFrom is missing or not a date-time".to_owned()))?;
    let not_before = fields.nbf.as_ref().and_then(numeric_date).unwrap_or(valid_from);
    let start = valid_from.max(not_before);
    if now < start {
        return Err((Reason::NotYetValid, format!("valid from {start}, now is {now}")));
    }
    Ok(format!("valid since {start}"))
}

fn check_valid_until(fields: &Fields, now: DateTime<Utc>) -> Outcome {
    if fields.valid_until.is_some() && fields.valid_until().is_none() {
        return Err((Reason::Malformed, "validUntil is not a date-time".into()));
    }
    let ends = [fields.valid_until(), fields.exp.as_ref().and_then(numeric_date)];
    match ends.into_iter().flatten().min() {
        Some(end) if now > end => Err((Reason::Expired, format!("expired at {end}, now is {now}"))),
        Some(end) => Ok(format!("valid until {end}")),
        None => Ok("no expiry".into()),
    }
}

/// The `BitstringStatusListEntry` as the credential states it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatusEntry {
    #[serde(rename = "type")]
    kind: String,
    status_purpose: String,
    status_list_index: Value,
    status_list_credential: String,
}

fn check_status(fields: &Fields, jwks: &Jwks, status_list: Option<&str>, now: DateTime<Utc>) -> Outcome {
    let unavailable = |why: String| (Reason::StatusUnavailable, why);
    let Some(status) = fields.credential_status.as_ref() else {
        return Ok("no credentialStatus: nothing can revoke this credential".into());
    };
    let entry =
        StatusEntry::deserialize(status).map_err(|e| unavailable(format!("credentialStatus is not a BitstringStatusListEntry: {e}")))?;
    if entry.kind != "BitstringStatusListEntry" || entry.status_purpose != "revocation" {
        return Err(unavailable(format!("status {} / {} is not supported", entry.kind, entry.status_purpose)));
    }
    let index = match &entry.status_list_index {
        Value::String(text) => text.parse::<u64>().ok(),
        Value::Number(number) => number.as_u64(),
        _ => None,
    }
    .ok_or_else(|| unavailable("statusListIndex is not a non-negative integer".into()))?;
    let token = status_list.ok_or_else(|| unavailable(format!("no status list given ({})", entry.status_list_credential)))?;

    let token = token.trim();
    let list = decode_unverified(token, MAX_STATUS_LIST_TOKEN_BYTES).map_err(|why| unavailable(format!("status list: {why}")))?;
    check_signature(token, &list.header, jwks).map_err(|(_, why)| unavailable(format!("status list: {why}")))?;
    let list_fields = Fields::read(&list.payload);
    check_claims(&list_fields).map_err(|(_, why)| unavailable(format!("status list: {why}")))?;
    check_valid_from(&list_fields, now).map_err(|(_, why)| unavailable(format!("status list: {why}")))?;
    check_valid_until(&list_fields, now).map_err(|(_, why)| unavailable(format!("status list: {why}")))?;
    let list_types = list.payload.get("type").and_then(Value::as_array);
    if !list_types.is_some_and(|types| types.iter().any(|t| t == "BitstringStatusListCredential")) {
        return Err(unavailable("the status list is not a BitstringStatusListCredential".into()));
    }
    if list_fields.id.as_ref().and_then(Value::as_str) != Some(entry.status_list_credential.as_str()) {
        return Err(unavailable(format!("the status list given is not {}", entry.status_list_credential)));
    }
    if list_fields.issuer_id().is_none() || list_fields.issuer_id() != fields.issuer_id() {
        return Err(unavailable("the status list has another issuer than the credential".into()));
    }
    let subject = list_fields.credential_subject.as_ref();
    let purpose = subject.and_then(|s| s.get("statusPurpose")).and_then(Value::as_str);
    if purpose != Some("revocation") {
        return Err(unavailable("the status list is not a revocation list".into()));
    }
    let encoded = subject
        .and_then(|s| s.get("encodedList"))
        .and_then(Value::as_str)
        .ok_or_else(|| unavailable("the status list has no encodedList".into()))?;
    let bits = StatusList::decode(encoded).map_err(|e| unavailable(format!("status list: {e}")))?;
    match bits.get(index) {
        Ok(true) => Err((Reason::Revoked, format!("revoked: bit {index} of {} is set", entry.status_list_credential))),
        Ok(false) => Ok(format!("not revoked: bit {index} of {} is clear", entry.status_list_credential)),
        Err(e) => Err(unavailable(e.to_string())),
    }
}
