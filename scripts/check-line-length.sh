#!/usr/bin/env bash
# Proves the build's line-length check (build/LineLength.targets) fires: a throwaway project under a temp src/ folder
# (BusLineLengthRoot), with one line at the .editorconfig max_line_length and one a column over, plus the same long line in a
# generated file under obj/. Expects: `error` fails and names the file and line; `warning` passes and warns; `off` is
# silent; the obj/ file is never reported; a bad mode is refused. Cheap: one tiny MSBuild project, no compiler run.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
max="$(sed -n 's/^max_line_length *= *\([0-9]*\).*/\1/p' "$repo/.editorconfig" | head -1)"
[ -n "$max" ] || { echo "error: no max_line_length in $repo/.editorconfig" >&2; exit 1; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
probe="$tmp/src/Probe"; mkdir -p "$probe/obj"
line() { printf '//%*s\n' "$(($1 - 2))" '' | tr ' ' x; }
{ echo "// fine"; line "$max"; line $((max + 1)); } > "$probe/Long.cs"
line $((max + 1)) > "$probe/obj/Generated.cs"
cat > "$probe/Probe.proj" <<PROJ
<Project>
  <ItemGroup><Compile Include="Long.cs;obj/Generated.cs" /></ItemGroup>
  <Target Name="CoreCompile" />
  <Import Project="$repo/build/LineLength.targets" />
</Project>
PROJ
run() {
    dotnet msbuild "$probe/Probe.proj" -t:CoreCompile -nologo -v:m "-p:BusMaxLineLengthCheck=$1" "-p:BusLineLengthRoot=$tmp/src" \
        > "$tmp/out" 2>&1
}
fail() { echo "check-line-length: $1" >&2; cat "$tmp/out" >&2; exit 1; }
check() {
    local mode="$1" kind="$2" want_rc="$3" rc=0
    expected="Long.cs(3): $kind BUS0140: line is $((max + 1)) columns, over the .editorconfig max_line_length of $max"
    run "$mode" || rc=$?
    [ "$rc" -eq "$want_rc" ] || fail "mode $mode exited $rc, expected $want_rc"
    [ "$(grep -c 'BUS0140' "$tmp/out")" -eq 1 ] || fail "mode $mode: expected exactly one BUS0140 line (not Long.cs(2), not obj/)"
    grep -qF "$expected" "$tmp/out" || fail "mode $mode: no line '$expected'"
}
check error error 1
check warning warning 0
run off || fail "mode off failed"
! grep -q BUS0140 "$tmp/out" || fail "mode off reported a line"
rc=0; run sometimes || rc=$?
[ "$rc" -ne 0 ] && grep -q "BusMaxLineLengthCheck is 'sometimes'" "$tmp/out" || fail "a bad mode was not refused"
echo "check-line-length: ok (max_line_length $max from .editorconfig; error, warning, off and a bad mode behave)"
