# Shared helpers for scripts/*.sh and scripts/setup.d/*.sh. Source it; do not run it.
# shellcheck shell=bash

HP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HP_CACHE="${HANDPOSE_CACHE:-$HP_ROOT/.cache}"
export HANDPOSE_CACHE="$HP_CACHE"
mkdir -p "$HP_CACHE"

hp_log() { printf '[setup] %s\n' "$*" >&2; }
hp_die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
hp_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# hp_apt PKG...: installs the Debian packages that are not installed yet (apt-get update at most once per run).
HP_APT_UPDATED=0
hp_apt() {
  local missing=()
  local p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$HP_APT_UPDATED" -eq 0 ]; then
    hp_log "apt-get update"
    hp_as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 update -qq >&2
    HP_APT_UPDATED=1
  fi
  hp_log "apt-get install ${missing[*]}"
  hp_as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# hp_npm_fetch NAME VERSION SHA256 DEST: downloads the npm package tarball (npm pack: no install scripts run),
# checks its sha256 and unpacks it into DEST (the tarball's package/ folder becomes DEST). Idempotent.
hp_npm_fetch() {
  local name="$1" version="$2" sha="$3" dest="$4"
  if [ -f "$dest/.handpose-sha256" ] && [ "$(cat "$dest/.handpose-sha256")" = "$sha" ]; then
    return 0
  fi
  command -v npm >/dev/null || hp_apt npm
  local tmp
  tmp="$(mktemp -d)"
  hp_log "npm pack $name@$version"
  (cd "$tmp" && npm pack --silent --ignore-scripts "$name@$version" >/dev/null)
  local tgz
  tgz="$(ls "$tmp"/*.tgz)"
  local got
  got="$(sha256sum "$tgz" | cut -d' ' -f1)"
  [ "$got" = "$sha" ] || hp_die "$name@$version: sha256 $got, expected $sha"
  rm -rf "$dest" && mkdir -p "$dest"
  tar -xzf "$tgz" -C "$dest" --strip-components=1
  echo "$sha" > "$dest/.handpose-sha256"
  rm -rf "$tmp"
}

# hp_sources_hash FILE...: a hash of the given files' contents (to rebuild native code only when sources change).
hp_sources_hash() {
  cat "$@" | sha256sum | cut -d' ' -f1
}

# Debian's Python (with python3-torch, -onnx, -pil): a pyenv or venv python3 earlier on PATH lacks those modules.
HP_PYTHON=/usr/bin/python3
export HP_PYTHON
