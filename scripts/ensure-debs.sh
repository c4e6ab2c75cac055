#!/usr/bin/env bash
# Debian packages the OS keychain needs: libsecret-1-dev so keytar builds from source (its prebuilt download
# is unreachable offline), and a Secret Service the tests can start headless (gnome-keyring under
# dbus-run-session, secret-tool to look at the items). Idempotent: a few dpkg-query calls when all is present.
# Never fails the caller: without apt it warns, and the keychain tests then say what is missing.
set -uo pipefail
pkgs=(libsecret-1-dev gnome-keyring libsecret-tools dbus)

warn() { echo "lifeboat: warning: $*" >&2; }

if ! command -v dpkg-query >/dev/null 2>&1; then
  warn "not a Debian-like system; install libsecret (dev headers), gnome-keyring, secret-tool and dbus yourself"
  exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    warn "missing ${missing[*]} and not root (no sudo); the OS keychain tests will fail until they are installed"
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  warn "missing ${missing[*]} and apt-get is unavailable; the OS keychain tests will fail until they are installed"
  exit 0
fi

echo "lifeboat: installing Debian packages ${missing[*]} (one time)" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { "${sudo[@]}" apt-get update -qq >/dev/null &&
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  warn "apt-get could not install ${missing[*]}; the OS keychain tests will fail until they are installed"
fi
exit 0
