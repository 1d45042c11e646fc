#!/usr/bin/env bash
# The main job: set up, build the handpose tool and run it. Until the pretrained estimator lands this runs
# `handpose doctor`; from then on it estimates hands on a bundled photo (JSON + annotated PNG).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$HP_ROOT"
bash scripts/setup.sh
dotnet build src/HandPose.Cli -c Release -v quiet -nologo >&2
handpose() { dotnet "$HP_ROOT/artifacts/bin/HandPose.Cli/release/handpose.dll" "$@"; }
handpose doctor
