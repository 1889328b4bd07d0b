package org.fenghuo.cli;

/** A command that could not do its work, for a reason the user can act on (the message says which). */
public final class CommandException extends RuntimeException {
    public CommandException(String message) {
        super(message);
    }

    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
