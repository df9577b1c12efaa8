#!/usr/bin/env python3
"""Writes the seed corpus: every Ray resource in the KubeRay samples as the AdmissionReview the API
server would send for its CREATE (and an UPDATE of it), into Fuzz/corpus/seed-*.json (fuzz.sh keeps the corpus to the inputs that add coverage edges, so not all of them stay). The raw YAML
samples are seeds too; fuzz.sh passes their directory to libFuzzer as it is.
Like the API server's, each object carries metadata.managedFields (fieldsV1 made from the object's
own fields), which the decoder checks without building.
Usage: make-seeds.py [OUT_DIR]   (default Fuzz/corpus; fuzz.sh takes extra seed directories in
EXTRA_SEEDS)"""
import json, pathlib, sys, yaml

root = pathlib.Path(__file__).resolve().parent.parent
samples = root / "Tests/RayAdmissionTests/Fixtures/samples"
out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "Fuzz/corpus"
out.mkdir(exist_ok=True)
count = 0


def fields_v1(value):
    """The field set the API server records for `value`: f:<key> for members, k:{"name":…} for
    list items with a name, v:… for scalars in lists."""
    if isinstance(value, dict):
        return {f"f:{key}": fields_v1(member) for key, member in value.items()}
    if isinstance(value, list):
        fields = {".": {}}
        for item in value:
            if isinstance(item, dict) and "name" in item:
                fields["k:" + json.dumps({"name": item["name"]}, separators=(",", ":"))] = {".": {}, **fields_v1(item)}
            elif not isinstance(item, (dict, list)):
                fields["v:" + json.dumps(item)] = {}
        return fields
    return {}


def with_managed_fields(doc):
    doc = json.loads(json.dumps(doc))
    metadata = doc.setdefault("metadata", {}) if isinstance(doc.get("metadata", {}), dict) else {}
    metadata["managedFields"] = [{
        "manager": "kubectl-client-side-apply", "operation": "Update", "apiVersion": doc.get("apiVersion", ""),
        "time": "2026-11-22T10:15:42Z", "fieldsType": "FieldsV1",
        "fieldsV1": fields_v1({key: member for key, member in doc.items() if key in ("metadata", "spec")}),
    }]
    return doc


for path in sorted(samples.rglob("*.yaml")):
    for index, doc in enumerate(yaml.safe_load_all(path.read_text())):
        if not isinstance(doc, dict) or not str(doc.get("apiVersion", "")).startswith("ray.io/"):
            continue
        kind = doc.get("kind", "")
        doc = with_managed_fields(doc)
        for operation in ("CREATE", "UPDATE"):
            review = {
                "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                "request": {
                    "uid": f"seed-{count}", "kind": {"group": "ray.io", "version": "v1", "kind": kind},
                    "resource": {"group": "ray.io", "version": "v1", "resource": kind.lower() + "s"},
                    "name": doc.get("metadata", {}).get("name", "x"), "namespace": "default",
                    "operation": operation, "userInfo": {"username": "fuzz"},
                    "object": doc, "oldObject": doc if operation == "UPDATE" else None,
                },
            }
            name = f"seed-{path.stem}-{index}-{operation.lower()}.json"
            (out / name).write_text(json.dumps(review, separators=(",", ":")))
            count += 1
print(f"wrote {count} seeds to {out}", file=sys.stderr)
