package io.ssmd.secmaster;

import java.time.Duration;
import java.util.Objects;

/**
 * Filter for {@link SecurityMaster#list}: every non-null criterion must hold.
 *
 * @param feed e.g. {@code kalshi}
 * @param state derived state (unopened|open|paused|closed|settled), null: any
 * @param category series category, null: any
 * @param series series ticker, null: any
 * @param search case-insensitive substring of ticker or title, null: none
 * @param closingWithin only markets closing between now and now + this, null: any
 * @param limit most rows returned (1..100000)
 */
public record MarketQuery(String feed, String state, String category, String series, String search, Duration closingWithin, int limit) {
  public MarketQuery {
    Objects.requireNonNull(feed, "feed");
    if (limit < 1 || limit > 100_000) {
      throw new IllegalArgumentException("limit must be 1..100000, got " + limit);
    }
    if (closingWithin != null && closingWithin.isNegative()) {
      throw new IllegalArgumentException("closingWithin must be a non-negative duration, got " + closingWithin);
    }
  }

  /** Everything of a feed, up to 1000 rows. */
  public static MarketQuery all(String feed) {
    return new MarketQuery(feed, null, null, null, null, null, 1000);
  }
}
