#!/usr/bin/env bash
# gen-certs.sh - make a CA and a serving certificate for the ray-admission webhook with openssl.
#
# Usage: certs/gen-certs.sh [SERVICE] [NAMESPACE] [OUT_DIR]
#   SERVICE    the webhook Service's name           (default: ray-admission)
#   NAMESPACE  the namespace the Service lives in   (default: ray-admission-system)
#   OUT_DIR    where to write the files             (default: certs/out, ignored by git)
#
# Writes ca.crt, ca.key, tls.crt, tls.key (ECDSA P-256; the serving certificate is valid for
# 825 days, the CA for 10 years) and prints the base64 caBundle for the webhook configurations.
# The serving certificate's SANs: SERVICE.NAMESPACE.svc, SERVICE.NAMESPACE.svc.cluster.local,
# localhost and 127.0.0.1. Keys never belong in git: OUT_DIR is ignored.
set -euo pipefail

SERVICE=${1:-ray-admission}
NAMESPACE=${2:-ray-admission-system}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${3:-$HERE/out}

[[ $SERVICE =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || { echo "gen-certs.sh: invalid service name: $SERVICE" >&2; exit 2; }
[[ $NAMESPACE =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || { echo "gen-certs.sh: invalid namespace: $NAMESPACE" >&2; exit 2; }
command -v openssl >/dev/null || { echo "gen-certs.sh: openssl is required (apt-get install openssl)" >&2; exit 1; }

mkdir -p "$OUT"
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl ecparam -name prime256v1 -genkey -noout -out "$OUT/ca.key"
openssl req -x509 -new -key "$OUT/ca.key" -sha256 -days 3650 -subj "/O=ray-admission/CN=ray-admission CA" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out "$OUT/ca.crt" 2>/dev/null

openssl ecparam -name prime256v1 -genkey -noout -out "$work/leaf.key"
# PKCS#8, as cert-manager writes tls.key.
openssl pkcs8 -topk8 -nocrypt -in "$work/leaf.key" -out "$OUT/tls.key"
cat > "$work/leaf.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:$SERVICE.$NAMESPACE.svc,DNS:$SERVICE.$NAMESPACE.svc.cluster.local,DNS:localhost,IP:127.0.0.1
EXT
openssl req -new -key "$OUT/tls.key" -subj "/O=ray-admission/CN=$SERVICE.$NAMESPACE.svc" -out "$work/leaf.csr"
openssl x509 -req -in "$work/leaf.csr" -CA "$OUT/ca.crt" -CAkey "$OUT/ca.key" -CAcreateserial \
  -CAserial "$work/ca.srl" -days 825 -sha256 -extfile "$work/leaf.ext" -out "$OUT/tls.crt" 2>/dev/null

openssl verify -CAfile "$OUT/ca.crt" "$OUT/tls.crt" >/dev/null
chmod 600 "$OUT"/*.key
chmod 644 "$OUT"/*.crt

echo "wrote $OUT/{ca.crt,ca.key,tls.crt,tls.key} for $SERVICE.$NAMESPACE.svc" >&2
echo "caBundle (put it in both webhook configurations' clientConfig.caBundle):" >&2
base64 -w0 < "$OUT/ca.crt"
echo
