#!/bin/sh
# Creates Fenghuo's Kafka topics (DESIGN §7) with replication factor 3 and min.insync.replicas 2, then exits.
# Run by the one-shot `kafka-init` service of docker-compose.yml (apache/kafka image); safe to run again:
# an existing topic keeps its data and partitions, and gets its min.insync.replicas set again.
#
# Environment:
#   KAFKA_BOOTSTRAP       bootstrap servers (default kafka-1:9092,kafka-2:9092,kafka-3:9092)
#   EXPECTED_BROKERS      brokers that must be registered before topics are created (default 3)
#   REPLICATION_FACTOR    default 3
#   MIN_INSYNC_REPLICAS   default 2 (with acks=all a write survives one broker down; two down stops writes)
#   KAFKA_WAIT_SECONDS    how long to wait for the brokers (default 300)
#   KAFKA_BIN             Kafka's bin directory (default /opt/kafka/bin)
set -eu

KAFKA_BOOTSTRAP=${KAFKA_BOOTSTRAP:-kafka-1:9092,kafka-2:9092,kafka-3:9092}
EXPECTED_BROKERS=${EXPECTED_BROKERS:-3}
REPLICATION_FACTOR=${REPLICATION_FACTOR:-3}
MIN_INSYNC_REPLICAS=${MIN_INSYNC_REPLICAS:-2}
KAFKA_WAIT_SECONDS=${KAFKA_WAIT_SECONDS:-300}
KAFKA_BIN=${KAFKA_BIN:-/opt/kafka/bin}

# name  partitions   (feeds and events: 6, so a parallelism of up to 6 reads every partition; alerts and actions: 3;
# control.rules: 1, so rule updates and the job's STATUS answers stay in order)
TOPICS='
feed.grid-reports 6
feed.linkage-calls 6
feed.petitions 6
feed.labor-inspections 6
feed.dead-letter 3
events.normalized 6
alerts 3
alert.actions 3
control.rules 1
'

log() {
    printf '%s kafka-init: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

die() {
    log "ERROR: $*"
    exit 1
}

[ -x "$KAFKA_BIN/kafka-topics.sh" ] || die "no kafka-topics.sh in $KAFKA_BIN (is this the apache/kafka image?)"
if [ "$MIN_INSYNC_REPLICAS" -ge "$REPLICATION_FACTOR" ]; then
    die "MIN_INSYNC_REPLICAS ($MIN_INSYNC_REPLICAS) must be below REPLICATION_FACTOR ($REPLICATION_FACTOR), or one broker down stops every write"
fi

# Wait until every expected broker has registered: creating a topic with replication factor 3 fails while fewer
# than 3 brokers are known to the controller.
brokers_up() {
    "$KAFKA_BIN/kafka-broker-api-versions.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" 2>/dev/null | grep -c '(id: [0-9]'
}
waited=0
while :; do
    up=$(brokers_up || true)
    up=${up:-0}
    if [ "$up" -ge "$EXPECTED_BROKERS" ]; then
        break
    fi
    if [ "$waited" -ge "$KAFKA_WAIT_SECONDS" ]; then
        die "only $up of $EXPECTED_BROKERS brokers registered at $KAFKA_BOOTSTRAP after ${KAFKA_WAIT_SECONDS}s"
    fi
    log "waiting for brokers ($up of $EXPECTED_BROKERS up) ..."
    sleep 5
    waited=$((waited + 5))
done
log "$up brokers up at $KAFKA_BOOTSTRAP"

existing=$("$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --list) \
    || die "cannot list topics at $KAFKA_BOOTSTRAP"

partitions_of() {
    # "Topic: alerts	TopicId: …	PartitionCount: 3	ReplicationFactor: 3	Configs: …"
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --describe --topic "$1" \
        | sed -n 's/.*PartitionCount:[[:space:]]*\([0-9][0-9]*\).*/\1/p' | head -n 1
}

echo "$TOPICS" | while read -r topic partitions; do
    [ -n "$topic" ] || continue
    if echo "$existing" | grep -qxF "$topic"; then
        have=$(partitions_of "$topic")
        if [ "$have" != "$partitions" ]; then
            # never changed automatically: more partitions would move keys to other partitions and break per-key
            # order for the jobs; fewer is impossible without deleting the topic
            log "WARNING: $topic has $have partitions, this script would create $partitions; left as it is"
        fi
        "$KAFKA_BIN/kafka-configs.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --alter --entity-type topics \
            --entity-name "$topic" --add-config "min.insync.replicas=$MIN_INSYNC_REPLICAS" >/dev/null \
            || die "cannot set min.insync.replicas on existing topic $topic"
        log "exists: $topic ($have partitions; min.insync.replicas=$MIN_INSYNC_REPLICAS)"
    else
        "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --create --if-not-exists \
            --topic "$topic" --partitions "$partitions" --replication-factor "$REPLICATION_FACTOR" \
            --config "min.insync.replicas=$MIN_INSYNC_REPLICAS" >/dev/null \
            || die "cannot create topic $topic"
        log "created: $topic ($partitions partitions, replication factor $REPLICATION_FACTOR, min.insync.replicas=$MIN_INSYNC_REPLICAS)"
    fi
done

log "topics:"
"$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP" --describe --exclude-internal 2>/dev/null \
    | grep 'PartitionCount' >&2 || true
log "done"
