#!/usr/bin/env bash
# One command for a local SMART EHR launch of the hypogonadism work-up view (README "Try it"; docs/integration/smart-app.md):
# starts the SMART authorization server (this folder), the FHIR sandbox seeded with fhir-profiles/examples and
# requiring the authorization server's JWT access tokens, and the service with SmartApp enabled; prints the launch URL
# an EHR would open. Ctrl-C stops all three (by the process ids this script started).
#   deploy/smart-auth-server/smart-launch-demo.sh [patient-id]     (default: secondary-desired)
# SERVICE_PORT (default 5090) is the service's port; the other two take free ports.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
patient="${1:-secondary-desired}"
service_port="${SERVICE_PORT:-5090}"
service="http://127.0.0.1:${service_port}"
state="$(mktemp -d /tmp/smart-launch-demo.XXXXXX)"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$state"
}
trap cleanup EXIT INT TERM

for dir in deploy/smart-auth-server deploy/fhir-sandbox; do
  [ -d "$root/$dir/node_modules" ] || (cd "$root/$dir" && npm ci --no-audit --no-fund --loglevel=error)
done

# First stdout line of a loopback server: "<what> on <url> ...".
first_url() {
  local log="$1" pattern="$2"
  for _ in $(seq 1 300); do
    if grep -qE "$pattern" "$log" 2>/dev/null; then grep -oE "$pattern" "$log" | head -1 | awk '{print $NF}'; return 0; fi
    sleep 0.2
  done
  echo "timed out waiting for $log" >&2; cat "$log" >&2; return 1
}

(cd "$root/deploy/smart-auth-server" && SMART_REDIRECT_URIS="$service/smart/app" SMART_STANDALONE_PATIENT="$patient" \
  exec node smart-auth-server.cjs >"$state/auth.log" 2>&1) &
pids+=($!)
issuer="$(first_url "$state/auth.log" 'SMART authorization server on http://[^ ]+')"

(cd "$root/deploy/fhir-sandbox" && SANDBOX_SMART_ISSUER="$issuer" PORT=0 \
  exec node fhir-sandbox.cjs "$root/fhir-profiles/examples" >"$state/fhir.log" 2>&1) &
pids+=($!)
fhir="$(first_url "$state/fhir.log" 'FHIR R4 sandbox on http://[^ ]+')"

(cd "$root" && ASPNETCORE_ENVIRONMENT=Development Kestrel__Endpoints__Http__Url="$service" \
  SmartApp__Enabled=true SmartApp__FhirServers__0="$fhir" SmartApp__ConnectOrigins__0="$issuer" \
  exec dotnet run --project src/CdsService.Api -c Release --no-launch-profile >"$state/service.log" 2>&1) &
pids+=($!)
for _ in $(seq 1 600); do
  curl -fsS "$service/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done

launch="$(printf '{"patient":"%s"}' "$patient" | base64 -w0 | tr '+/' '-_' | tr -d '=')"
cat <<EOF
SMART authorization server: $issuer   (auto-approves a test clinician; PKCE S256 required)
FHIR sandbox (bearer JWT):  $fhir
CDS service:                $service

EHR launch (open in a browser):
  $service/smart/launch?iss=$fhir&launch=$launch
Standalone launch (patient $patient):
  $service/smart/launch?iss=$fhir

Logs: $state/{auth,fhir,service}.log — Ctrl-C stops everything.
EOF
wait
