"""An implementation independent of certif-credentials (PyJWT + cryptography): verifies VC-JWT
credentials from the JWKS alone, then reads each credential's revocation bit in the status list.

    python3 verify_independently.py JWKS.json STATUS_LIST.jwt CREDENTIAL.jwt...

Prints one JSON object per credential: {"file", "valid", "error", "revoked", "index"}.
Exits 2 when PyJWT or cryptography is missing, so the calling test fails rather than skips.
"""

import base64
import gzip
import json
import sys

try:
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


def main():
    jwks_file, status_file, *credential_files = sys.argv[1:]
    with open(jwks_file, encoding="utf-8") as f:
        jwks = json.load(f)
    with open(status_file, encoding="utf-8") as f:
        status_list = verify(f.read().strip(), jwks)
    for path in credential_files:
        with open(path, encoding="utf-8") as f:
            token = f.read().strip()
        result = {"file": path, "valid": False, "error": None, "revoked": None, "index": None}
        try:
            credential = verify(token, jwks)
            status = credential["credentialStatus"]
            if status["statusListCredential"] != status_list["id"]:
                raise ValueError("credential points at another status list")
            index = int(status["statusListIndex"])
            result.update(
                valid=True,
                index=index,
                revoked=bit(status_list["credentialSubject"]["encodedList"], index) == 1,
            )
        except Exception as error:  # report every failure as data for the calling test
            result["error"] = f"{type(error).__name__}: {error}"
        print(json.dumps(result))


if __name__ == "__main__":
    main()
