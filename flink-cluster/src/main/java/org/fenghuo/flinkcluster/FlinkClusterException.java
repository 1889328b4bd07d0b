package org.fenghuo.flinkcluster;

/** The local Flink cluster could not start, or its REST API refused or failed a request; the message says which. */
public class FlinkClusterException extends RuntimeException {
    public FlinkClusterException(String message) {
        super(message);
    }

    public FlinkClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
