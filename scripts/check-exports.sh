#!/usr/bin/env bash
# Exports every golden and library model (TransformerLens safetensors, ONNX, the reference run) and checks them
# with Python: scripts/check_exports.py (numpy TransformerLens forward pass, the real HookedTransformer when
# transformer_lens is installed, onnx.checker when onnx is). Not run by CI. Needs python3 with numpy
# (Debian: apt-get install -y python3-numpy python3-onnx).
# Usage: scripts/check-exports.sh [DIR]   (default: artifacts/exports)
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$(realpath -m "${1:-artifacts/exports}")"
mkdir -p "$dir"
TRACR_EXPORT_DIR="$dir" dotnet test tests/Tracr.Export.Tests -c Release \
  --filter "FullyQualifiedName~GoldenExports_WriteTheFilesThePythonCheckReads"
# Debian's python3 carries the Debian numpy/onnx packages (a pyenv python3 on PATH may not).
py=/usr/bin/python3
[ -x "$py" ] || py=python3
"$py" scripts/check_exports.py "$dir"
