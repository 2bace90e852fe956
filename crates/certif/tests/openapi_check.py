"""Checks certif's OpenAPI document with an independent tool (openapi-spec-validator).

    python3 openapi_check.py DOCUMENT [SAMPLES]

DOCUMENT must validate as OpenAPI 3.1. SAMPLES, if given, is a JSON list of
{"path", "method", "status", "body"}: each body (a real answer of the API) must match the
schema the document gives that response. Exit 0 when all is well, 1 on a failure, 3 when the
tool is not installed.
"""
import json
import sys

try:
    from openapi_spec_validator import OpenAPIV31SpecValidator, validate
    from openapi_schema_validator import OAS31Validator
except ImportError as error:
    print(f"openapi-spec-validator is not installed: {error}", file=sys.stderr)
    sys.exit(3)

with open(sys.argv[1], encoding="utf-8") as f:
    document = json.load(f)
if not str(document.get("openapi", "")).startswith("3.1."):
    print(f"not an OpenAPI 3.1 document: openapi = {document.get('openapi')!r}", file=sys.stderr)
    sys.exit(1)
try:
    validate(document, cls=OpenAPIV31SpecValidator)
except Exception as error:  # the validator's own error types vary between versions
    print(f"invalid OpenAPI 3.1 document: {error}", file=sys.stderr)
    sys.exit(1)

failures = 0
if len(sys.argv) > 2:
    with open(sys.argv[2], encoding="utf-8") as f:
        samples = json.load(f)
    # Stricter than the document: an object answered with a property its schema does not
    # declare fails, so a schema cannot silently miss a field of the real JSON.
    components = json.loads(json.dumps(document["components"]))
    for schema in components["schemas"].values():
        if "properties" in schema and "additionalProperties" not in schema:
            schema["unevaluatedProperties"] = False
    for sample in samples:
        response = document["paths"][sample["path"]][sample["method"]]["responses"][str(sample["status"])]
        schema = dict(response["content"]["application/json"]["schema"])
        # The components beside the schema, so that its "#/components/schemas/…" refs resolve.
        schema["components"] = components
        errors = list(OAS31Validator(schema).iter_errors(sample["body"]))
        for error in errors[:5]:
            where = "/".join(str(p) for p in error.absolute_path)
            print(f"{sample['method'].upper()} {sample['path']} {sample['status']}: at /{where}: {error.message}", file=sys.stderr)
        failures += bool(errors)
    print(f"{len(samples)} answers checked against their schemas, {failures} do not match")
sys.exit(1 if failures else 0)
