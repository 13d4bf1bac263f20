#!/usr/bin/env python3
"""Refreshes the schemas in this folder from an unpacked `@asyncapi/specs` npm package.

Usage: npm pack @asyncapi/specs && tar xzf asyncapi-specs-*.tgz && python3 vendor.py package

Writes `<version>.json` (the package's `schemas/<version>-without-$id.json`, minified) for every
AsyncAPI version we read, and `bindings.json`: every binding schema of the package
(`bindings/<protocol>/<version>/<kind>.json`) as `definitions/bindings-<protocol>-<version>-<kind>`,
beside the 3.0.0 definitions they refer to, with their absolute `$ref`s rewritten to local ones, so
one offline document validates the bindings of a 2.x document (2.x's own schemas leave bindings
free-form; 3.0's check them itself).
"""
import json
import pathlib
import re
import sys

VERSIONS = ["2.0.0-rc2", "2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0", "2.5.0", "2.6.0", "3.0.0", "3.1.0"]


def dump(value, path):
    path.write_text(json.dumps(value, separators=(",", ":"), ensure_ascii=False) + "\n")


def rewrite(value):
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "$id":
                continue
            if key == "$ref" and isinstance(item, str):
                item = local(item)
            out[key] = rewrite(item)
        return out
    if isinstance(value, list):
        return [rewrite(v) for v in value]
    return value


def local(ref):
    m = re.fullmatch(r"http://asyncapi\.com/definitions/[0-9.]+/([^/#]+)\.json", ref)
    if m:
        return "#/definitions/" + m.group(1)
    m = re.fullmatch(r"http://asyncapi\.com/bindings/([^/]+)/([^/]+)/([^/#]+)\.json(#(.*))?", ref)
    if m:
        return "#/definitions/bindings-%s-%s-%s%s" % (m.group(1), m.group(2), m.group(3), m.group(5) or "")
    return ref


def main(package):
    package = pathlib.Path(package)
    here = pathlib.Path(__file__).parent
    for version in VERSIONS:
        schema = json.loads((package / "schemas" / f"{version}-without-$id.json").read_text())
        dump(schema, here / f"{version}.json")
    core = json.loads((package / "schemas" / "3.0.0-without-$id.json").read_text())
    definitions = dict(core["definitions"])
    index = {}
    for file in sorted((package / "bindings").glob("*/*/*.json")):
        protocol, version, kind = file.parent.parent.name, file.parent.name, file.stem
        definitions[f"bindings-{protocol}-{version}-{kind}"] = rewrite(json.loads(file.read_text()))
        index.setdefault(protocol, {}).setdefault(kind, []).append(version)
    # amqp 0.1.0 is no longer in the package. The TCK's 0.1.0 cases use the same fields and types
    # as 0.2.0 but not 0.2.0's rule tying `is` to which of `queue`/`exchange` is present, so 0.1.0
    # is 0.2.0 without that rule.
    for kind in ("channel", "message", "operation"):
        schema = json.loads(json.dumps(definitions[f"bindings-amqp-0.2.0-{kind}"]))
        schema.pop("oneOf", None)
        schema["properties"]["bindingVersion"]["enum"] = ["0.1.0"]
        definitions[f"bindings-amqp-0.1.0-{kind}"] = schema
        index["amqp"][kind].insert(0, "0.1.0")
    text = json.dumps(definitions)
    for ref in set(re.findall(r'"\$ref": "([^"]*)"', text)):
        if ref.startswith("#/definitions/"):
            name = ref[len("#/definitions/"):].split("/")[0]
            assert name in definitions, ref
    dump({"index": index, "definitions": definitions}, here / "bindings.json")


if __name__ == "__main__":
    main(sys.argv[1])
