#!/bin/sh
# Imports fenghuo-saved-objects.ndjson into Kibana (data views, visualizations, saved search, the 综治态势 dashboard).
# One-shot: run by docker compose after Kibana starts, or by hand. Safe to repeat: overwrite=true replaces the
# objects by their stable ids instead of adding copies.
#
# Environment:
#   KIBANA_URL            Kibana base URL (default http://kibana:5601)
#   KIBANA_USERNAME       user allowed to manage saved objects (e.g. elastic or a kibana_admin user);
#   KIBANA_PASSWORD       leave both unset when Elasticsearch security is off
#   KIBANA_CACERT         CA certificate file for an https Kibana (optional)
#   SAVED_OBJECTS_FILE    the export to import (default: fenghuo-saved-objects.ndjson next to this script)
#   KIBANA_WAIT_SECONDS   how long to wait for Kibana to report available (default 300)
#   IMPORT_ATTEMPTS       how many times to try the import itself (default 5)
set -eu

KIBANA_URL=${KIBANA_URL:-http://kibana:5601}
KIBANA_URL=${KIBANA_URL%/}
SAVED_OBJECTS_FILE=${SAVED_OBJECTS_FILE:-$(dirname "$0")/fenghuo-saved-objects.ndjson}
KIBANA_WAIT_SECONDS=${KIBANA_WAIT_SECONDS:-300}
IMPORT_ATTEMPTS=${IMPORT_ATTEMPTS:-5}

log() {
    printf '%s kibana-import: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

if [ ! -r "$SAVED_OBJECTS_FILE" ]; then
    log "cannot read $SAVED_OBJECTS_FILE"
    exit 2
fi
if [ -n "${KIBANA_USERNAME:-}" ] && [ -z "${KIBANA_PASSWORD:-}" ]; then
    log "KIBANA_USERNAME is set but KIBANA_PASSWORD is not"
    exit 2
fi

# The credentials go to curl as a config file on standard input rather than as -u arguments, so that they never
# appear in the process list.
kibana_curl() {
    if [ -n "${KIBANA_CACERT:-}" ]; then
        set -- --cacert "$KIBANA_CACERT" "$@"
    fi
    if [ -n "${KIBANA_USERNAME:-}" ]; then
        printf 'user = "%s:%s"\n' "$(curl_config_escape "$KIBANA_USERNAME")" \
            "$(curl_config_escape "$KIBANA_PASSWORD")" | curl --config - "$@"
    else
        curl "$@"
    fi
}

curl_config_escape() {
    printf '%s' "$1" | sed 's/[\\"]/\\&/g'
}

# /api/status answers 503 while Kibana is still starting or migrating its saved objects; -f turns that into a
# failure, so the loop only ends once Kibana reports itself available.
waited=0
until kibana_curl -fsS -o /dev/null --max-time 10 "$KIBANA_URL/api/status" 2>/dev/null; do
    if [ "$waited" -ge "$KIBANA_WAIT_SECONDS" ]; then
        log "Kibana at $KIBANA_URL not available after ${KIBANA_WAIT_SECONDS}s"
        exit 1
    fi
    log "waiting for Kibana at $KIBANA_URL ..."
    sleep 5
    waited=$((waited + 5))
done
log "Kibana at $KIBANA_URL is available"

response=$(mktemp)
trap 'rm -f "$response"' EXIT INT TERM

attempt=1
while :; do
    status=$(kibana_curl -sS -o "$response" -w '%{http_code}' --max-time 120 \
        -X POST "$KIBANA_URL/api/saved_objects/_import?overwrite=true" \
        -H 'kbn-xsrf: true' \
        --form "file=@$SAVED_OBJECTS_FILE") || status=000
    if [ "$status" = 200 ]; then
        # A 200 can still carry per-object errors (a missing reference, an unknown type); those will not go away
        # on retry, so they end the script at once.
        if grep -Eq '"success"[[:space:]]*:[[:space:]]*true' "$response"; then
            log "imported $SAVED_OBJECTS_FILE: $(cat "$response")"
            exit 0
        fi
        log "import reported errors: $(cat "$response")"
        exit 1
    fi
    if [ "$attempt" -ge "$IMPORT_ATTEMPTS" ]; then
        log "import failed with HTTP $status after $attempt attempts: $(cat "$response" 2>/dev/null)"
        exit 1
    fi
    log "import attempt $attempt failed with HTTP $status; retrying in 10s"
    attempt=$((attempt + 1))
    sleep 10
done
