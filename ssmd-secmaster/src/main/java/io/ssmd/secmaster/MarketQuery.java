package io.ssmd.secmaster;

import java.time.Duration;
import java.util.Objects;

/**
 * Filter for {@link SecurityMaster#list}: every non-null criterion must hold.
 *
 * <p>Paging: a query without {@code after} returns the first {@code limit} rows by close time then
 * ticker. A query with {@code after} is a keyset page in ticker order: only tickers sorting after
 * it (the empty string: from the first), so a caller walks any number of rows with {@link
 * #after(String)} set to the last ticker of the previous page, and ties of close time never skip or
 * repeat a row.
 *
 * @param feed e.g. {@code kalshi}
 * @param state derived state (unopened|open|paused|closed|settled), null: any
 * @param category series category, null: any
 * @param series series ticker, null: any
 * @param search case-insensitive substring of ticker or title, null: none
 * @param closingWithin only markets closing between now and now + this, null: any
 * @param limit most rows returned (1..100000)
 * @param after keyset cursor: only tickers after this one, in ticker order (null: no paging)
 */
public record MarketQuery(
    String feed, String state, String category, String series, String search, Duration closingWithin, int limit, String after) {
  public MarketQuery {
    Objects.requireNonNull(feed, "feed");
    if (limit < 1 || limit > 100_000) {
      throw new IllegalArgumentException("limit must be 1..100000, got " + limit);
    }
    if (closingWithin != null && closingWithin.isNegative()) {
      throw new IllegalArgumentException("closingWithin must be a non-negative duration, got " + closingWithin);
    }
  }

  /** A query without paging (first {@code limit} rows by close time). */
  public MarketQuery(String feed, String state, String category, String series, String search, Duration closingWithin, int limit) {
    this(feed, state, category, series, search, closingWithin, limit, null);
  }

  /** Everything of a feed, up to 1000 rows. */
  public static MarketQuery all(String feed) {
    return new MarketQuery(feed, null, null, null, null, null, 1000);
  }

  /** This query as the keyset page after {@code ticker} ({@code ""}: the first page), in ticker order. */
  public MarketQuery after(String ticker) {
    return new MarketQuery(feed, state, category, series, search, closingWithin, limit, Objects.requireNonNull(ticker, "ticker"));
  }

  /** This query with another row limit. */
  public MarketQuery withLimit(int rows) {
    return new MarketQuery(feed, state, category, series, search, closingWithin, rows, after);
  }
}
