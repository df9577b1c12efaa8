#!/usr/bin/env bash
# Builds the ray-admission image from local inputs: the release binary (Swift's standard library
# linked in statically), the shared libraries it still loads and their loader, and a passwd entry
# for uid 65532; then the Containerfile FROM scratch on top. (Time zones need no files: Foundation
# carries ICU's zone data; Scripts/test-image.sh checks a RayCronJob timeZone in the image.)
#
# Usage: Scripts/build-image.sh [TAG]   (default: the version, RayAdmissionVersion.current)
#   ENGINE=buildah (default; as root: --isolation chroot --storage-driver vfs), docker or podman
# Writes .build/image/ray-admission-TAG.oci.tar (an OCI archive) and prints the image's size.
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:-$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/RayAdmissionServer/AdmissionServerConfiguration.swift)}
engine=${ENGINE:-buildah}
context=.build/image
rootfs=$context/rootfs

echo "building the release binary" >&2
swift build -c release --product ray-admission --static-swift-stdlib >&2
binary=$(swift build -c release --show-bin-path)/ray-admission

rm -rf "$context"
mkdir -p "$rootfs/usr/local/bin" "$rootfs/etc" "$rootfs/tmp"
install -m 0755 "$binary" "$rootfs/usr/local/bin/ray-admission"
strip "$rootfs/usr/local/bin/ray-admission"
# Exactly the shared libraries the binary loads, at their paths, with the loader.
ldd "$binary" | awk '/=> \// { print $3 } /^[ \t]*\/[^ ]+ \(/ { print $1 }' | while read -r library; do
    mkdir -p "$rootfs$(dirname "$library")"
    cp -L "$library" "$rootfs$library"
done
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"
cp Containerfile "$context/Containerfile"

archive=$context/ray-admission-$tag.oci.tar
echo "building ray-admission:$tag with $engine" >&2
case $engine in
buildah)
    storage=(--storage-driver vfs)
    buildah "${storage[@]}" bud --isolation chroot -f "$context/Containerfile" -t "ray-admission:$tag" "$context" >&2
    buildah "${storage[@]}" push "ray-admission:$tag" "oci-archive:$archive:$tag" >&2
    ;;
docker | podman)
    "$engine" build -f "$context/Containerfile" -t "ray-admission:$tag" "$context" >&2
    "$engine" save -o "$archive" "ray-admission:$tag" >&2
    ;;
*)
    echo "ENGINE must be buildah, docker or podman" >&2
    exit 2
    ;;
esac
echo "image ray-admission:$tag: $(du -sh "$rootfs" | cut -f1) unpacked, $(du -h "$archive" | cut -f1) as $archive"
