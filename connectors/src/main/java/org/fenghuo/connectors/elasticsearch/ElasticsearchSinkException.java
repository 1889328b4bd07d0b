package org.fenghuo.connectors.elasticsearch;

/** The sink met a failure that waiting cannot fix; the job fails instead of dropping documents. */
public class ElasticsearchSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ElasticsearchSinkException(String message) {
        super(message);
    }

    public ElasticsearchSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
