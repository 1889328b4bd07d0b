#!/bin/sh
# Prepares a secured Elasticsearch for Fenghuo, then exits. Run by the one-shot `es-setup` service of
# docker-compose.yml (image fenghuo/tools: curl + jq); safe to run again, and running it again applies changed
# passwords of the users below (not of `elastic`, see README).
#
#   1. waits until Elasticsearch answers as `elastic` (ELASTIC_PASSWORD, the bootstrap password of a new cluster);
#   2. sets the password of the built-in `kibana_system` user (KIBANA_PASSWORD), which Kibana connects as;
#   3. creates the roles and users Fenghuo connects as:
#        fenghuo_writer   (role fenghuo_writer)   the Flink jobs: index templates, create/manage/write/read fenghuo-*
#        fenghuo_reader   (role fenghuo_reader)   the dashboards service: read fenghuo-*
#        fenghuo_monitor  (role fenghuo_monitor)  the Prometheus elasticsearch-exporter: cluster and index monitor
#      and the role fenghuo_kibana_reader (read fenghuo-* and Kibana read-only) to give analysts' Kibana users;
#   4. bootstraps the five DESIGN §7 names exactly as org.fenghuo.connectors.elasticsearch.IndexBootstrap does:
#      composable template <name> from $TEMPLATES_DIR/<name>.json, write index <name>-000001 behind alias <name>;
#      for an alias that already exists, the template's mappings are added to it.
#
# Environment:
#   ES_URL                       default http://elasticsearch:9200
#   ELASTIC_PASSWORD             password of `elastic` (required)
#   KIBANA_PASSWORD              password to set for `kibana_system` (required)
#   FENGHUO_ES_PASSWORD          password to set for fenghuo_writer (required)
#   FENGHUO_ES_READER_PASSWORD   password to set for fenghuo_reader (required)
#   FENGHUO_ES_MONITOR_PASSWORD  password to set for fenghuo_monitor (required)
#   TEMPLATES_DIR                directory of the index template JSON files (default /templates)
#   ES_INDEX_REPLICAS            number_of_replicas put into the templates (default 0: single node)
#   ES_WAIT_SECONDS              how long to wait for Elasticsearch (default 300)
#   ES_CACERT                    CA certificate for an https ES_URL (optional)
set -eu

ES_URL=${ES_URL:-http://elasticsearch:9200}
ES_URL=${ES_URL%/}
TEMPLATES_DIR=${TEMPLATES_DIR:-/templates}
ES_INDEX_REPLICAS=${ES_INDEX_REPLICAS:-0}
ES_WAIT_SECONDS=${ES_WAIT_SECONDS:-300}
MIN_PASSWORD_LENGTH=12

log() {
    printf '%s es-setup: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

die() {
    log "ERROR: $*"
    exit 1
}

command -v curl >/dev/null 2>&1 || die "curl is not installed"
command -v jq >/dev/null 2>&1 || die "jq is not installed"

require_secret() {
    eval "value=\${$1:-}"
    # shellcheck disable=SC2154
    if [ -z "$value" ]; then
        die "$1 is not set (write it in .env; see deploy/env.example)"
    fi
    if [ "${#value}" -lt "$MIN_PASSWORD_LENGTH" ]; then
        die "$1 is shorter than $MIN_PASSWORD_LENGTH characters"
    fi
    case "$value" in
        changeme|CHANGE-ME*|password*) die "$1 still holds a placeholder value" ;;
    esac
}
for name in ELASTIC_PASSWORD KIBANA_PASSWORD FENGHUO_ES_PASSWORD FENGHUO_ES_READER_PASSWORD FENGHUO_ES_MONITOR_PASSWORD; do
    require_secret "$name"
done
[ -d "$TEMPLATES_DIR" ] || die "templates directory $TEMPLATES_DIR is missing"
case "$ES_INDEX_REPLICAS" in
    ''|*[!0-9]*) die "ES_INDEX_REPLICAS must be a number, not '$ES_INDEX_REPLICAS'" ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
umask 077

# es METHOD PATH [BODY_FILE]: the answer goes to $work/answer, the HTTP status to stdout ("000": no answer).
# The credentials reach curl as a config file on standard input, never as an argument (not in the process list).
es() {
    method=$1
    path=$2
    body=${3:-}
    rm -f "$work/answer"
    if [ "$method" = HEAD ]; then
        set -- --head
    else
        set -- -X "$method"
    fi
    set -- "$@" -sS -o "$work/answer" -w '%{http_code}' --max-time 60 "$ES_URL$path"
    if [ -n "$body" ]; then
        set -- "$@" -H 'Content-Type: application/json' --data-binary "@$body"
    fi
    if [ -n "${ES_CACERT:-}" ]; then
        set -- --cacert "$ES_CACERT" "$@"
    fi
    code=$(printf 'user = "elastic:%s"\n' "$(printf '%s' "$ELASTIC_PASSWORD" | sed 's/[\\"]/\\&/g')" \
        | curl --config - "$@" 2>"$work/curl-error") || true
    echo "${code:-000}"
}

answer() {
    cat "$work/answer" 2>/dev/null || true
}

# expect STATUS WHAT: fails loudly with Elasticsearch's answer unless the status is 2xx
expect_ok() {
    case "$1" in
        2??) ;;
        *) die "$2 failed: HTTP $1 $(answer) $(cat "$work/curl-error" 2>/dev/null || true)" ;;
    esac
}

# --- 1. wait -------------------------------------------------------------------------------------------------------
waited=0
while :; do
    status=$(es GET '/_cluster/health?wait_for_status=yellow&timeout=5s')
    case "$status" in
        200) break ;;
        401) die "Elasticsearch rejected the elastic user's password. ELASTIC_PASSWORD only sets it on the first start of an empty es-data volume; if it was changed since, change it back or reset it (README: rotating passwords)" ;;
    esac
    if [ "$waited" -ge "$ES_WAIT_SECONDS" ]; then
        die "Elasticsearch at $ES_URL not ready after ${ES_WAIT_SECONDS}s (last answer: HTTP $status $(answer)$(cat "$work/curl-error" 2>/dev/null || true))"
    fi
    log "waiting for Elasticsearch at $ES_URL (HTTP $status) ..."
    sleep 5
    waited=$((waited + 5))
done
log "Elasticsearch at $ES_URL is up: $(jq -r '"cluster \(.cluster_name), status \(.status)"' "$work/answer" 2>/dev/null || answer)"

# --- 2. kibana_system ----------------------------------------------------------------------------------------------
jq -n --arg p "$KIBANA_PASSWORD" '{password: $p}' > "$work/body"
expect_ok "$(es POST /_security/user/kibana_system/_password "$work/body")" "setting the kibana_system password"
log "kibana_system password set"

# --- 3. roles and users --------------------------------------------------------------------------------------------
put_role() {
    expect_ok "$(es PUT "/_security/role/$1" "$work/body")" "creating role $1"
    log "role $1 ready"
}

jq -n '{
  description: "Fenghuo Flink jobs: bootstrap and write the fenghuo-* indices",
  cluster: ["monitor", "manage_index_templates"],
  indices: [{names: ["fenghuo-*"], privileges: ["create_index", "manage", "write", "read", "view_index_metadata"]}]
}' > "$work/body"
put_role fenghuo_writer

jq -n '{
  description: "Fenghuo dashboards service: read the fenghuo-* indices",
  cluster: [],
  indices: [{names: ["fenghuo-*"], privileges: ["read", "view_index_metadata"]}]
}' > "$work/body"
put_role fenghuo_reader

jq -n '{
  description: "Prometheus elasticsearch-exporter",
  cluster: ["monitor"],
  indices: [{names: ["*"], privileges: ["monitor"]}]
}' > "$work/body"
put_role fenghuo_monitor

jq -n '{
  description: "Analysts in Kibana: read the fenghuo-* indices, read-only Kibana in every space",
  cluster: [],
  indices: [{names: ["fenghuo-*"], privileges: ["read", "view_index_metadata"]}],
  applications: [{application: "kibana-.kibana", privileges: ["read"], resources: ["*"]}]
}' > "$work/body"
put_role fenghuo_kibana_reader

# PUT on an existing user replaces its password and roles, so a changed .env value takes effect on the next run
put_user() {
    jq -n --arg p "$2" --arg r "$3" --arg n "$4" '{password: $p, roles: [$r], full_name: $n}' > "$work/body"
    expect_ok "$(es PUT "/_security/user/$1" "$work/body")" "creating user $1"
    log "user $1 ready (role $3)"
}
put_user fenghuo_writer "$FENGHUO_ES_PASSWORD" fenghuo_writer "Fenghuo Flink jobs"
put_user fenghuo_reader "$FENGHUO_ES_READER_PASSWORD" fenghuo_reader "Fenghuo dashboards service"
put_user fenghuo_monitor "$FENGHUO_ES_MONITOR_PASSWORD" fenghuo_monitor "Prometheus elasticsearch-exporter"

# --- 4. index templates and write aliases --------------------------------------------------------------------------
count=0
for file in "$TEMPLATES_DIR"/*.json; do
    [ -e "$file" ] || die "no index templates (*.json) in $TEMPLATES_DIR"
    name=$(basename "$file" .json)
    jq --argjson r "$ES_INDEX_REPLICAS" '.template.settings.index.number_of_replicas = $r' "$file" > "$work/body" \
        || die "$file is not valid JSON"
    expect_ok "$(es PUT "/_index_template/$name" "$work/body")" "putting index template $name"

    status=$(es HEAD "/_alias/$name")
    case "$status" in
        200)
            jq '.template.mappings' "$file" > "$work/body"
            expect_ok "$(es PUT "/$name/_mapping" "$work/body")" "updating the mappings behind alias $name"
            log "index $name: template updated, alias already there (mappings refreshed)"
            ;;
        404)
            jq -n --arg a "$name" '{aliases: {($a): {is_write_index: true}}}' > "$work/body"
            status=$(es PUT "/$name-000001" "$work/body")
            case "$status" in
                2??) log "index $name: template $name, write index $name-000001, alias $name created" ;;
                400)
                    # the index survived without its alias (or another process raced us): add the alias to it
                    jq -e '.error.type == "resource_already_exists_exception"' "$work/answer" >/dev/null 2>&1 \
                        || die "creating index $name-000001 failed: HTTP 400 $(answer)"
                    jq -n --arg i "$name-000001" --arg a "$name" \
                        '{actions: [{add: {index: $i, alias: $a, is_write_index: true}}]}' > "$work/body"
                    expect_ok "$(es POST /_aliases "$work/body")" "adding alias $name to $name-000001"
                    log "index $name: alias $name added to the existing $name-000001"
                    ;;
                *) die "creating index $name-000001 failed: HTTP $status $(answer)" ;;
            esac
            ;;
        *) die "checking alias $name failed: HTTP $status $(answer)" ;;
    esac
    count=$((count + 1))
done
log "done: kibana_system password, 4 roles, 3 users, $count index templates and aliases"
