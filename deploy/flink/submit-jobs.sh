#!/bin/sh
# Submits Fenghuo's two Flink jobs to a running Flink session cluster over its REST API, then exits.
# Run by the one-shot `flink-submit` service of docker-compose.yml (image fenghuo/jobs: curl, jq, the two job jars).
#
#   fenghuo-ingest       org.fenghuo.jobs.ingest.IngestJob              fenghuo-ingest-job.jar
#   fenghuo-correlation  org.fenghuo.jobs.correlation.CorrelationJob    fenghuo-correlation-job.jar
#
# For each job: if a job of that name is already on the cluster and not finished (RUNNING, RESTARTING, …) it is left
# alone. Otherwise the jar is uploaded (POST /jars/upload) and run (POST /jars/{id}/run with entryClass,
# programArgsList and parallelism), restored from the newest retained checkpoint of the job this script submitted
# last time (its id is kept in $STATE_DIR/<name>.jobid), so running the script again after a JobManager restart
# resumes the jobs where they stopped. Any error answer of the REST API is printed and ends the script with status 1.
#
# Environment (the settings are passed to the jobs as --name=value program arguments):
#   FLINK_REST_URL                    default http://jobmanager:8081
#   EXPECTED_TASKMANAGERS             wait until this many TaskManagers are registered (default 2)
#   FENGHUO_KAFKA_BOOTSTRAP           fenghuo.kafka.bootstrap (required)
#   FENGHUO_KAFKA_DELIVERY            fenghuo.kafka.delivery (default exactly-once)
#   FENGHUO_ELASTICSEARCH_HOSTS       fenghuo.elasticsearch.hosts, comma-separated URLs (required)
#   FENGHUO_ELASTICSEARCH_USERNAME    fenghuo.elasticsearch.username (optional; needs the password)
#   FENGHUO_ELASTICSEARCH_PASSWORD    fenghuo.elasticsearch.password
#   FENGHUO_REGIONS_FILE              fenghuo.regions.file, path as seen by the JobManager and TaskManagers (required)
#   FENGHUO_RULES_FILE_NAME           a rules file in /opt/fenghuo/rules (deploy/rules/) for the correlation job's
#                                     fenghuo.rules.file; empty: the built-in default rules
#   FENGHUO_PRIVACY_SECRET            fenghuo.privacy.secret of the ingest job, at least 16 bytes (required)
#   FENGHUO_CHECKPOINT_DIR            fenghuo.checkpoint.dir (default file:///flink-data/checkpoints)
#   FENGHUO_INGEST_PARALLELISM        fenghuo.ingest.parallelism and the run's parallelism (default 2)
#   FENGHUO_CORRELATION_PARALLELISM   fenghuo.correlation.parallelism and the run's parallelism (default 2)
#   RESTORE                           latest-checkpoint (default) or none (start without state)
#   INGEST_RESTORE_PATH               restore the ingest job from this savepoint/checkpoint instead
#   CORRELATION_RESTORE_PATH          restore the correlation job from this savepoint/checkpoint instead
#   ALLOW_NON_RESTORED_STATE          true to skip state that maps to no operator (default false)
#   JOBS_DIR                          where the jars are (default /opt/fenghuo/jobs)
#   STATE_DIR                         where the submitted job ids are kept (default /flink-data/jobs)
#   FLINK_WAIT_SECONDS                how long to wait for the cluster (default 300)
#   JOB_START_SECONDS                 how long a submitted job may take to reach RUNNING (default 180)
set -eu

FLINK_REST_URL=${FLINK_REST_URL:-http://jobmanager:8081}
FLINK_REST_URL=${FLINK_REST_URL%/}
EXPECTED_TASKMANAGERS=${EXPECTED_TASKMANAGERS:-2}
FENGHUO_KAFKA_DELIVERY=${FENGHUO_KAFKA_DELIVERY:-exactly-once}
FENGHUO_CHECKPOINT_DIR=${FENGHUO_CHECKPOINT_DIR:-file:///flink-data/checkpoints}
FENGHUO_INGEST_PARALLELISM=${FENGHUO_INGEST_PARALLELISM:-2}
FENGHUO_CORRELATION_PARALLELISM=${FENGHUO_CORRELATION_PARALLELISM:-2}
FENGHUO_RULES_FILE_NAME=${FENGHUO_RULES_FILE_NAME:-}
RULES_DIR=${RULES_DIR:-/opt/fenghuo/rules}
RESTORE=${RESTORE:-latest-checkpoint}
INGEST_RESTORE_PATH=${INGEST_RESTORE_PATH:-}
CORRELATION_RESTORE_PATH=${CORRELATION_RESTORE_PATH:-}
ALLOW_NON_RESTORED_STATE=${ALLOW_NON_RESTORED_STATE:-false}
JOBS_DIR=${JOBS_DIR:-/opt/fenghuo/jobs}
STATE_DIR=${STATE_DIR:-/flink-data/jobs}
FLINK_WAIT_SECONDS=${FLINK_WAIT_SECONDS:-300}
JOB_START_SECONDS=${JOB_START_SECONDS:-180}

INGEST_NAME=fenghuo-ingest
INGEST_CLASS=org.fenghuo.jobs.ingest.IngestJob
INGEST_JAR=fenghuo-ingest-job.jar
CORRELATION_NAME=fenghuo-correlation
CORRELATION_CLASS=org.fenghuo.jobs.correlation.CorrelationJob
CORRELATION_JAR=fenghuo-correlation-job.jar

log() {
    printf '%s flink-submit: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

die() {
    log "ERROR: $*"
    exit 1
}

command -v curl >/dev/null 2>&1 || die "curl is not installed"
command -v jq >/dev/null 2>&1 || die "jq is not installed"

# --- settings ------------------------------------------------------------------------------------------------------
require() {
    eval "value=\${$1:-}"
    [ -n "$value" ] || die "$1 is not set"
}
require FENGHUO_KAFKA_BOOTSTRAP
require FENGHUO_ELASTICSEARCH_HOSTS
require FENGHUO_REGIONS_FILE
require FENGHUO_PRIVACY_SECRET
if [ "$(printf '%s' "$FENGHUO_PRIVACY_SECRET" | wc -c)" -lt 16 ]; then
    die "FENGHUO_PRIVACY_SECRET must be at least 16 bytes long (and never change once data exists: person keys depend on it)"
fi
if [ -n "${FENGHUO_ELASTICSEARCH_USERNAME:-}" ] && [ -z "${FENGHUO_ELASTICSEARCH_PASSWORD:-}" ]; then
    die "FENGHUO_ELASTICSEARCH_USERNAME is set but FENGHUO_ELASTICSEARCH_PASSWORD is not"
fi
for p in "$FENGHUO_INGEST_PARALLELISM" "$FENGHUO_CORRELATION_PARALLELISM" "$EXPECTED_TASKMANAGERS"; do
    case "$p" in
        ''|*[!0-9]*) die "parallelism and task manager counts must be whole numbers, not '$p'" ;;
    esac
done
case "$ALLOW_NON_RESTORED_STATE" in
    true|false) ;;
    *) die "ALLOW_NON_RESTORED_STATE must be true or false, not '$ALLOW_NON_RESTORED_STATE'" ;;
esac
case "$RESTORE" in
    latest-checkpoint|none) ;;
    *) die "RESTORE must be latest-checkpoint or none, not '$RESTORE'" ;;
esac
# no value may span lines: each program argument is one line of the argument file below
for v in "$FENGHUO_KAFKA_BOOTSTRAP" "$FENGHUO_ELASTICSEARCH_HOSTS" "${FENGHUO_ELASTICSEARCH_PASSWORD:-}" "$FENGHUO_PRIVACY_SECRET"; do
    case "$v" in
        *"
"*) die "a setting contains a line break" ;;
    esac
done
[ -r "$FENGHUO_REGIONS_FILE" ] || die "region file $FENGHUO_REGIONS_FILE is not readable: put it in ./regions (e.g. ./fenghuo city --out regions/demo-city.geojson) or set FENGHUO_REGIONS_FILE in .env"
RULES_FILE=
if [ -n "$FENGHUO_RULES_FILE_NAME" ]; then
    RULES_FILE="$RULES_DIR/$FENGHUO_RULES_FILE_NAME"
    [ -r "$RULES_FILE" ] || die "rules file $RULES_FILE is not readable: put it in ./deploy/rules or clear FENGHUO_RULES_FILE"
fi
for jar in "$INGEST_JAR" "$CORRELATION_JAR"; do
    [ -r "$JOBS_DIR/$jar" ] || die "job jar $JOBS_DIR/$jar is missing from the image (deploy/Dockerfile, target jobs)"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
umask 077

# --- REST ----------------------------------------------------------------------------------------------------------
# rest METHOD PATH [curl arguments…]: the answer goes to $work/answer, the HTTP status to stdout ("000": no answer)
rest() {
    method=$1
    path=$2
    shift 2
    rm -f "$work/answer"
    code=$(curl -sS -o "$work/answer" -w '%{http_code}' --max-time 300 -X "$method" "$@" "$FLINK_REST_URL$path" \
        2>"$work/curl-error") || true
    echo "${code:-000}"
}

answer() {
    cat "$work/answer" 2>/dev/null || true
    cat "$work/curl-error" 2>/dev/null || true
}

expect_ok() {
    case "$1" in
        2??) ;;
        *) die "$2 failed: HTTP $1 from $FLINK_REST_URL: $(answer)" ;;
    esac
}

# --- wait for the cluster ------------------------------------------------------------------------------------------
waited=0
while :; do
    status=$(rest GET /overview)
    if [ "$status" = 200 ]; then
        tms=$(jq -r '.taskmanagers // 0' "$work/answer" 2>/dev/null || echo 0)
        slots=$(jq -r '."slots-total" // 0' "$work/answer" 2>/dev/null || echo 0)
        [ "$tms" -ge "$EXPECTED_TASKMANAGERS" ] && break
        state="$tms of $EXPECTED_TASKMANAGERS TaskManagers"
    else
        state="HTTP $status"
    fi
    if [ "$waited" -ge "$FLINK_WAIT_SECONDS" ]; then
        die "Flink at $FLINK_REST_URL not ready after ${FLINK_WAIT_SECONDS}s ($state) $(answer)"
    fi
    log "waiting for Flink at $FLINK_REST_URL ($state) ..."
    sleep 5
    waited=$((waited + 5))
done
log "Flink at $FLINK_REST_URL: $tms TaskManagers, $slots slots (version $(jq -r '."flink-version" // "?"' "$work/answer"))"

# the id of a job named $1 that is not finished, with its state ("<jid> <state>"), or nothing
active_job() {
    expect_ok "$(rest GET /jobs/overview)" "listing jobs"
    jq -r --arg n "$1" '.jobs[]
        | select(.name == $n and .state != "FINISHED" and .state != "FAILED" and .state != "CANCELED")
        | "\(.jid) \(.state)"' "$work/answer" | head -n 1
}

# the newest retained checkpoint of job id $1 (a path for savepointPath), or nothing
latest_checkpoint() {
    local_dir=${FENGHUO_CHECKPOINT_DIR#file://}
    [ -d "$local_dir/$1" ] || return 0
    for n in $(ls "$local_dir/$1" 2>/dev/null | sed -n 's/^chk-\([0-9][0-9]*\)$/\1/p' | sort -rn); do
        if [ -f "$local_dir/$1/chk-$n/_metadata" ]; then
            echo "${FENGHUO_CHECKPOINT_DIR%/}/$1/chk-$n"
            return 0
        fi
    done
}

# submit NAME JAR ENTRY_CLASS PARALLELISM RESTORE_PATH ARGUMENT_FILE
submit() {
    name=$1
    jar=$2
    entry=$3
    parallelism=$4
    restore_path=$5
    args_file=$6

    existing=$(active_job "$name")
    if [ -n "$existing" ]; then
        log "$name is already on the cluster (${existing#* } as ${existing%% *}); not submitted again"
        return 0
    fi

    if [ -z "$restore_path" ] && [ "$RESTORE" = latest-checkpoint ] && [ -r "$STATE_DIR/$name.jobid" ]; then
        previous=$(cat "$STATE_DIR/$name.jobid")
        restore_path=$(latest_checkpoint "$previous")
        if [ -z "$restore_path" ]; then
            log "$name: no retained checkpoint of the previous run $previous; starting without state"
        fi
    fi

    expect_ok "$(rest POST /jars/upload -H 'Expect:' -F "jarfile=@$JOBS_DIR/$jar")" "uploading $jar"
    jar_id=$(jq -r '.filename // empty' "$work/answer" | sed 's|.*/||')
    [ -n "$jar_id" ] || die "uploading $jar: no file name in the answer: $(answer)"
    log "$name: uploaded $jar as $jar_id"

    jq -Rn --arg entry "$entry" --argjson parallelism "$parallelism" --arg restore "$restore_path" \
        --argjson allow "$ALLOW_NON_RESTORED_STATE" \
        '{entryClass: $entry, parallelism: $parallelism, programArgsList: [inputs]}
         + (if $restore == "" then {} else {savepointPath: $restore, allowNonRestoredState: $allow} end)' \
        < "$args_file" > "$work/run.json" || die "cannot build the run request for $name"
    if [ -n "$restore_path" ]; then
        log "$name: running $entry, parallelism $parallelism, restored from $restore_path"
    else
        log "$name: running $entry, parallelism $parallelism, without state"
    fi
    expect_ok "$(rest POST "/jars/$jar_id/run" -H 'Content-Type: application/json' --data-binary "@$work/run.json")" \
        "running $name ($entry)"
    job_id=$(jq -r '.jobid // empty' "$work/answer")
    [ -n "$job_id" ] || die "running $name: no job id in the answer: $(answer)"

    mkdir -p "$STATE_DIR"
    printf '%s\n' "$job_id" > "$STATE_DIR/$name.jobid.tmp" && mv "$STATE_DIR/$name.jobid.tmp" "$STATE_DIR/$name.jobid"
    # the cluster keeps the job's own copy; the uploaded jar is not needed any more
    status=$(rest DELETE "/jars/$jar_id")
    case "$status" in
        2??) ;;
        *) log "$name: could not delete the uploaded jar $jar_id (HTTP $status); harmless" ;;
    esac

    waited=0
    while :; do
        expect_ok "$(rest GET "/jobs/$job_id")" "reading the state of $name ($job_id)"
        state=$(jq -r '.state // "?"' "$work/answer")
        case "$state" in
            RUNNING)
                log "$name is RUNNING as $job_id"
                return 0
                ;;
            FAILED|CANCELED|FINISHED)
                rest GET "/jobs/$job_id/exceptions" >/dev/null
                die "$name ($job_id) ended $state right after its start: $(jq -r '."root-exception" // empty' "$work/answer" 2>/dev/null | head -n 40)"
                ;;
        esac
        if [ "$waited" -ge "$JOB_START_SECONDS" ]; then
            die "$name ($job_id) is still $state after ${JOB_START_SECONDS}s (not enough free task slots?)"
        fi
        sleep 3
        waited=$((waited + 3))
    done
}

# --- program arguments (one per line; written with the shell's printf, so no secret shows in a process list) --------
common_args() {
    printf '%s\n' "--fenghuo.kafka.bootstrap=$FENGHUO_KAFKA_BOOTSTRAP"
    printf '%s\n' "--fenghuo.kafka.delivery=$FENGHUO_KAFKA_DELIVERY"
    printf '%s\n' "--fenghuo.elasticsearch.hosts=$FENGHUO_ELASTICSEARCH_HOSTS"
    if [ -n "${FENGHUO_ELASTICSEARCH_USERNAME:-}" ]; then
        printf '%s\n' "--fenghuo.elasticsearch.username=$FENGHUO_ELASTICSEARCH_USERNAME"
        printf '%s\n' "--fenghuo.elasticsearch.password=$FENGHUO_ELASTICSEARCH_PASSWORD"
    fi
    printf '%s\n' "--fenghuo.regions.file=$FENGHUO_REGIONS_FILE"
    printf '%s\n' "--fenghuo.checkpoint.dir=$FENGHUO_CHECKPOINT_DIR"
}

{
    common_args
    printf '%s\n' "--fenghuo.privacy.secret=$FENGHUO_PRIVACY_SECRET"
    printf '%s\n' "--fenghuo.ingest.parallelism=$FENGHUO_INGEST_PARALLELISM"
} > "$work/ingest.args"

{
    common_args
    printf '%s\n' "--fenghuo.correlation.parallelism=$FENGHUO_CORRELATION_PARALLELISM"
    if [ -n "$RULES_FILE" ]; then
        printf '%s\n' "--fenghuo.rules.file=$RULES_FILE"
    fi
} > "$work/correlation.args"

submit "$INGEST_NAME" "$INGEST_JAR" "$INGEST_CLASS" "$FENGHUO_INGEST_PARALLELISM" "$INGEST_RESTORE_PATH" "$work/ingest.args"
submit "$CORRELATION_NAME" "$CORRELATION_JAR" "$CORRELATION_CLASS" "$FENGHUO_CORRELATION_PARALLELISM" \
    "$CORRELATION_RESTORE_PATH" "$work/correlation.args"
log "done"
