#!/usr/bin/env bash
# The main job: set up (ONNX Runtime, MediaPipe models), build the handpose tool, and estimate the hands on the
# bundled photo samples/data/two_hands.jpg (Apache-2.0, see samples/data/ATTRIBUTION.md). Leaves the keypoints as
# JSON and the photo with the skeletons drawn as PNG in out/demo/, and prints both paths.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$HP_ROOT"
bash scripts/setup.sh
dotnet build src/HandPose.Cli -c Release -v quiet -nologo >&2
handpose() { dotnet "$HP_ROOT/artifacts/bin/HandPose.Cli/release/handpose.dll" "$@"; }
handpose doctor
out="$HP_ROOT/out/demo"
mkdir -p "$out"
handpose estimate samples/data/two_hands.jpg --json "$out/two_hands.json" --annotate "$out/two_hands.annotated.png"
hands="$("$HP_PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(", ".join(h["handedness"] + " (%.2f)" % h["score"] for h in d["hands"]) or "none")' "$out/two_hands.json")"
echo
echo "hands found: $hands"
echo "keypoints (JSON):       $out/two_hands.json"
echo "annotated photo (PNG):  $out/two_hands.annotated.png"
