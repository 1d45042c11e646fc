#!/usr/bin/env bash
# Regenerates the MediaPipe reference fixtures (../*.json) by running MediaPipe itself: the @mediapipe/hands wasm
# solution (npm, pinned + sha256-checked) in headless Debian Chromium, CPU inference (XNNPACK fp32), selfieMode off,
# maxNumHands 2, modelComplexity 0 ("lite") and 1 ("full"), reset() before every photo (no tracking between photos).
# Chromium only talks to a Python server on 127.0.0.1 (no other network).
#
# usage: generate.sh [SOURCE_IMAGE_DIR]
#   With SOURCE_IMAGE_DIR (e.g. ../shared/data/images) the photos are first copied into ../images/: JPEGs byte for
#   byte, PNGs re-encoded as 8-bit RGB with the alpha channel dropped (RGB kept as stored), so that MediaPipe and
#   our estimator see identical pixels. Without it the committed ../images/ are used.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fixtures="$(dirname "$here")"
repo="$(cd "$here/../../../../.." && pwd)"
python=/usr/bin/python3
pkg_name=@mediapipe/hands
pkg_version=0.4.1675469240
pkg_sha256=bdd5be939c60cbd72a49f4b6141407683cf2a67263598e1a44757d70b3dfcb8a
cache="${HANDPOSE_CACHE:-$repo/.cache}/mediapipe-reference"
port="${MP_REFERENCE_PORT:-8765}"

log() { printf '[mediapipe-reference] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. Tools: Debian chromium, npm, Pillow (only to re-encode PNGs).
if ! command -v chromium >/dev/null; then
  log "installing Debian chromium"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends chromium >&2
fi
command -v npm >/dev/null || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >&2

# 2. The pinned npm package (npm pack: no install scripts run).
pkg_dir="$cache/hands-$pkg_version"
if [ ! -f "$pkg_dir/.sha256" ] || [ "$(cat "$pkg_dir/.sha256")" != "$pkg_sha256" ]; then
  tmp="$(mktemp -d)"
  log "npm pack $pkg_name@$pkg_version"
  (cd "$tmp" && npm pack --silent --ignore-scripts "$pkg_name@$pkg_version" >/dev/null)
  got="$(sha256sum "$tmp"/*.tgz | cut -d' ' -f1)"
  [ "$got" = "$pkg_sha256" ] || { log "sha256 mismatch: $got, expected $pkg_sha256"; exit 1; }
  rm -rf "$pkg_dir" && mkdir -p "$pkg_dir"
  tar -xzf "$tmp"/*.tgz -C "$pkg_dir" --strip-components=1
  echo "$pkg_sha256" > "$pkg_dir/.sha256"
  rm -rf "$tmp"
fi

# 3. Photos.
images="$fixtures/images"
if [ $# -ge 1 ]; then
  mkdir -p "$images"
  "$python" - "$1" "$images" <<'PY'
import os, shutil, sys
from PIL import Image
src, dst = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(src)):
    low = name.lower()
    if low.endswith(".jpg"):
        shutil.copyfile(os.path.join(src, name), os.path.join(dst, name))
    elif low.endswith(".png"):
        im = Image.open(os.path.join(src, name))
        im.load()
        rgb = Image.merge("RGB", im.split()[:3]) if im.mode == "RGBA" else im.convert("RGB")
        rgb.save(os.path.join(dst, name), optimize=True)
PY
fi
[ -d "$images" ] || { log "no images in $images (pass a source directory)"; exit 1; }

# 4. Serve and run headless Chromium.
profile="$(mktemp -d)"
meta="$("$python" -c 'import json,sys; print(json.dumps({"package": sys.argv[1], "sha256": sys.argv[2], "browser": sys.argv[3], "options": {"maxNumHands": 2, "minDetectionConfidence": 0.5, "minTrackingConfidence": 0.5, "selfieMode": False, "useCpuInference": True}, "script": "tools/generate.sh"}))' "$pkg_name@$pkg_version" "$pkg_sha256" "$(chromium --version 2>/dev/null | head -1)")"
MP_REFERENCE_META="$meta" "$python" "$here/server.py" "$port" "$pkg_dir" "$images" "$fixtures" "$here/page.html" &
server_pid=$!
sleep 1
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" \
  --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" \
  "http://127.0.0.1:$port/index.html" >"$profile.log" 2>&1 &
chrome_pid=$!
status=0
wait "$server_pid" || status=$?
kill "$chrome_pid" 2>/dev/null || true
wait "$chrome_pid" 2>/dev/null || true
rm -rf "$profile"
if [ "$status" -ne 0 ]; then
  log "failed (status $status); chromium log: $profile.log"
  exit "$status"
fi
rm -f "$profile.log"
log "done: $(ls "$fixtures"/*.json | wc -l) fixture(s) in $fixtures"
