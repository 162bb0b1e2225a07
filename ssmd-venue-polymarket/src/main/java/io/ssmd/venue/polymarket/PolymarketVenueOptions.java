package io.ssmd.venue.polymarket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the Polymarket CLOB market-channel connector protocol. The channel is public (no
 * credentials) and {@code custom_feature_enabled} is always sent, because {@code best_bid_ask},
 * {@code new_market} and {@code market_resolved} only flow with it.
 *
 * @param maxMarketsPerConnection asset ids (outcome tokens) per connection; the venue's practical
 *     limit is about 500. Default {@value #DEFAULT_MAX_MARKETS_PER_CONNECTION}
 * @param pingInterval how often the text {@code PING} is sent; the venue asks for every 10 s.
 *     Default 10 s
 * @param initialDump ask for a {@code book} of every asset on subscribe (needed for the online
 *     integrity check). Default true
 * @param maxBookLevels price levels kept per side of each local book (memory bound; the worst
 *     levels go first, the touch is never dropped). Default {@value #DEFAULT_MAX_BOOK_LEVELS}
 * @param resyncMinInterval least time between two resubscriptions of one asset after best-price
 *     mismatches, so a misbehaving asset cannot flood the venue with subscription cycles.
 *     Default 5 s
 */
public record PolymarketVenueOptions(
    int maxMarketsPerConnection, Duration pingInterval, boolean initialDump, int maxBookLevels, Duration resyncMinInterval) {

  public static final int DEFAULT_MAX_MARKETS_PER_CONNECTION = 500;
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_BOOK_LEVELS = 1000;
  public static final Duration DEFAULT_RESYNC_MIN_INTERVAL = Duration.ofSeconds(5);

  public PolymarketVenueOptions {
    List<String> problems = new ArrayList<>();
    if (maxMarketsPerConnection < 1) {
      problems.add("maxMarketsPerConnection: must be >= 1 (asset ids per connection; the venue allows about 500), got " + maxMarketsPerConnection);
    }
    if (pingInterval == null || pingInterval.isNegative() || pingInterval.isZero()) {
      problems.add("pingInterval: must be a positive duration (the venue asks for 10s), got " + pingInterval);
    }
    if (maxBookLevels < 1) {
      problems.add("maxBookLevels: must be >= 1, got " + maxBookLevels);
    }
    if (resyncMinInterval == null || resyncMinInterval.isNegative()) {
      problems.add("resyncMinInterval: must be a duration >= 0, got " + resyncMinInterval);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid polymarket options: " + String.join("; ", problems));
    }
  }

  /** All defaults. */
  public static PolymarketVenueOptions defaults() {
    return new PolymarketVenueOptions(
        DEFAULT_MAX_MARKETS_PER_CONNECTION, DEFAULT_PING_INTERVAL, true, DEFAULT_MAX_BOOK_LEVELS, DEFAULT_RESYNC_MIN_INTERVAL);
  }

  public PolymarketVenueOptions withMaxMarketsPerConnection(int n) {
    return new PolymarketVenueOptions(n, pingInterval, initialDump, maxBookLevels, resyncMinInterval);
  }

  public PolymarketVenueOptions withPingInterval(Duration d) {
    return new PolymarketVenueOptions(maxMarketsPerConnection, d, initialDump, maxBookLevels, resyncMinInterval);
  }

  public PolymarketVenueOptions withMaxBookLevels(int n) {
    return new PolymarketVenueOptions(maxMarketsPerConnection, pingInterval, initialDump, n, resyncMinInterval);
  }

  public PolymarketVenueOptions withResyncMinInterval(Duration d) {
    return new PolymarketVenueOptions(maxMarketsPerConnection, pingInterval, initialDump, maxBookLevels, d);
  }
}
