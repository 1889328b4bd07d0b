package org.fenghuo.connectors.elasticsearch;

import java.io.Serializable;

/**
 * Maps a stream element to the document to index. Shipped to the task managers with the sink, hence
 * {@link Serializable}. The returned id must be a pure function of the element (for example the event
 * id) so that replays overwrite.
 */
@FunctionalInterface
public interface ElasticsearchDocumentMapper<T> extends Serializable {
    IndexDocument map(T element) throws Exception;
}
