#!/usr/bin/env bash
# Packs every Bus library into artifacts/packages with scripts/pack-feed.sh (a unique pre-release version, so NuGet's
# global cache never serves a stale package; BUS_SAMPLES_VERSION overrides it), then builds and runs EVERY sample:
# each folder under docs/samples that holds a .csproj, consuming the packed packages (PackageReference, not project
# references). The build must be warning-free (-warnaserror). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
prefix="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)"
version="${BUS_SAMPLES_VERSION:-$prefix-samples.$(date +%Y%m%d%H%M%S)}"
t0=$(date +%s)
scripts/pack-feed.sh --version "$version" --output artifacts/packages
echo "run-samples: packed $version in $(( $(date +%s) - t0 )) s"
shopt -s nullglob
samples=()
for dir in docs/samples/*/; do
  csprojs=("$dir"*.csproj)
  [ ${#csprojs[@]} -gt 0 ] && samples+=("$(basename "$dir")")
done
[ ${#samples[@]} -gt 0 ] || { echo "run-samples: no sample under docs/samples" >&2; exit 1; }
for sample in "${samples[@]}"; do
  t=$(date +%s)
  dotnet build "docs/samples/$sample/$sample.csproj" -c Release -p:BusVersion="$version" -warnaserror --nologo -v q
  built=$(date +%s)
  (cd "docs/samples/$sample/bin/Release/net10.0" && timeout 300 dotnet "$sample.dll")
  echo "run-samples: $sample built in $(( built - t )) s, ran in $(( $(date +%s) - built )) s"
done
echo "run-samples: all ${#samples[@]} samples (${samples[*]}) passed in $(( $(date +%s) - t0 )) s"
