#!/usr/bin/env bash
# report.sh COMMAND...
# Runs a platform console command, shows its report in the log and, as a code block, in the job summary, and exits
# with the command's exit code (docs/console.md, "Exit codes"): a failed gate fails the job visibly.
set -uo pipefail
out=$(mktemp)
"$@" > "$out"
status=$?
cat "$out"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  { echo "### \`platform ${*:3}\`"; echo '```'; cat "$out"; echo '```'; } >> "$GITHUB_STEP_SUMMARY"
fi
exit "$status"
