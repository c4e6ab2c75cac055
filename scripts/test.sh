#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs (Debian packages for the OS keychain, Node 24,
# npm packages), builds the `lifeboat` command (end-to-end tests run the built CLI), then runs every test once.
# Debian packages first: env.sh's `npm install` builds keytar from source, which needs libsecret-1-dev.
bash "$(dirname "$0")/ensure-debs.sh"
source "$(dirname "$0")/env.sh"
cd "$LIFEBOAT_REPO"
tsc -b
# The sample third-party plugins, installed by end-to-end tests.
tsc -p examples/lifeboat-plugin-archive
tsc -p examples/lifeboat-plugin-webdav
# vitest strips types without checking them: type-check the tests themselves too (a few seconds).
typecheck=0
tsc -p tsconfig.tests.json || typecheck=$?
# Every declared dependency is used and every imported package is declared (knip.jsonc: dependencies only, offline).
deps=0
knip || deps=$?
results="$(mktemp -d)/vitest.json"
vitest=(vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@")
status=0
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  # A throwaway Secret Service: its keyring lives in a temp folder and the daemon exits with the bus, so tests never
  # touch a personal keyring. LIFEBOAT_TEST_KEYRING tells the keychain tests they are inside it.
  keyring="$(mktemp -d)"
  trap 'rm -rf "$keyring"' EXIT
  mkdir -p "$keyring/data" "$keyring/cache"
  XDG_DATA_HOME="$keyring/data" XDG_CACHE_HOME="$keyring/cache" LIFEBOAT_TEST_KEYRING=hermetic \
    dbus-run-session -- sh -c \
    'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' sh "${vitest[@]}" ||
    status=$?
else
  echo "lifeboat: warning: no dbus-run-session/gnome-keyring-daemon; the OS keychain tests will fail" >&2
  "${vitest[@]}" || status=$?
fi
if [ -f "$results" ]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  ' "$results"
fi
[ "$typecheck" -eq 0 ] || echo "lifeboat: the tests do not type-check (see the tsc errors above)" >&2
[ "$deps" -eq 0 ] || echo "lifeboat: a package.json declares a dependency nothing uses, or one is missing (see knip above)" >&2
[ "$status" -ne 0 ] || status=$typecheck
[ "$status" -ne 0 ] || status=$deps
exit "$status"
