#!/usr/bin/env bash
# Checks the Bicep templates offline: `bicep build` and `bicep lint` on every .bicep file under infra/,
# `bicep build-params` on every .bicepparam file. Fails on any error or warning (infra/bicepconfig.json
# sets the linter rules). The Bicep CLI comes from the NuGet package Azure.Bicep.CommandLine.linux-x64
# (restored by `dotnet restore tools/bicep`); set BICEP=/path/to/bicep to use another binary.
# Nothing is deployed.
set -euo pipefail

infra_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$infra_dir")"
start_ns=$(date +%s%N)

find_bicep() {
  if [[ -n "${BICEP:-}" ]]; then
    echo "$BICEP"
    return
  fi
  local version packages
  version=$(sed -n 's/.*PackageVersion Include="Azure.Bicep.CommandLine.linux-x64" Version="\([^"]*\)".*/\1/p' \
    "$repo_dir/Directory.Packages.props")
  if [[ -z "$version" ]]; then
    echo "check.sh: no PackageVersion for Azure.Bicep.CommandLine.linux-x64 in Directory.Packages.props" >&2
    exit 2
  fi
  packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
  local exe="$packages/azure.bicep.commandline.linux-x64/$version/tools/bicep"
  if [[ ! -f "$exe" ]]; then
    dotnet restore "$repo_dir/tools/bicep/bicep.csproj" -v q >&2
  fi
  echo "$exe"
}

bicep=$(find_bicep)
[[ -x "$bicep" ]] || chmod u+x "$bicep"
echo "bicep: $("$bicep" --version)"

# prod.bicepparam reads the owner and cost centre from the deploying shell and has no default for them;
# give placeholders here so the parameters file itself can be checked.
export PUSHGOV_OWNER="${PUSHGOV_OWNER:-check-owner}"
export PUSHGOV_COST_CENTRE="${PUSHGOV_COST_CENTRE:-check-cost-centre}"

out_dir=$(mktemp -d)
trap 'rm -rf "$out_dir"' EXIT
failures=0
checked=0

# Runs one bicep command; any diagnostic (the CLI prints warnings and errors to stderr) fails the check.
run() {
  local what="$1"
  shift
  local log="$out_dir/log"
  checked=$((checked + 1))
  if ! "$bicep" "$@" >"$out_dir/stdout" 2>"$log" || [[ -s "$log" ]]; then
    echo "FAIL $what" >&2
    sed 's/^/  /' "$log" >&2
    failures=$((failures + 1))
  else
    echo "ok   $what"
  fi
}

cd "$infra_dir"
bicep_count=$(find . -name '*.bicep' -not -path './.*' | wc -l)
param_count=$(find . -name '*.bicepparam' -not -path './.*' | wc -l)
if [[ $bicep_count -eq 0 || $param_count -eq 0 ]]; then
  echo "check.sh: found $bicep_count .bicep and $param_count .bicepparam files under infra/" >&2
  exit 2
fi

# One process per command (each start of the CLI costs about 1.5 s); the patterns cover every file.
run "build        $bicep_count .bicep files" build --pattern '**/*.bicep' --outdir "$out_dir/arm"
run "lint         $bicep_count .bicep files" lint --pattern '**/*.bicep'
run "build-params $param_count .bicepparam files" build-params --pattern '**/*.bicepparam' --outdir "$out_dir/params"

elapsed_ms=$((($(date +%s%N) - start_ns) / 1000000))
printf 'infra/check.sh: %d checks, %d failed, %d.%01d s\n' "$checked" "$failures" \
  $((elapsed_ms / 1000)) $((elapsed_ms % 1000 / 100))
[[ $failures -eq 0 ]]
