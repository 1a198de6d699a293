#!/usr/bin/env bash
# Runs docs/getting-started.md word for word on this machine, in a temp folder outside the repository:
#  1. packs every package INCLUDING the Bus.Cli tool (scripts/pack-feed.sh --with-cli) with a unique pre-release version
#     (so NuGet's global cache never serves a stale copy; BUS_CHECK_VERSION overrides it) into TMP/bus/artifacts/packages,
#     the place the doc's nuget.config points at;
#  2. makes the console app as the doc says: `dotnet new console -n MyBusApp`, the doc's ```xml block as nuget.config,
#     the doc's `dotnet add package` lines (Bus.* ones given the packed version), the doc's FIRST ```csharp block as
#     Program.cs (extracted, so doc and check cannot drift); `dotnet build -c Release` must print 0 warnings and
#     0 errors, `dotnet run -c Release` must print the line after the doc's "# prints: ";
#  3. installs the tool with the doc's `dotnet tool install --tool-path` line (into TMP, with the packed version), runs
#     `bus --help` and the doc's `bus train ...` growth run: exit 0, a "growth 1 (" line and "d_model=<the doc's
#     --grow-to-d>" on the final line.
# Removes the temp folder and the packed version from NuGet's global cache at the end. Prints timings and sizes.
# Exits non-zero on any failure with a line "check-getting-started: FAILED: ...".
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
doc="$repo/docs/getting-started.md"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
say() { echo "check-getting-started: $*"; }
fail() { echo "check-getting-started: FAILED: $*" >&2; exit 1; }
[ -f "$doc" ] || fail "$doc not found"

prefix="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)"
version="${BUS_CHECK_VERSION:-$prefix-gs.$(date +%Y%m%d%H%M%S)}"
torch_version="$(sed -n 's:.*<PackageVersion Include="TorchSharp-cpu" Version="\([^"]*\)".*:\1:p' Directory.Packages.props)"
cache="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/bus-getting-started.XXXXXX")"
cleanup() {
  rm -rf "$tmp"
  # The unique version is never used again: drop it from the global cache (the tool package is hundreds of MB).
  for dir in "$cache"/bus.*/"$version"; do [ -d "$dir" ] && rm -rf "$dir"; done
  return 0
}
trap cleanup EXIT

# --- What the doc says (extracted, never copied into this script) ---
# Fenced block number 1 of a language; indented (4-space) command lines starting with a given text.
fenced() { awk -v lang="$1" '$0 == "```" lang { on = 1; next } on && $0 == "```" { exit } on { print }' "$doc"; }
commands() { sed -n "s/^    \($1.*\)$/\1/p" "$doc" | sed 's/ *#.*$//'; }
program="$(fenced csharp)"; [ -n "$program" ] || fail "no \`\`\`csharp block in $doc"
nugetconfig="$(fenced xml)"; [ -n "$nugetconfig" ] || fail "no \`\`\`xml block (nuget.config) in $doc"
mapfile -t adds < <(commands 'dotnet add package ')
[ ${#adds[@]} -gt 0 ] || fail "no indented 'dotnet add package' line in $doc"
promise="$(sed -n 's/^    dotnet run -c Release *# prints: \(.*\)$/\1/p' "$doc" | head -n 1)"
[ -n "$promise" ] || fail "no '    dotnet run -c Release   # prints: ...' line in $doc"
install_line="$(commands 'dotnet tool install --tool-path ' | head -n 1)"
[ -n "$install_line" ] || fail "no indented 'dotnet tool install --tool-path ...' line in $doc"
global_line="$(commands 'dotnet tool install --global ' | head -n 1)"
[ -n "$global_line" ] || fail "no indented 'dotnet tool install --global ...' line in $doc"
uninstall_global="$(grep -o '`dotnet tool uninstall --global [^`]*`' "$doc" | head -n 1 | tr -d '`')"
[ -n "$uninstall_global" ] || fail "no \`dotnet tool uninstall --global ...\` in $doc"
train_line="$(commands 'bus train ' | head -n 1)"
[ -n "$train_line" ] || fail "no indented 'bus train ...' line in $doc"
grow_to_d="$(sed -n 's/.*--grow-to-d \([0-9]*\).*/\1/p' <<<"$train_line")"
[ -n "$grow_to_d" ] || fail "the doc's growth run '$train_line' has no --grow-to-d"
for add in "${adds[@]}"; do
  if [[ "$add" == "dotnet add package TorchSharp-cpu"* ]] && [[ "$add" != *"--version $torch_version" ]]; then
    fail "the doc's '$add' does not pin TorchSharp-cpu $torch_version (Directory.Packages.props)"
  fi
done
say "doc: ${#adds[@]} 'dotnet add package' lines, Program.cs of $(wc -l <<<"$program") lines, promise '$promise'"
say "doc: tool install '$install_line' / '$global_line'; growth run '$train_line'; '$uninstall_global'"

# The CUDA switch the page documents: the default backend and the error for a wrong name (no CUDA package needed).
backend="$(dotnet msbuild src/Bus.Cli/Bus.Cli.csproj -getProperty:BusTorchBackend)"
[ "$backend" = "TorchSharp-cpu" ] || fail "Bus.Cli's default BusTorchBackend is '$backend', not TorchSharp-cpu"
bad="$(dotnet msbuild src/Bus.Cli/Bus.Cli.csproj -t:BusCheckTorchBackend -p:BusTorchBackend=Nope -nologo 2>&1)" &&
  fail "-p:BusTorchBackend=Nope did not stop the build"
grep -q "BusTorchBackend 'Nope' is not a backend: use TorchSharp-cpu" <<<"$bad" || { echo "$bad"; fail "no clear BusTorchBackend error"; }

t0=$(date +%s)
# --- 1. the feed, where the doc's nuget.config (../bus/artifacts/packages) finds it ---
feed="$tmp/bus/artifacts/packages"
scripts/pack-feed.sh --with-cli --version "$version" --output "$feed" || fail "scripts/pack-feed.sh --with-cli failed"
t_pack=$(( $(date +%s) - t0 ))
tool_pkg="$feed/Bus.Cli.$version.nupkg"
[ -f "$tool_pkg" ] || fail "$tool_pkg was not packed"
list_zip() { if command -v unzip >/dev/null; then unzip -l "$1"; else python3 -m zipfile -l "$1"; fi; }
# The listing is taken whole first: under pipefail `list_zip | grep -q` fails at random when grep's early exit kills unzip.
tool_entries="$(list_zip "$tool_pkg")"
grep -q 'runtimes/linux-x64/native/libtorch_cpu.so' <<<"$tool_entries" || fail "$tool_pkg carries no CPU libtorch for linux-x64"
pkg_mb=$(( $(stat -c %s "$tool_pkg") / 1000000 ))
say "packed $version (libraries and the tool) in $t_pack s; Bus.Cli.$version.nupkg is $pkg_mb MB"

# --- 2. the console app ---
t=$(date +%s)
cd "$tmp"
dotnet new console -n MyBusApp >/dev/null || fail "dotnet new console -n MyBusApp failed"
cd MyBusApp
printf '%s\n' "$nugetconfig" > nuget.config
for add in "${adds[@]}"; do
  if [[ "$add" == "dotnet add package Bus."* ]]; then add="$add --version $version"; fi
  say "$add"
  $add >/dev/null || fail "'$add' failed"
done
printf '%s\n' "$program" > Program.cs
build_log="$tmp/build.log"
dotnet build -c Release > "$build_log" 2>&1 || { tail -n 30 "$build_log"; fail "dotnet build -c Release failed"; }
if ! grep -Eq '^ *0 Warning\(s\)' "$build_log"; then
  grep -E 'warning|Warning\(s\)' "$build_log"
  fail "dotnet build -c Release printed warnings"
fi
grep -Eq '^ *0 Error\(s\)' "$build_log" || fail "dotnet build -c Release did not print 0 Error(s)"
t_build=$(( $(date +%s) - t ))
t=$(date +%s)
run_out="$(timeout 600 dotnet run -c Release 2>&1)" || { echo "$run_out"; fail "dotnet run -c Release failed"; }
echo "$run_out"
grep -qxF "$promise" <<<"$run_out" || fail "dotnet run -c Release did not print the doc's line '$promise'"
t_run=$(( $(date +%s) - t ))
say "console app: made and built in $t_build s (0 warnings), ran in $t_run s, printed '$promise'"

# --- 3. the tool: the doc's install line (from the bus folder, where artifacts/packages is the feed) ---
cd "$tmp/bus"
tool_dir="$tmp/bus-tool"
read -r -a install <<<"$install_line"
# The doc's --tool-path DIR becomes the temp folder; the packed version is a pre-release, so it is named.
for i in "${!install[@]}"; do [ "${install[$i]}" = "--tool-path" ] && install[$((i + 1))]="$tool_dir"; done
t=$(date +%s)
say "${install[*]} --version $version"
"${install[@]}" --version "$version" || fail "'${install[*]} --version $version' failed"
t_install=$(( $(date +%s) - t ))
installed_mb=$(du -sm "$tool_dir" | cut -f1)
say "installed in $t_install s; $tool_dir takes $installed_mb MB (du); its biggest parts:"
du -am "$tool_dir" | sort -rn | sed -n '2,7p' | sed "s|$tool_dir/||"
bus="$tool_dir/bus"
help_out="$("$bus" --help 2>&1)" || { echo "$help_out"; fail "bus --help failed"; }
grep -q ' train ' <<<"$help_out" || { echo "$help_out"; fail "bus --help does not list the train command"; }
# The doc's --global line and its uninstall, into a private DOTNET_CLI_HOME (never this user's ~/.dotnet/tools).
read -r -a global <<<"$global_line"
export_home="$tmp/cli-home"
say "DOTNET_CLI_HOME=$export_home ${global[*]} --version $version"
DOTNET_CLI_HOME="$export_home" "${global[@]}" --version "$version" >/dev/null || fail "'$global_line --version $version' failed"
[ -x "$export_home/.dotnet/tools/bus" ] || fail "the --global install made no $export_home/.dotnet/tools/bus"
"$export_home/.dotnet/tools/bus" --help >/dev/null 2>&1 || fail "the globally installed bus --help failed"
# shellcheck disable=SC2086 # the doc's command, split into words as a shell would
DOTNET_CLI_HOME="$export_home" $uninstall_global || fail "'$uninstall_global' failed"
[ ! -e "$export_home/.dotnet/tools/bus" ] || fail "'$uninstall_global' left $export_home/.dotnet/tools/bus"
rm -rf "$export_home"
say "--global install, bus --help and '$uninstall_global' ok"
read -r -a train <<<"$train_line"
train[0]="$bus"
t=$(date +%s)
cd "$tmp"
train_out="$("${train[@]}" 2>&1)" || { echo "$train_out"; fail "'$train_line' exited non-zero"; }
t_train=$(( $(date +%s) - t ))
echo "$train_out" | tail -n 4
grep -q 'growth 1 (' <<<"$train_out" || fail "'$train_line' printed no 'growth 1 (' line"
grep -q -E "^done: .*d_model=$grow_to_d[ ,]" <<<"$train_out" || fail "'$train_line' did not end with d_model=$grow_to_d"
say "growth run: exit 0 in $t_train s, grew to d_model=$grow_to_d"
uninstall_local="$(grep -o '`dotnet tool uninstall --tool-path [^`]*`' "$doc" | head -n 1 | tr -d '`')"
[ -n "$uninstall_local" ] || fail "no \`dotnet tool uninstall --tool-path ...\` in $doc"
read -r -a uninstall <<<"$uninstall_local"
for i in "${!uninstall[@]}"; do [ "${uninstall[$i]}" = "--tool-path" ] && uninstall[$((i + 1))]="$tool_dir"; done
"${uninstall[@]}" >/dev/null || fail "'${uninstall[*]}' failed"
[ ! -e "$bus" ] || fail "'${uninstall[*]}' left $bus"
say "'$uninstall_local' (in the temp folder) ok"

say "PASSED in $(( $(date +%s) - t0 )) s: pack $t_pack s, app build $t_build s, app run $t_run s," \
  "tool install $t_install s, growth run $t_train s; tool package $pkg_mb MB, installed $installed_mb MB"
