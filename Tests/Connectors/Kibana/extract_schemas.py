#!/usr/bin/env python3
"""Writes cases-schemas.json: the response schemas the Kibana contract tests validate against, taken from Kibana's
bundled Cases OpenAPI file (shared/reference/kibana-cases-openapi.yaml) with every component they reach, and turned
from OpenAPI 3.0 into JSON Schema 2020-12 (components -> $defs, `nullable: true` -> a "null" type, `example` and
`discriminator` dropped). Run: python3 extract_schemas.py PATH/TO/kibana-cases-openapi.yaml > cases-schemas.json"""
import json, sys, yaml

spec = yaml.safe_load(open(sys.argv[1]))
components = spec["components"]["schemas"]
op = lambda path, method: spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
roots = {
    "push_case_response": op("/api/cases/{caseId}/connector/{connectorId}/_push", "post"),
    "find_case_connectors_response": op("/api/cases/configure/connectors/_find", "get"),
    "error_response": {"$ref": "#/components/schemas/4xx_response"},
}

def convert(node):
    if isinstance(node, list):
        return [convert(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("example", "examples", "discriminator", "nullable"):
            continue
        if key == "$ref":
            out[key] = value.replace("#/components/schemas/", "#/$defs/")
        elif key in ("properties", "patternProperties"):
            out[key] = {k: convert(v) for k, v in value.items()}
        else:
            out[key] = convert(value)
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out

def refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/") and ref.split("/")[-1] not in found:
            name = ref.split("/")[-1]
            found.add(name)
            refs(components[name], found)
        for value in node.values():
            refs(value, found)
    elif isinstance(node, list):
        for value in node:
            refs(value, found)

reached = set()
refs(roots, reached)
defs = {name: convert(components[name]) for name in sorted(reached)}
defs.update({name: convert(schema) for name, schema in roots.items()})
json.dump({"$schema": "https://json-schema.org/draft/2020-12/schema",
           "$comment": "Extracted from Kibana's bundled Cases OpenAPI file (Elastic License 2.0) by extract_schemas.py.",
           "$defs": defs}, sys.stdout, indent=1, sort_keys=False)
print()
