#!/usr/bin/env bash
# Step 2 of action.yml: run assay once with SARIF output, then print the readable
# report of the same inputs to the log. Writes `exit-code` and `sarif-file` to
# $GITHUB_OUTPUT and always exits 0, so the SARIF upload runs before the last step fails
# the job. Inputs arrive as environment variables (INPUT_*), never as script text.
set -uo pipefail
out="${GITHUB_OUTPUT:-/dev/stdout}"
assay="${ASSAY:-assay}"
command="${INPUT_COMMAND:-scan}"
case "$command" in
  scan|deps) ;;
  *)
    echo "assay action: command must be scan or deps, not '$command'" >&2
    { echo "exit-code=2"; echo "sarif-file="; } >> "$out"
    exit 0
    ;;
esac
# Paths and extra arguments split on whitespace (newlines included); no glob expansion.
set -f
# shellcheck disable=SC2206
paths=(${INPUT_PATHS:-.})
# shellcheck disable=SC2206
extra=(${INPUT_ARGS:-})
set +f
if [[ "$command" == deps && ${#paths[@]} -gt 1 ]]; then
  echo "assay action: deps takes one lockfile or project directory; got ${#paths[@]} paths" >&2
  { echo "exit-code=2"; echo "sarif-file="; } >> "$out"
  exit 0
fi
sarif="${INPUT_SARIF_FILE:-assay.sarif}"
fail_on="${INPUT_FAIL_ON:-malicious}"
"$assay" "$command" "${paths[@]}" --no-progress --fail-on "$fail_on" \
  --format sarif --output "$sarif" "${extra[@]}"
code=$?
# The readable report for the job log (display only; the exit code is the first run's).
"$assay" "$command" "${paths[@]}" --no-progress --fail-on "$fail_on" "${extra[@]}" || true
echo "exit-code=$code" >> "$out"
if [[ -s "$sarif" ]]; then
  echo "sarif-file=$sarif" >> "$out"
else
  echo "sarif-file=" >> "$out"
fi
exit 0
