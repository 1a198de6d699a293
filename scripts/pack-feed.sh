#!/usr/bin/env bash
# Packs every Bus library (every src/*/*.csproj with <IsPackable>true</IsPackable> except the Bus.Cli tool; add
# --with-cli to pack it too) into a local NuGet feed folder, with .snupkg symbol packages, then checks the packages
# (scripts/check-packages.sh). Needs only the .NET SDK (no PowerShell).
#
# Version: <VersionPrefix> of Directory.Build.props (a stable release version, e.g. 0.1.0), unless --version or
# BUS_VERSION gives another one (e.g. 0.2.0-preview.1). Output: artifacts/packages unless --output or BUS_FEED.
#
# Usage: scripts/pack-feed.sh [--version V] [--output DIR] [--with-cli]
# Then:  dotnet nuget add source /abs/path/artifacts/packages --name bus-local   (or a nuget.config, see docs/getting-started.md)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
version="${BUS_VERSION:-$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)}"
out="${BUS_FEED:-artifacts/packages}"
with_cli=false
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --output) out="$2"; shift 2 ;;
    --with-cli) with_cli=true; shift ;;
    *) echo "pack-feed: unknown argument '$1' (use --version V, --output DIR, --with-cli)" >&2; exit 2 ;;
  esac
done
semver='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$'
[[ "$version" =~ $semver ]] || { echo "pack-feed: version '$version' is not a semantic version (e.g. 1.2.3 or 1.2.3-preview.1)" >&2; exit 2; }
mkdir -p "$out"
packed=()
for csproj in src/*/*.csproj; do
  name="$(basename "$csproj" .csproj)"
  grep -q '<IsPackable>true</IsPackable>' "$csproj" || continue
  if [ "$name" = "Bus.Cli" ] && [ "$with_cli" != true ]; then continue; fi
  dotnet pack "$csproj" -c Release -o "$out" -p:Version="$version" --nologo -v q
  packed+=("$name")
done
[ ${#packed[@]} -gt 0 ] || { echo "pack-feed: no packable project under src/" >&2; exit 1; }
scripts/check-packages.sh "$out" "$version"
echo "pack-feed: packed ${packed[*]} $version into $(cd "$out" && pwd)"
