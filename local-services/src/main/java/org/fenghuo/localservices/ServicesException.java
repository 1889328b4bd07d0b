package org.fenghuo.localservices;

/** A local service could not be prepared, started or stopped. Unchecked so that the demo can print its message. */
public class ServicesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ServicesException(String message) {
        super(message);
    }

    public ServicesException(String message, Throwable cause) {
        super(message, cause);
    }
}
