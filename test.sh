#!/usr/bin/env bash
# README command 2: installs what the tests need (NuGet restore, the @pulumi/aws type definitions), runs every
# test of Platform.sln and ends with the summary line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

want=$(sed -n 's/.*"@pulumi\/aws": *"\([^"]*\)".*/\1/p' conformance/package.json)
have=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' conformance/node_modules/@pulumi/aws/package.json 2>/dev/null | head -n 1)
if [ "$want" != "$have" ]; then
  echo "test.sh: installing @pulumi/aws $want (npm ci) ..." >&2
  npm ci --prefix conformance --ignore-scripts --no-audit --no-fund >&2 || { echo "test.sh: npm ci failed" >&2; exit 1; }
fi

# GitHub's workflow schema validator (action-validator), used by tests/Platform.Workflows.Tests.
if [ ! -f tools/workflow-schema/node_modules/@action-validator/cli/cli.mjs ]; then
  echo "test.sh: installing the workflow schema validator (npm ci) ..." >&2
  npm ci --prefix tools/workflow-schema --ignore-scripts --no-audit --no-fund >&2 || { echo "test.sh: npm ci failed" >&2; exit 1; }
fi

dotnet build Platform.sln -c Release --nologo -v quiet -clp:ErrorsOnly || { echo "test.sh: build failed"; echo "0 passed, 1 failed"; exit 1; }
# Pulumi's compiler command publishes the native compiler on its first run (about a minute on a fresh clone): do it
# here, so that this build is not left to the first test that runs the command, competing with the other tests.
sh infra/compile.sh </dev/null >/dev/null || { echo "test.sh: infra/compile.sh failed"; echo "0 passed, 1 failed"; exit 1; }

results=$(mktemp -d)
dotnet test Platform.sln -c Release --no-build --nologo --logger trx --results-directory "$results" "$@"
status=$?

passed=0; failed=0; total=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  e=$(echo "$counters" | sed -n 's/.* error="\([0-9]*\)".*/\1/p')
  t=$(echo "$counters" | sed -n 's/.* total="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); total=$((total + ${t:-0}))
done
rm -rf "$results"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a crashed test host counts as a failure
echo "$passed passed, $failed failed"
exit "$status"
