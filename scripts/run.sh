#!/usr/bin/env bash
# Runs a command with the project's toolchain (Node >= 22, npm packages installed).
source "$(dirname "$0")/env.sh"
cd "$LIFEBOAT_REPO"
exec "$@"
