package io.ssmd.secmaster.polymarket;

/** A Polymarket sync that could not complete: the venue kept failing, refused the request, or the database failed. */
public final class PolymarketSyncException extends Exception {
  public PolymarketSyncException(String message) {
    super(message);
  }

  public PolymarketSyncException(String message, Throwable cause) {
    super(message, cause);
  }
}
