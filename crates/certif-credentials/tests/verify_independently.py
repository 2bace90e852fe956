"""An implementation independent of certif-credentials (PyJWT + cryptography, jsonschema):
verifies VC-JWT credentials from the JWKS alone, reads each credential's revocation bit in the
status list, and validates the credential against both 1EdTech schemas (../schemas).

    python3 verify_independently.py JWKS.json STATUS_LIST.jwt CREDENTIAL.jwt...

Prints one JSON object per credential:
{"file", "valid", "error", "revoked", "index", "schema_errors"}.
Exits 2 when a module is missing, so the calling test fails rather than skips.
"""

import base64
import gzip
import json
import pathlib
import sys

try:
    import jsonschema
    import jwt
    from jwt.algorithms import OKPAlgorithm  # noqa: F401 - needs `cryptography`
except ImportError as missing:
    print(f"PyJWT with cryptography is required: {missing}", file=sys.stderr)
    sys.exit(2)


def verify(token, jwks):
    """The payload of a token whose kid is in the JWKS and whose EdDSA signature holds."""
    header = jwt.get_unverified_header(token)
    if header.get("alg") != "EdDSA":
        raise ValueError(f"unexpected alg {header.get('alg')}")
    keys = {key["kid"]: key for key in jwks["keys"]}
    if header.get("kid") not in keys:
        raise ValueError(f"kid {header.get('kid')} not in the JWKS")
    key = jwt.PyJWK(keys[header["kid"]])
    payload = jwt.decode(
        token,
        key=key,
        algorithms=["EdDSA"],
        options={"require": ["iss", "jti", "nbf"], "verify_aud": False},
    )
    issuer = payload["issuer"]["id"] if isinstance(payload["issuer"], dict) else payload["issuer"]
    if payload["iss"] != issuer or payload["jti"] != payload["id"]:
        raise ValueError("iss/jti disagree with the credential")
    if payload.get("sub") != payload["credentialSubject"].get("id"):
        raise ValueError("sub disagrees with credentialSubject.id")
    return payload


def bit(encoded_list, index):
    """Bitstring Status List: multibase 'u' + base64url (no padding) of GZIP; index 0 is the
    most significant bit of the first byte."""
    if not encoded_list.startswith("u"):
        raise ValueError("encodedList is not multibase base64url")
    body = encoded_list[1:]
    raw = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    if len(raw) * 8 < 131072:
        raise ValueError("status list shorter than 131,072 entries")
    return (raw[index // 8] >> (7 - index % 8)) & 1


SCHEMAS = pathlib.Path(__file__).resolve().parent.parent / "schemas"
JWT_CLAIMS = ("iss", "jti", "nbf", "exp", "sub", "iat", "aud")


def schema_errors(credential):
    """Every violation of either schema, as 'schema: path: message'."""
    document = {k: v for k, v in credential.items() if k not in JWT_CLAIMS}
    errors = []
    for name in (
        "ob_v3p0_achievementcredential_schema.json",
        "ob_v3p0_achievementcredential_schema.strict-2024-09-12.json",
    ):
        schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        validator = jsonschema.Draft201909Validator(schema)
        for error in validator.iter_errors(document):
            errors.append(f"{name}: /{'/'.join(map(str, error.absolute_path))}: {error.message}")
    return errors


def main():
    jwks_file, status_file, *credential_files = sys.argv[1:]
    with open(jwks_file, encoding="utf-8") as f:
        jwks = json.load(f)
    with open(status_file, encoding="utf-8") as f:
        status_list = verify(f.read().strip(), jwks)
    for path in credential_files:
        with open(path, encoding="utf-8") as f:
            token = f.read().strip()
        result = {"file": path, "valid": False, "error": None, "revoked": None, "index": None, "schema_errors": None}
        try:
            credential = verify(token, jwks)
            status = credential["credentialStatus"]
            if status["statusListCredential"] != status_list["id"]:
                raise ValueError("credential points at another status list")
            index = int(status["statusListIndex"])
            result.update(
                valid=True,
                schema_errors=schema_errors(credential),
                index=index,
                revoked=bit(status_list["credentialSubject"]["encodedList"], index) == 1,
            )
        except Exception as error:  # report every failure as data for the calling test
            result["error"] = f"{type(error).__name__}: {error}"
        print(json.dumps(result))


if __name__ == "__main__":
    main()
