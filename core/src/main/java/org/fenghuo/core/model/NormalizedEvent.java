package org.fenghuo.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One feed record after validation, masking and normalisation: the document of {@code fenghuo-events} and the value
 * of {@code events.normalized} (DESIGN §7). Holds no raw name, phone or identity number.
 *
 * @param eventId   {@code feed + ":" + recordId}; the Elasticsearch document id, so a replay overwrites
 * @param sourcePartition the feed topic's partition the record was read from (null when not read from Kafka): the
 *                  correlation job follows event time per source partition, as the ingest read them
 * @param category  the feed's own classification (grid category, 110 call type, petition issue type, labour issue)
 * @param subcategory a secondary classification (petition channel, labour record kind)
 * @param severity  1 (low) … 4 (most severe)
 * @param entities  linkable keys: {@code ENT:}, {@code PER:}, {@code REG:}
 * @param flags     data-quality notes, e.g. {@code UNVERIFIED_ID_NUMBER}, {@code GRID_FROM_LOCATION}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NormalizedEvent(
        String eventId,
        String feed,
        String recordId,
        String sourceTopic,
        Integer sourcePartition,
        OffsetDateTime occurredAt,
        Instant ingestedAt,
        EventRegion region,
        GeoPoint location,
        String category,
        String subcategory,
        int severity,
        Integer peopleCount,
        List<String> entities,
        String title,
        String summary,
        String address,
        List<PersonRef> persons,
        List<EnterpriseRef> enterprises,
        EventDetails details,
        List<String> flags) {

    /** The same event stamped with another ingestion time (null: the content alone, for comparing deliveries). */
    public NormalizedEvent withIngestedAt(Instant at) {
        return new NormalizedEvent(eventId, feed, recordId, sourceTopic, sourcePartition, occurredAt, at, region, location, category,
                subcategory, severity, peopleCount, entities, title, summary, address, persons, enterprises, details, flags);
    }

    /** The same event as read from another partition of its feed topic (null: unknown). */
    public NormalizedEvent fromPartition(Integer partition) {
        return new NormalizedEvent(eventId, feed, recordId, sourceTopic, partition, occurredAt, ingestedAt, region, location,
                category, subcategory, severity, peopleCount, entities, title, summary, address, persons, enterprises, details, flags);
    }

    /** Event time in epoch milliseconds. */
    public long occurredAtMillis() {
        return occurredAt.toInstant().toEpochMilli();
    }
}
