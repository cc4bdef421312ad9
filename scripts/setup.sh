#!/usr/bin/env bash
# Installs everything Coal Haul needs on a fresh Debian machine; safe to run again (it skips what is done).
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(chromium chromium-driver fonts-wqy-microhei)
missing=()
for pkg in "${apt_packages[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "==> apt-get install ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python 3.12 (AWS Lambda's runtime): on PATH, or through pyenv.
find_python() {
  if command -v python3.12 >/dev/null 2>&1 && python3.12 --version >/dev/null 2>&1; then command -v python3.12; return; fi
  if command -v pyenv >/dev/null 2>&1; then
    local root; root="$(pyenv root)"
    for candidate in "$root"/versions/3.12*/bin/python3.12; do [ -x "$candidate" ] && { echo "$candidate"; return; }; done
  fi
  for candidate in "$HOME"/.pyenv/versions/3.12*/bin/python3.12 /root/.pyenv/versions/3.12*/bin/python3.12; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
  echo "python3.12 not found (install it or pyenv 3.12)" >&2; exit 1
}

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $(find_python)"
  "$(find_python)" -m venv .venv
fi
req_stamp=".venv/.requirements.sha"
req_hash=$(cat requirements.txt requirements-dev.txt ml_models/requirements.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$req_stamp" 2>/dev/null)" != "$req_hash" ]; then
  echo "==> pip install (requirements.txt, requirements-dev.txt)"
  .venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
  echo "$req_hash" > "$req_stamp"
fi

npm_stamp="node_modules/.lock.sha"
npm_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$npm_stamp" 2>/dev/null)" != "$npm_hash" ]; then
  echo "==> npm ci (DynamoDB Local and the PWA's libraries)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$npm_hash" > "$npm_stamp"
fi
