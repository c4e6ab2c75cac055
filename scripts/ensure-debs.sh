#!/usr/bin/env bash
# Debian packages the tests need:
# - the OS keychain: libsecret-1-dev so keytar builds from source (its prebuilt download is unreachable offline),
#   and a Secret Service the tests can start headless (gnome-keyring under dbus-run-session, secret-tool to look
#   at the items);
# - S3: OpenStack Swift with its s3api middleware plus memcached, a real object store that verifies signatures
#   (test/src/servers/swift.ts starts one from a temp folder), and rclone, the S3 benchmark's yardstick;
# - WebDAV: rclone again (`rclone serve webdav`), the real server the WebDAV example plugin is tested against.
# - faketime: runs the CLI with a skewed clock against Swift (the S3 clock-skew error, for real).
# - tmux: the terminal UI end-to-end test types into the built `lifeboat` in a real terminal.
# - systemd: `systemd-analyze verify` checks the units `lifeboat schedule install` writes (nothing is started).
# - ExifTool (libimage-exiftool-perl): the sidecar tests read each XMP sidecar back as photo applications do.
# Idempotent: one dpkg-query call when all is present. Never fails the caller: without apt it warns, and the
# tests that need a missing package then say what is missing.
set -uo pipefail
pkgs=(libsecret-1-dev gnome-keyring libsecret-tools dbus swift swift-proxy swift-object swift-container swift-account
  memcached rclone faketime tmux systemd libimage-exiftool-perl)

warn() { echo "lifeboat: warning: $*" >&2; }

if ! command -v dpkg-query >/dev/null 2>&1; then
  warn "not a Debian-like system; install libsecret (dev headers), gnome-keyring, secret-tool, dbus," \
    "OpenStack Swift (proxy, object, container, account servers), memcached and rclone yourself"
  exit 0
fi

# One dpkg-query for all packages; an unknown package prints nothing for itself, so compare names, not lines.
installed=" $(dpkg-query -W -f='${Status} ${Package}\n' "${pkgs[@]}" 2>/dev/null |
  sed -n 's/^install ok installed //p' | tr '\n' ' ') "
missing=()
for p in "${pkgs[@]}"; do
  [[ "$installed" == *" $p "* ]] || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    warn "missing ${missing[*]} and not root (no sudo); the tests that need them (OS keychain, S3 on Swift) will fail until they are installed"
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  warn "missing ${missing[*]} and apt-get is unavailable; the tests that need them (OS keychain, S3 on Swift) will fail until they are installed"
  exit 0
fi

echo "lifeboat: installing Debian packages ${missing[*]} (one time)" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { "${sudo[@]}" apt-get update -qq >/dev/null &&
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  warn "apt-get could not install ${missing[*]}; the tests that need them (OS keychain, S3 on Swift) will fail until they are installed"
fi
exit 0
