package io.ssmd.market;

/**
 * Turns one venue frame into normalized events. Pure: no I/O, no state across frames (book state
 * lives in book builders), never throws on bad input (returns {@link Normalized.Rejected}).
 * Implementations live in the venue modules ({@code KalshiNormalizer}, {@code KrakenNormalizer},
 * {@code PolymarketNormalizer}).
 */
public interface Normalizer {

  /** Feed name: kalshi, kraken, polymarket. */
  String feed();

  /**
   * @param frame the venue's raw frame bytes (one element of a JSON-array frame, as published)
   * @param receivedAtMicros epoch microseconds at capture
   * @param natsSeq stream sequence, 0 when unknown
   */
  Normalized normalize(byte[] frame, long receivedAtMicros, long natsSeq);
}
