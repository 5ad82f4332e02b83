#!/usr/bin/env bash
# Create .venv at the repo root and install Reelbot into it (dev extras with --dev).
# torch goes in first: a CPU machine gets torch 2.13.0; a machine with an NVIDIA GPU keeps (or gets)
# a CUDA build. Installing the project afterwards then finds torch already satisfied.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if ! .venv/bin/python -c "import torch" 2>/dev/null; then
  if command -v nvidia-smi >/dev/null 2>&1; then
    .venv/bin/pip install -q "torch>=2.4"
  else
    .venv/bin/pip install -q "torch==2.13.0"
  fi
fi
# (re)install the project only when pyproject.toml changed since the last install into this .venv
extra=""; [ "${1:-}" = "--dev" ] && extra="[dev]"
stamp=".venv/.reelbot-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)$extra"
if [ ! -x .venv/bin/reelbot ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/pip install -q -e ".$extra"
  echo "$want" > "$stamp"
fi
