#!/usr/bin/env bash
# Builds the image (Scripts/build-image.sh), unpacks its root filesystem with umoci, starts the
# binary from it (chroot, as uid 65532, nothing from the host), and serves real reviews over TLS
# and /readyz: a RayCluster, and a RayCronJob whose timeZone needs the image's zone database.
# Containers cannot run on these machines (cgroups), so the image's own files are what is tested.
# Needs root, buildah, umoci, curl, python3 with PyYAML. Used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:-ci}
Scripts/build-image.sh "$tag"
work=$(mktemp -d)
server=
cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    [[ -n ${rootfs:-} ]] && umount "$rootfs/proc" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/layout"
tar -xf ".build/image/ray-admission-$tag.oci.tar" -C "$work/layout"
umoci unpack --image "$work/layout:$tag" "$work/bundle" >/dev/null
rootfs=$work/bundle/rootfs
[[ ! -e $rootfs/bin/sh && ! -e $rootfs/usr/bin/apt ]] || { echo "the image has a shell or a package manager" >&2; exit 1; }
python3 - "$work/bundle/config.json" <<'PY'
import json, sys
process = json.load(open(sys.argv[1]))["process"]
assert process["user"]["uid"] == 65532, process["user"]
assert process["args"][:2] == ["/usr/local/bin/ray-admission", "serve"], process["args"]
PY

# What a container runtime gives every container: /proc (the server reads its arguments and
# process metrics there).
mkdir -p "$rootfs/proc"
mount -t proc proc "$rootfs/proc"
chroot --userspec=65532:65532 "$rootfs" /usr/local/bin/ray-admission serve --bind 127.0.0.1 --port 0 \
    --metrics-port 0 --dev-cert-dir /tmp/dev --log-format json >"$work/log" 2>&1 &
server=$!
port=
for _ in $(seq 1 300); do
    port=$(sed -n 's/.*"message":"admission server listening (HTTPS)".*"port":"\([0-9]*\)".*/\1/p' "$work/log" | head -1)
    metrics=$(sed -n 's/.*"message":"operations server listening[^"]*".*"port":"\([0-9]*\)".*/\1/p' "$work/log" | head -1)
    [[ -n $port && -n $metrics ]] && break
    sleep 0.1
done
[[ -n $port && -n $metrics ]] || { cat "$work/log"; echo "the server in the image did not start" >&2; exit 1; }
[[ $(curl -s "http://127.0.0.1:$metrics/readyz") == ready ]] || { echo "/readyz is not ready" >&2; exit 1; }

review() {
    curl -s --cacert "$rootfs/tmp/dev/ca.crt" -H 'Content-Type: application/json' --data-binary "@$1" \
        "https://localhost:$port/validate"
}
answer=$(review Tests/RayAdmissionTests/Fixtures/reviews/raycluster-create.json)
grep -q '"allowed":true' <<<"$answer" || { echo "RayCluster review: $answer" >&2; exit 1; }
python3 - "$work/cronjob.json" <<'PY'
import json, sys, yaml
docs = yaml.safe_load_all(open("Tests/RayAdmissionTests/Fixtures/samples/ray-cronjob-timezone.sample.yaml"))
obj = next(d for d in docs if d and d.get("kind") == "RayCronJob")
assert obj["spec"].get("timeZone"), "the sample has a timeZone"
review = {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
    "uid": "image-cronjob", "kind": {"group": "ray.io", "version": "v1", "kind": "RayCronJob"},
    "resource": {"group": "ray.io", "version": "v1", "resource": "raycronjobs"},
    "name": obj["metadata"]["name"], "namespace": "default", "operation": "CREATE",
    "userInfo": {"username": "ci"}, "object": obj}}
json.dump(review, open(sys.argv[1], "w"))
PY
answer=$(review "$work/cronjob.json")
grep -q '"allowed":true' <<<"$answer" || { echo "RayCronJob review (time zones): $answer" >&2; exit 1; }
sed -i 's|"timeZone": "[^"]*"|"timeZone": "Mars/Olympus_Mons"|' "$work/cronjob.json"
answer=$(review "$work/cronjob.json")
grep -q '"allowed":false' <<<"$answer" && grep -q 'V137' <<<"$answer" \
    || { echo "an unknown time zone is not denied in the image: $answer" >&2; exit 1; }
echo "image ray-admission:$tag: started from its own root filesystem as uid 65532, /readyz ready, reviews answered"
