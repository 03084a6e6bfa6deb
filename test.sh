#!/usr/bin/env bash
# Runs every PushGov test on a fresh machine: installs what it needs (Azurite from the committed npm lockfile,
# NuGet packages, the Bicep CLI package), builds with warnings as errors, checks formatting and the Bicep templates,
# then runs every test project. Tests start their own Azurite (free loopback ports, in memory) and stop it.
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n== %s\n' "$*"; }

step "Installing Azurite (npm ci), Chromium with CJK fonts (for the portal's browser tests) and NuGet packages"
scripts/ensure-azurite.sh
# Debian's chromium drives the portal's Playwright tests (Playwright never downloads a browser here); without the CJK
# fonts every Japanese character renders as a box. Skipped when both are present.
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then
  apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk > /dev/null
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
dotnet restore PushGov.Functions.sln -v q

step "Building (warnings are errors, nullable on)"
dotnet build PushGov.Functions.sln --no-restore -v q -nologo -clp:ErrorsOnly

step "Checking formatting (dotnet format --verify-no-changes)"
dotnet format PushGov.Functions.sln --verify-no-changes --no-restore

step "Checking the Bicep templates (build, lint, build-params)"
infra/check.sh

step "Running the tests"
results=$(mktemp -d)
passed=0 failed=0 status=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  log="$results/$name.log"
  # The exit code of dotnet test decides (a crash or a build error prints no summary); the summary gives the counts.
  set +e
  # The console logger at normal verbosity names each failed test with its error message: print those (and build
  # errors); the per-project counts follow from its summary.
  dotnet test "$project" --no-build -v q --nologo --logger 'console;verbosity=normal' 2>&1 | tee "$log" |
    awk '/ error [A-Z]+[0-9]+:/ { print; next } /^ +Failed [A-Za-z]/ { print; n = 3; next } n > 0 { print; n-- }'
  code=${PIPESTATUS[0]}
  set -e
  # (A run with no failure prints no "Failed:" line: awk alone, so a missing line counts 0 instead of failing the pipe.)
  p=$(awk '/^ +Passed: +[0-9]+$/ {s += $2} END {print s + 0}' "$log")
  f=$(awk '/^ +Failed: +[0-9]+$/ {s += $2} END {print s + 0}' "$log")
  echo "$name: ${p} passed, ${f} failed"
  if [ "$code" -ne 0 ]; then
    echo "$name: dotnet test exited with $code"
    status=1
  fi
  passed=$((passed + p)); failed=$((failed + f))
done
rm -rf "$results"

echo
echo "${passed} passed, ${failed} failed"
if [ "$failed" -ne 0 ] || [ "$status" -ne 0 ]; then
  exit 1
fi
