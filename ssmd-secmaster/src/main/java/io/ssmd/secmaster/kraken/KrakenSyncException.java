package io.ssmd.secmaster.kraken;

/** A Kraken sync that could not complete: the venue kept failing, refused the request, or the database failed. */
public final class KrakenSyncException extends Exception {
  public KrakenSyncException(String message) {
    super(message);
  }

  public KrakenSyncException(String message, Throwable cause) {
    super(message, cause);
  }
}
