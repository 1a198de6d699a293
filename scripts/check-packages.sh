#!/usr/bin/env bash
# Checks packed Bus packages: every .nupkg of VERSION in DIR has README.md and a matching .snupkg;
# Bus.Core's also carries buildTransitive/Bus.Core.targets (the TorchSharp shim fix) for consumers; no library
# depends on a native TorchSharp backend package (TorchSharp-cpu, TorchSharp-cuda-*).
# Usage: scripts/check-packages.sh [DIR=artifacts/packages] [VERSION=(from Directory.Build.props)]
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-artifacts/packages}"
version="${2:-$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)}"
list() { # zip entries of $1, one per line
  if command -v unzip >/dev/null; then unzip -Z1 "$1"; else python3 -c 'import sys,zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"; fi
}
nuspec() { # the .nuspec text of package $1 named $2
  if command -v unzip >/dev/null; then unzip -p "$1" "$2.nuspec"; else python3 -c 'import sys,zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2] + ".nuspec").decode())' "$1" "$2"; fi
}
shopt -s nullglob
packages=("$dir"/*."$version".nupkg)
[ ${#packages[@]} -gt 0 ] || { echo "check-packages: no .nupkg of version $version in $dir" >&2; exit 1; }
status=0
for nupkg in "${packages[@]}"; do
  name="$(basename "$nupkg" ".$version.nupkg")"
  entries="$(list "$nupkg")"
  grep -qx 'README.md' <<<"$entries" || { echo "check-packages: $name has no README.md" >&2; status=1; }
  [ -f "${nupkg%.nupkg}.snupkg" ] || { echo "check-packages: $name has no .snupkg symbols package" >&2; status=1; }
  # Libraries leave the native backend to the app: they may depend on TorchSharp, never on TorchSharp-cpu/-cuda.
  # (the nuspec is read whole before grep: `cmd | grep -q` under pipefail fails when grep's early exit kills cmd)
  spec="$(nuspec "$nupkg" "$name")"
  if [ "$name" != "Bus.Cli" ] && grep -q 'id="TorchSharp-' <<<"$spec"; then
    echo "check-packages: $name depends on a TorchSharp backend package (TorchSharp-cpu/-cuda); libraries must reference TorchSharp only" >&2; status=1
  fi
  if [ "$name" = "Bus.Core" ]; then
    grep -qx 'buildTransitive/Bus.Core.targets' <<<"$entries" || { echo "check-packages: Bus.Core lacks buildTransitive/Bus.Core.targets" >&2; status=1; }
  fi
  echo "check-packages: $name $version ok"
done
exit $status
