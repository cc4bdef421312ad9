#!/usr/bin/env bash
# The README's first command: set up, then run the app with demo data on DynamoDB Local.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m backend.devserver "$@"
