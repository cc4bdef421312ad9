#!/usr/bin/env bash
# Builds the Lambda zip (build/coalhaul-lambda.zip) from a clean venv holding only requirements.txt + Zappa,
# so training and test libraries can never reach the package. Needs no AWS credentials.
#   bash scripts/package_lambda.sh [stage]     (stage defaults to dev)
set -euo pipefail
cd "$(dirname "$0")/.."
stage="${1:-dev}"
final="build/coalhaul-lambda.zip"
zappa_version="0.63.0"

# One build at a time (a test session and a bench may both ask for the zip): the next waits for this one.
# The zip is made under a temporary name and moved into place whole, so a reader never opens a half-made one.
mkdir -p build
exec 9>build/.package.lock
flock 9
out="build/coalhaul-lambda.$$.zip"
trap 'rm -f "$out"' EXIT

# Python 3.12 (AWS Lambda's runtime): on PATH, or through pyenv — the same lookup as scripts/setup.sh.
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

venv=".venv-lambda"
stamp="$venv/.requirements.sha"
want=$( (cat requirements.txt; echo "zappa==$zappa_version") | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  # Start from an empty venv whenever requirements.txt changes, so a dropped package leaves the zip too.
  rm -rf "$venv"
  echo "==> creating $venv with $(find_python); pip install -r requirements.txt zappa==$zappa_version"
  "$(find_python)" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r requirements.txt "zappa==$zappa_version"
  echo "$want" > "$stamp"
fi

echo "==> zappa package $stage (its manylinux lookup may be unreachable: it then ships the venv's own wheels)"
# Zappa finds the venv through VIRTUAL_ENV; the excludes come from zappa_settings.json.
VIRTUAL_ENV="$PWD/$venv" PATH="$PWD/$venv/bin:$PATH" "$venv/bin/zappa" package "$stage" -o "$out" >build/zappa-package.log 2>&1 \
  || { cat build/zappa-package.log; exit 1; }

echo "==> writing the OpenAPI document into the package (backend/openapi.json, served as a file)"
# Built here so a cold start never describes ~100 operations; the secrets are placeholders, nothing connects.
JWT_SECRET_KEY=package-time-placeholder DEVICE_MASTER_KEY=package-time-placeholder GATE_PASS_KEY=package-time-placeholder SECRET_SEAL_KEY=package-time-placeholder LOG_LEVEL=WARNING "$venv/bin/python" - "$out" <<'PY'
import os, sys, tempfile, zipfile
from backend.extensions import write_openapi
with tempfile.TemporaryDirectory() as scratch:
    path = os.path.join(scratch, "openapi.json")
    write_openapi(path)
    with zipfile.ZipFile(sys.argv[1], "a", zipfile.ZIP_DEFLATED) as archive:
        archive.write(path, "backend/openapi.json")
PY

echo "==> adding the PWA's vendor libraries and precompiled bytecode"
"$venv/bin/python" scripts/lambda_postprocess.py "$out"
mv -f "$out" "$final"
"$venv/bin/python" bench/package_size.py --no-build "$final"
