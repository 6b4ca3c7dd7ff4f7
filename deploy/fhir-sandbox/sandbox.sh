#!/usr/bin/env bash
# Starts, seeds and stops the local FHIR R4 sandbox (see README.md beside this file).
#   sandbox.sh start [seed files or folders...]   start on a free port (PORT to pin one), seeded with
#                                                 fhir-profiles/examples unless other paths are given; prints the base URL
#   sandbox.sh seed [files or folders...]         POST transaction bundles to the running sandbox
#   sandbox.sh url | status | stop                base URL / running? / stop by pid
# State (pid, log, base URL) lives in $SANDBOX_STATE_DIR (default: a per-user folder under $TMPDIR or /tmp).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
state="${SANDBOX_STATE_DIR:-${TMPDIR:-/tmp}/fhir-sandbox-$(id -u)}"
examples="$repo_root/fhir-profiles/examples"
mkdir -p "$state"

die() { echo "sandbox: $*" >&2; exit 1; }

running() { [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; }

ensure_modules() {
  command -v node >/dev/null || die "node is not installed (Node >= 20.19 is needed)"
  if [ ! -d "$here/node_modules/@medplum/fhir-router" ]; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) >&2 || die "npm ci failed"
  fi
}

start() {
  running && die "already running (pid $(cat "$state/pid")) at $(cat "$state/url")"
  ensure_modules
  local seeds=("$@")
  [ ${#seeds[@]} -eq 0 ] && seeds=("$examples")
  rm -f "$state/url"
  PORT="${PORT:-0}" nohup node "$here/fhir-sandbox.cjs" "${seeds[@]}" > "$state/log" 2>&1 &
  echo $! > "$state/pid"
  local url=""
  for _ in $(seq 1 300); do
    running || { cat "$state/log" >&2; die "the sandbox exited during start-up"; }
    url="$(sed -n 's/^FHIR R4 sandbox on \(http[^ ]*\) .*/\1/p' "$state/log" | head -n 1)"
    if [ -n "$url" ] && curl -sf -o /dev/null "$url/metadata"; then
      echo "$url" > "$state/url"
      echo "$url"
      return 0
    fi
    sleep 0.1
  done
  stop >/dev/null 2>&1 || true
  die "no answer on /metadata within 30 s (log: $state/log)"
}

seed() {
  running || die "not running"
  local url; url="$(cat "$state/url")"
  local paths=("$@")
  [ ${#paths[@]} -eq 0 ] && paths=("$examples")
  local f code
  while IFS= read -r f; do
    grep -q '"resourceType"[[:space:]]*:[[:space:]]*"Bundle"' "$f" || { echo "skipped $f (not a Bundle)" >&2; continue; }
    code="$(curl -s -o "$state/seed-response.json" -w '%{http_code}' -X POST -H 'Content-Type: application/fhir+json' --data-binary "@$f" "$url")"
    [ "$code" = "200" ] || die "seeding $f failed with HTTP $code: $(head -c 500 "$state/seed-response.json")"
    echo "seeded $f"
  done < <(for p in "${paths[@]}"; do if [ -d "$p" ]; then find "$p" -maxdepth 1 -name '*.json' | sort; else echo "$p"; fi; done)
}

stop() {
  if running; then
    local pid; pid="$(cat "$state/pid")"
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "stopped pid $pid"
  else
    echo "not running"
  fi
  rm -f "$state/pid" "$state/url"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  start) start "$@" ;;
  seed) seed "$@" ;;
  stop) stop ;;
  url) running && cat "$state/url" || die "not running" ;;
  status) if running; then echo "running pid $(cat "$state/pid") at $(cat "$state/url")"; else echo "not running"; exit 1; fi ;;
  *) echo "usage: $0 start [paths...] | seed [paths...] | url | status | stop" >&2; exit 2 ;;
esac
