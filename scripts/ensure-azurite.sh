#!/usr/bin/env bash
# Installs Azurite from the committed lockfile (npm ci) unless node_modules already holds exactly that lockfile's tree.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.pushgov-lock
if [ -x node_modules/.bin/azurite ] && [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
