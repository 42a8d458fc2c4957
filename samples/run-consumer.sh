#!/usr/bin/env bash
# Packs the Tracr.Generators package and builds and runs samples/Consumer and the single-file app
# samples/SingleFile/app.cs against it, the way a user would consume it. Fails (non-zero exit) on any error: pack,
# restore, build (warnings are errors there), a missing file in the package, wrong package metadata, or a wrong
# model output.
#   bash samples/run-consumer.sh
# Steps:
#   1. dotnet pack src/Tracr/Tracr.csproj -c Release -o artifacts/packages   (cleaned first)
#   2. restore samples/Consumer with a fresh, empty NUGET_PACKAGES folder, so a previously cached
#      Tracr.Generators of the same version can never be used
#   3. check the extracted package layout and metadata (samples/PackageCheck/check-package.cs: no placeholders,
#      licence, icon, absolute README links, embedded PDBs with SourceLink and /_/ paths, versions)
#   4. build the sample, run it (it exits 1 unless it prints c b a)
#   5. `dotnet run app.cs` in samples/SingleFile (#:package Tracr.Generators@<version>), the README's quick start
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
sample="$repo/samples/Consumer"
packages="$repo/artifacts/packages"   # the local source named in samples/Consumer/nuget.config

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_UI_LANGUAGE=en

fail() { echo "run-consumer: FAILED: $*" >&2; exit 1; }

cache="$(mktemp -d "${TMPDIR:-/tmp}/tracr-consumer-nuget.XXXXXX")"
trap 'status=$?; rm -rf "$cache"; [ "$status" -eq 0 ] || echo "run-consumer: FAILED (exit code $status)" >&2' EXIT
export NUGET_PACKAGES="$cache"

start=$SECONDS
echo "run-consumer: packing into $packages"
rm -rf "$packages"
mkdir -p "$packages"
dotnet pack "$repo/src/Tracr/Tracr.csproj" -c Release -o "$packages" -nologo -v:q

shopt -s nullglob
nupkgs=("$packages"/*.nupkg)
shopt -u nullglob
[ "${#nupkgs[@]}" -eq 1 ] || fail "expected exactly one package in $packages, found ${#nupkgs[@]}: ${nupkgs[*]:-none}"
file="$(basename "${nupkgs[0]}")"
case "$file" in
  Tracr.Generators.*.nupkg) ;;
  *) fail "unexpected package $file (expected Tracr.Generators.<version>.nupkg)" ;;
esac
version="${file#Tracr.Generators.}"
version="${version%.nupkg}"
echo "run-consumer: packed $file ($((SECONDS - start)) s)"

step=$SECONDS
echo "run-consumer: restoring samples/Consumer (isolated NuGet cache $cache)"
# --force: a restore from an earlier run (other cache folder) is never reused.
dotnet restore "$sample/Consumer.csproj" -p:TracrPackageVersion="$version" --force -nologo -v:q

# The restore extracted the package into the isolated cache: check its layout there.
extracted="$cache/tracr.generators/$version"
for f in lib/net10.0/Tracr.dll lib/net10.0/Tracr.xml lib/net10.0/Tracr.Compiler.dll lib/net10.0/Tracr.Compiler.xml \
         analyzers/dotnet/cs/Tracr.Generators.dll analyzers/dotnet/cs/Tracr.Generators.CodeFixes.dll README.md LICENSE icon.png; do
  [ -f "$extracted/$f" ] || fail "the package has no $f (extracted at $extracted)"
done
# Tracr.Compiler is bundled in lib/, never a dependency on a package of its own.
if grep -iE '<dependency id="Tracr[."]' "$extracted/tracr.generators.nuspec"; then
  fail "the package depends on another Tracr package (Tracr.Compiler must be bundled)"
fi

echo "run-consumer: checking the package metadata"
dotnet run --no-cache --file "$repo/samples/PackageCheck/check-package.cs" -- "$extracted" "$version"

echo "run-consumer: building samples/Consumer"
dotnet build "$sample/Consumer.csproj" -c Release --no-restore -p:TracrPackageVersion="$version" -nologo -v:q

echo "run-consumer: restored and built the sample ($((SECONDS - step)) s)"

echo "run-consumer: running samples/Consumer"
dotnet "$sample/bin/Release/net10.0/Consumer.dll"

echo "run-consumer: running the single-file app samples/SingleFile/app.cs"
single="$repo/samples/SingleFile"
grep -qx "#:package Tracr.Generators@$version" "$single/app.cs" \
  || fail "samples/SingleFile/app.cs does not reference Tracr.Generators@$version (update its #:package line, and the README's)"
(cd "$single" && dotnet run --no-cache app.cs)

echo "run-consumer: OK, Tracr.Generators $version packed, consumed and run ($((SECONDS - start)) s)"
