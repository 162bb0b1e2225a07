package io.ssmd.transport;

/**
 * A fatal transport problem that retrying cannot fix: the broker is unreachable at start-up, the
 * stream is missing, or its subjects do not cover what will be published. The message says what is
 * wrong and how to fix it, and is meant to be shown to the operator as is.
 */
public class TransportException extends RuntimeException {
  public TransportException(String message) {
    super(message);
  }

  public TransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
