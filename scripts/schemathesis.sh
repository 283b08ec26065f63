#!/usr/bin/env bash
# HS §7 item 73: schemathesis (from PyPI) against the served OpenAPI document,
# once with a vendor admin PAT and once with a customer PAT. It fails on any
# 5xx and on any response that contradicts the document (status code, content
# type, body schema).
#
# It builds `distr-hub`, serves it on a temporary SQLite file and a free port,
# bootstraps an admin with a PAT (`admin create --token-label`), seeds a few
# objects through the API (so lists return real bodies), creates a customer
# with a customer admin and that admin's PAT, and runs schemathesis.
#
# Environment:
#   SCHEMATHESIS_MAX_EXAMPLES  examples per operation and phase (default 25)
#   SCHEMATHESIS_VENV          the virtualenv (default target/venv-schemathesis)
#   SCHEMATHESIS_VERSION       pip requirement (default schemathesis>=4,<5)
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD

venv="${SCHEMATHESIS_VENV:-$root/target/venv-schemathesis}"
max_examples="${SCHEMATHESIS_MAX_EXAMPLES:-25}"

if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
        "${SCHEMATHESIS_VERSION:-schemathesis>=4,<5}"
fi

cargo build --quiet -p distr-hub --bin distr-hub
bin="${CARGO_TARGET_DIR:-$root/target}/debug/distr-hub"

work=$(mktemp -d)
hub_pid=""
cleanup() {
    if [ -n "$hub_pid" ]; then
        kill "$hub_pid" 2>/dev/null || true
        wait "$hub_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export DATABASE_URL="sqlite://$work/distr.db"
export LISTEN_ADDR="127.0.0.1:$port"
export DISTR_HOST="$base"
export RATE_LIMIT_ENABLED=false
export LOG_LEVEL=warn

cd "$work"
admin=$(printf 'schemathesis-pw-1\n' | "$bin" admin create --org-name Vendor \
    --email admin@example.com --name Admin --password-stdin --token-label schemathesis)
admin_pat=$(printf '%s' "$admin" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')

"$bin" serve >"$work/hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 1 100); do
    if curl -fsS "$base/ready" >/dev/null 2>&1; then break; fi
    sleep 0.1
done
curl -fsS "$base/ready" >/dev/null

# api METHOD PATH PAT [JSON]: prints the response body; fails on a non-2xx.
api() {
    local args=(-fsS -X "$1" "$base/api/v1$2" -H "Authorization: AccessToken $3")
    if [ $# -ge 4 ]; then
        args+=(-H 'Content-Type: application/json' --data "$4")
    fi
    curl "${args[@]}"
}
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

compose=$(printf 'services:\n  web:\n    image: nginx:alpine\n' | base64 -w0)
app_id=$(api POST /applications "$admin_pat" '{"name":"web","type":"docker"}' | field '["id"]')
version_id=$(api POST "/applications/$app_id/versions" "$admin_pat" \
    "{\"name\":\"1.0.0\",\"composeFile\":\"$compose\"}" | field '["id"]')
customer_id=$(api POST /customer-organizations "$admin_pat" '{"name":"Customer"}' | field '["id"]')
target_id=$(api POST /deployment-targets "$admin_pat" \
    "{\"name\":\"edge\",\"type\":\"docker\",\"customerOrganization\":{\"id\":\"$customer_id\"}}" | field '["id"]')
api PUT /deployments "$admin_pat" \
    "{\"deploymentTargetId\":\"$target_id\",\"applicationVersionId\":\"$version_id\"}" >/dev/null
api POST /secrets "$admin_pat" '{"key":"DB_PASSWORD","value":"s3cret"}' >/dev/null

# A customer admin and their PAT, through the invite flow (HS §3.4).
customer_pat=""
document=$(api GET /openapi.json "$admin_pat")
if grep -q '"/api/v1/user-accounts"' <<<"$document"; then
    invite=$(api POST /user-accounts "$admin_pat" \
        "{\"email\":\"customer@example.com\",\"name\":\"Customer Admin\",\"userRole\":\"admin\",\"customerOrganizationId\":\"$customer_id\"}")
    invite_token=$(printf '%s' "$invite" | field '["inviteUrl"].split("token=")[1].split("&")[0]')
    jwt=$(curl -fsS -X POST "$base/api/v1/auth/accept-invite" -H 'Content-Type: application/json' \
        --data "{\"token\":\"$invite_token\",\"password\":\"customer-pw-1\"}" | field '["token"]')
    customer_pat=$(curl -fsS -X POST "$base/api/v1/settings/tokens" -H "Authorization: Bearer $jwt" \
        -H 'Content-Type: application/json' --data '{"label":"schemathesis"}' | field '["key"]')
else
    echo "schemathesis: POST /user-accounts is not served yet; skipping the customer run" >&2
fi

run() {
    local who="$1" pat="$2"
    echo "==> schemathesis as $who"
    "$venv/bin/schemathesis" run "$base/api/v1/openapi.json" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --header "Authorization: AccessToken $pat" \
        --max-examples "$max_examples" \
        --phases examples,coverage,fuzzing \
        --workers 1 \
        --suppress-health-check all \
        --no-color
}

status=0
run "vendor admin" "$admin_pat" || status=1
if [ -n "$customer_pat" ]; then
    run "customer admin" "$customer_pat" || status=1
fi
if [ "$status" -ne 0 ]; then
    echo "---- hub log (last 50 lines) ----"
    tail -n 50 "$work/hub.log"
fi
exit "$status"
