# MediaPipe Hands models (Apache-2.0) from npm @mediapipe/hands: the four .tflite files, which the build of
# src/HandPose.Models.MediaPipe converts to ONNX with our own TFLite import.
# Result: $HP_CACHE/models/mediapipe/{palm_detection,hand_landmark}_{full,lite}.tflite.
# The landmark models ship as files; the palm models are byte ranges of hands_solution_packed_assets.data (offsets from
# hands_solution_packed_assets_loader.js).
# shellcheck shell=bash

hp_mediapipe_models() {
  local pkg="$HP_CACHE/npm/mediapipe-hands"
  local out="$HP_CACHE/models/mediapipe"
  hp_npm_fetch @mediapipe/hands 0.4.1675469240 \
    bdd5be939c60cbd72a49f4b6141407683cf2a67263598e1a44757d70b3dfcb8a "$pkg"
  mkdir -p "$out"

  # name|sha256|source file|first byte|end byte (exclusive; empty = whole file)
  local specs=(
    "hand_landmark_full|8c026882c9ec059ce0f8e75266bee5a9a23c341a40e0000df755374d3d1b9b68|hand_landmark_full.tflite||"
    "hand_landmark_lite|d7fde8ac11f8ce03f8663775bfc323f4fc9f2a38062b4f4efa142874ef5b2a48|hand_landmark_lite.tflite||"
    "palm_detection_full|2f25e740121983f68ffc05f99991d524dc0ea812134f6316a26125816941ee85|hands_solution_packed_assets.data|11|2341291"
    "palm_detection_lite|e9a4aaddf90dda56a87235303cf00e4c2d3fb28725f68fd88772997dac905c18|hands_solution_packed_assets.data|2341291|4326731"
  )
  local spec name sha file start end
  for spec in "${specs[@]}"; do
    IFS='|' read -r name sha file start end <<<"$spec"
    local dest="$out/$name.tflite"
    if [ -f "$dest" ] && [ "$(sha256sum "$dest" | cut -d' ' -f1)" = "$sha" ]; then
      continue
    fi
    if [ -z "$start" ]; then
      cp "$pkg/$file" "$dest.partial"
    else
      dd if="$pkg/$file" of="$dest.partial" bs=65536 skip="$start" count="$((end - start))" \
        iflag=skip_bytes,count_bytes status=none
    fi
    local got
    got="$(sha256sum "$dest.partial" | cut -d' ' -f1)"
    [ "$got" = "$sha" ] || hp_die "$name.tflite extracted from @mediapipe/hands has sha256 $got, expected $sha"
    chmod 644 "$dest.partial"
    mv -f "$dest.partial" "$dest"
    hp_log "extracted $name.tflite"
  done

  # The ONNX conversion happens at build time, in src/HandPose.Models.MediaPipe (which packs them as a NuGet package
  # and copies them next to the tests, the CLI and the benchmarks). Earlier setups converted here: drop their copies.
  rm -f "$out"/*.onnx "$out/.onnx-stamp"
  hp_log "MediaPipe .tflite models ready in $out"
}

hp_mediapipe_models
