#!/usr/bin/env python3
"""Writes the seed corpus: every Ray resource in the KubeRay samples as the AdmissionReview the API
server would send for its CREATE (and an UPDATE of it), into Fuzz/corpus/seed-*.json (fuzz.sh keeps the corpus to the inputs that add coverage edges, so not all of them stay). The raw YAML
samples are seeds too; fuzz.sh passes their directory to libFuzzer as it is."""
import json, pathlib, sys, yaml

root = pathlib.Path(__file__).resolve().parent.parent
samples = root / "Tests/RayAdmissionTests/Fixtures/samples"
out = root / "Fuzz/corpus"
out.mkdir(exist_ok=True)
count = 0
for path in sorted(samples.rglob("*.yaml")):
    for index, doc in enumerate(yaml.safe_load_all(path.read_text())):
        if not isinstance(doc, dict) or not str(doc.get("apiVersion", "")).startswith("ray.io/"):
            continue
        kind = doc.get("kind", "")
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
