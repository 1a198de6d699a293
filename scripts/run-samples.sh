#!/usr/bin/env bash
# Packs the Bus libraries into artifacts/packages (the pwsh-less equivalent of pack.ps1, with a unique
# pre-release version so NuGet's cache never serves a stale package), checks the packages, then builds and runs
# each sample under docs/samples against that local feed (PackageReference, not project references).
# Exits non-zero on any failure. Bus.Cli is not packed here: no sample uses it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
prefix="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)"
version="${BUS_SAMPLES_VERSION:-$prefix-samples.$(date +%Y%m%d%H%M%S)}"
out=artifacts/packages
t0=$(date +%s)
for project in Bus.Core Bus.Growth Bus.Selection Bus.Optimizers Bus.MLNet; do
  dotnet pack "src/$project/$project.csproj" -c Release -o "$out" -p:Version="$version" --nologo -v q
done
scripts/check-packages.sh "$out" "$version"
echo "run-samples: packed $version in $(( $(date +%s) - t0 )) s"
for sample in GrowThenTrain MLNetPipeline DiHost; do
  t=$(date +%s)
  dotnet build "docs/samples/$sample/$sample.csproj" -c Release -p:BusVersion="$version" --nologo -v q
  built=$(date +%s)
  (cd "docs/samples/$sample/bin/Release/net10.0" && timeout 120 dotnet "$sample.dll")
  echo "run-samples: $sample built in $(( built - t )) s, ran in $(( $(date +%s) - built )) s"
done
echo "run-samples: all samples passed in $(( $(date +%s) - t0 )) s"
