#!/usr/bin/env bash
# Install cgce with its test extras. torch is pinned first so that pip takes the local CPU wheel
# (an unpinned torch, or anything that pulls torchvision, would drag in a multi-GB CUDA build).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check "torch==2.13.0"
python -m pip install --quiet --disable-pip-version-check -e ".[test]"
