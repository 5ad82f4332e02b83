#!/usr/bin/env bash
# Set up .venv (first time) and start the bot with the settings in the environment / .env.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/reelbot run "$@"
