#!/usr/bin/env bash
# Regenerates PublicAPI.Unshipped.txt of Tracr.Compiler and Tracr from the code, after a deliberate change to the public
# API (the build fails with RS0016 for a public symbol not listed, RS0017 for a listed symbol that is gone). Review the
# diff: it is the API change. PublicAPI.Shipped.txt is left alone (moved there by hand at a release).
# Each file is rebuilt from its header rather than patched, since RS0017 (removed or renamed symbols) has no code fix;
# the symbols are then added by PublicApiAnalyzers' RS0016 code fix through `dotnet format analyzers`.
# Offline: --no-restore, so restore once first (any `dotnet build` of the solution does).
# Usage: scripts/update-public-api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for project in src/Tracr.Compiler/Tracr.Compiler.csproj src/Tracr/Tracr.csproj; do
  dir="$(dirname "$project")"
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
  dotnet format analyzers "$project" --no-restore --diagnostics RS0016 --severity warn
  echo "$dir/PublicAPI.Unshipped.txt: $(($(wc -l < "$dir/PublicAPI.Unshipped.txt") - 1)) symbols"
done
