package org.fenghuo.cli;

/** A command line that cannot be run: printed as one line followed by the usage, exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
