#!/usr/bin/env python3
"""Writes Benchmarks/reviews/raycluster-1mib.json: the 4.4 KB benchmark RayCluster review grown to
about 1 MiB by copying its worker groups (each with its own name) until the object reaches the
size, the case of issue 6's "1 MiB RayCluster in 10 ms"."""
import copy, json, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
review = json.loads((root / "Tests/RayAdmissionTests/Fixtures/reviews/raycluster-create.json").read_text())
spec = review["request"]["object"]["spec"]
templates = spec["workerGroupSpecs"]
groups = []
while len(json.dumps(review, separators=(",", ":"))) < 1024 * 1024:
    group = copy.deepcopy(templates[len(groups) % len(templates)])
    group["groupName"] = f"group-{len(groups)}"
    groups.append(group)
    spec["workerGroupSpecs"] = groups
out = root / "Benchmarks/reviews/raycluster-1mib.json"
out.write_text(json.dumps(review, separators=(",", ":")))
print(f"{out}: {out.stat().st_size} bytes, {len(groups)} worker groups")
