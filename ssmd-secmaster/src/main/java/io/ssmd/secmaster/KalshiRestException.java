package io.ssmd.secmaster;

/** A Kalshi REST call failed for good: a fatal status, or too many consecutive retriable errors. */
public final class KalshiRestException extends RuntimeException {
  private final int status;

  public KalshiRestException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** Last HTTP status seen, or 0 when the last failure was I/O. */
  public int status() {
    return status;
  }
}
