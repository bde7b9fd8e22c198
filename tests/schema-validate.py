#!/usr/bin/env python3
"""schema-validate.py SCHEMA FILE...: validate JSON files against a JSON
Schema (the draft its $schema names, with format checks) and print one line
per file, "ok FILE" or "invalid FILE: <path>: <message>".  Exit 0 when every
file validates, 1 when one does not, 2 when the validator cannot run (no
python3-jsonschema: scripts/deps.sh installs it)."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("error: python3-jsonschema is missing (scripts/deps.sh installs it)",
          file=sys.stderr)
    sys.exit(2)


def main(argv):
    if len(argv) < 3:
        print("usage: schema-validate.py SCHEMA FILE...", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER
                    if hasattr(cls, "FORMAT_CHECKER")
                    else jsonschema.FormatChecker())
    bad = 0
    for path in argv[2:]:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print(f"invalid {path}: not JSON: {e}")
            bad += 1
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        if errors:
            bad += 1
            for e in errors[:5]:
                where = "/".join(str(p) for p in e.absolute_path) or "(root)"
                print(f"invalid {path}: {where}: {e.message[:300]}")
        else:
            print(f"ok {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
