#!/usr/bin/env bash
# Follows docs/getting-started.md "Install" word for word in a fresh folder outside the repository: packs the feed
# (scripts/pack-feed.sh, the stable VersionPrefix version) into <tmp>/bus/artifacts/packages, makes the console app
# next to it, writes the page's nuget.config and Program.cs (extracted from the page), runs the page's
# `dotnet add package` lines, then requires a build with 0 warnings and a run that prints "test accuracy".
# The app restores into a private NuGet cache (BUS_CONSUMER_NUGET_PACKAGES, default: a new temp folder), so an older
# Bus package of the same version in the global cache cannot stand in; point it at a pre-filled folder (without
# bus.* entries) to avoid downloads. Verified 2026-12-01: 0 Warning(s), "test accuracy 100.0 %".
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
page="$repo/docs/getting-started.md"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work="$(mktemp -d)"
"$repo/scripts/pack-feed.sh" --output "$work/bus/artifacts/packages"
export NUGET_PACKAGES="${BUS_CONSUMER_NUGET_PACKAGES:-$work/nuget-packages}" # the consumer's cache only
cd "$work"
dotnet new console -n MyBusApp >/dev/null
cd MyBusApp
block() { awk -v lang="$1" '$0 == "```" lang {f=1; next} /^```$/ {f=0} f' "$page"; }
block xml > nuget.config
block csharp > Program.cs
[ -s nuget.config ] && [ -s Program.cs ] || { echo "check-getting-started: no xml/csharp block in $page" >&2; exit 1; }
grep -E '^ +dotnet add package ' "$page" | sed 's/#.*//' | while read -r line; do echo "+ $line"; $line; done
log="$(mktemp)"
dotnet build -c Release 2>&1 | tee "$log"
grep -q ' 0 Warning(s)' "$log" || { echo "check-getting-started: the build has warnings" >&2; exit 1; }
out="$(dotnet run -c Release --no-build)"
echo "$out"
grep -q 'test accuracy' <<<"$out" || { echo "check-getting-started: the app did not print its accuracy" >&2; exit 1; }
echo "check-getting-started: ok in $work/MyBusApp"
