#!/usr/bin/python3
"""validate-json.py SCHEMA REPORT...: each REPORT valid against SCHEMA
(JSON Schema 2020-12, python3-jsonschema); prints the first error of
each invalid report and exits 1."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.path))[:3]:
        print(f"{path}: {'/'.join(map(str, err.path))}: {err.message}", file=sys.stderr)
        bad = 1
sys.exit(bad)
