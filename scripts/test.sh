#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs (Node 24, npm packages), builds the
# `lifeboat` command (end-to-end tests run the built CLI), then runs every test once.
source "$(dirname "$0")/env.sh"
cd "$LIFEBOAT_REPO"
tsc -b
results="$(mktemp -d)/vitest.json"
status=0
vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?
if [ -f "$results" ]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  ' "$results"
fi
exit "$status"
