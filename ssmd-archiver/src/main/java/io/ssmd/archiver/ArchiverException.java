package io.ssmd.archiver;

/**
 * The archiver cannot start or run: the stream is missing, the filter does not cover it, NATS is
 * unreachable, the archive directory cannot be recovered. The message is one line saying what is
 * wrong and how to fix it; it never contains credentials.
 */
public class ArchiverException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ArchiverException(String message) {
    super(message);
  }

  public ArchiverException(String message, Throwable cause) {
    super(message, cause);
  }
}
