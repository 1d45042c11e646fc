#!/usr/bin/env bash
# Installs everything HandPose needs on a Debian 12 machine (as root, or with sudo). Idempotent: a second run only
# checks and takes a few seconds. Each concern lives in scripts/setup.d/NN-name.sh, run in order.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
start=$(date +%s)
for step in "$HP_ROOT"/scripts/setup.d/*.sh; do
  # shellcheck source=/dev/null
  source "$step"
done
hp_log "ready in $(( $(date +%s) - start )) s (cache: $HP_CACHE)"
