<#
.SYNOPSIS
  Packs every packable project under src/ (IsPackable=true: Bus.Core, Bus.Growth, Bus.Selection, Bus.Optimizers,
  Bus.MLNet and the Bus.Cli tool) into artifacts/packages, with .snupkg symbol packages.
.DESCRIPTION
  The version comes from <VersionPrefix> in Directory.Build.props unless -Version is given. README, licence
  expression and SourceLink come from Directory.Build.props. Uses only the PowerShell language and native
  commands (no module cmdlets), so it also runs in a bare hosted runspace. Fails (throws, exit code 1 under
  pwsh -File) when a pack fails.
.EXAMPLE
  pwsh ./pack.ps1
  pwsh ./pack.ps1 -Version 0.2.0-preview.1
  pwsh ./pack.ps1 -DryRun     # prints the dotnet commands without running them
  pwsh ./pack.ps1 -Project Bus.Core,Bus.Growth   # packs only these projects
#>
[CmdletBinding()]
param(
    [string]$Version = '',
    [string]$Configuration = 'Release',
    [string]$Output = '',
    [string[]]$Project = @(),
    [switch]$DryRun
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
if ([string]::IsNullOrEmpty($root)) { $root = [System.IO.Directory]::GetCurrentDirectory() }
if ([string]::IsNullOrEmpty($Output)) { $Output = [System.IO.Path]::Combine($root, 'artifacts', 'packages') }

# Version: -Version, else Directory.Build.props <VersionPrefix>.
$propsPath = [System.IO.Path]::Combine($root, 'Directory.Build.props')
$props = [System.IO.File]::ReadAllText($propsPath)
$match = [regex]::Match($props, '<VersionPrefix>\s*([^<\s]+)\s*</VersionPrefix>')
if (-not $match.Success) { throw "No <VersionPrefix> in $propsPath." }
$propsVersion = $match.Groups[1].Value
if ([string]::IsNullOrEmpty($Version)) { $Version = $propsVersion }
$semver = '^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$'
if (-not [regex]::IsMatch($Version, $semver)) { throw "Version '$Version' is not a semantic version (e.g. 1.2.3 or 1.2.3-preview.1)." }

# Packable projects: src/*/*.csproj that set <IsPackable>true</IsPackable>.
$projects = @()
foreach ($dir in [System.IO.Directory]::GetDirectories([System.IO.Path]::Combine($root, 'src'))) {
    foreach ($csproj in [System.IO.Directory]::GetFiles($dir, '*.csproj')) {
        $name = [System.IO.Path]::GetFileNameWithoutExtension($csproj)
        if ($Project.Count -gt 0 -and $Project -notcontains $name) { continue }
        if ([System.IO.File]::ReadAllText($csproj) -match '<IsPackable>\s*true\s*</IsPackable>') { $projects += $csproj }
    }
}
[string[]]$projects = $projects
[System.Array]::Sort($projects, [System.StringComparer]::Ordinal)
if ($projects.Count -eq 0) { throw "No packable project under $root/src." }

"pack.ps1: version $Version (Directory.Build.props: $propsVersion), configuration $Configuration, output $Output"
foreach ($csprojPath in $projects) {
    $arguments = @('pack', $csprojPath, '-c', $Configuration, '-o', $Output, "-p:Version=$Version", '--nologo')
    "dotnet $($arguments -join ' ')"
    if ($DryRun) { continue }
    & dotnet @arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet pack failed for $csprojPath (exit code $LASTEXITCODE)." }
}
if (-not $DryRun) { "pack.ps1: packed $($projects.Count) projects into $Output" }
