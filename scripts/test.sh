#!/usr/bin/env bash
# Set up .venv with the dev extras (first time), then lint, type-check and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy --strict billing reel bot/parse bot/request.py
.venv/bin/pytest -q "$@"
