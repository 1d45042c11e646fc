# ONNX Runtime 1.30.0 for HandPose.Onnx: libonnxruntime.so.1 (linux-x64) from the npm package onnxruntime-node.
# npm pack only (no install script runs); the tarball is sha256-pinned; only the one shared library is kept.
# Result: $HP_CACHE/onnxruntime/1.30.0/linux-x64/libonnxruntime.so.1 (the path HandPose.Onnx's loader probes last).
HP_ORT_VERSION=1.30.0
HP_ORT_SHA256=6e3390d6b783e7be946fad629292799da28d0b42f84856e50d2c1b0383291e75
HP_ORT_DIR="$HP_CACHE/onnxruntime/$HP_ORT_VERSION/linux-x64"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  hp_log "onnxruntime: only linux-x64 is provisioned by setup; set HANDPOSE_ONNXRUNTIME_PATH to your own libonnxruntime"
elif [ -f "$HP_ORT_DIR/.handpose-sha256" ] && [ "$(cat "$HP_ORT_DIR/.handpose-sha256")" = "$HP_ORT_SHA256" ] \
     && [ -f "$HP_ORT_DIR/libonnxruntime.so.1" ]; then
  : # already provisioned
else
  hp_ort_tmp="$(mktemp -d)"
  hp_npm_fetch onnxruntime-node "$HP_ORT_VERSION" "$HP_ORT_SHA256" "$hp_ort_tmp/pkg"
  mkdir -p "$HP_ORT_DIR"
  cp "$hp_ort_tmp/pkg/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$HP_ORT_DIR/libonnxruntime.so.1"
  echo "$HP_ORT_SHA256" > "$HP_ORT_DIR/.handpose-sha256"
  rm -rf "$hp_ort_tmp"
  hp_log "onnxruntime $HP_ORT_VERSION -> $HP_ORT_DIR"
fi
