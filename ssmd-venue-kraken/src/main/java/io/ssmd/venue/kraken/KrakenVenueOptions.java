package io.ssmd.venue.kraken;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How the Kraken connector subscribes (public Spot WebSocket v2 data needs no credentials).
 *
 * @param channels market-data channels per market, any of {@code ticker, trade, book} (default
 *     all three); the {@code instrument} channel is always subscribed once per connection because
 *     the book checksum needs each pair's precisions
 * @param bookDepth {@code book} depth: 10, 25, 100, 500 or 1000 (default 10); the local book is
 *     kept at this depth
 * @param maxMarketsPerConnection markets on one connection before the connector opens another
 *     (default 100)
 * @param pingInterval how often {@code {"method":"ping"}} is sent (default 10 s)
 * @param symbolsPerRequest symbols per subscribe/unsubscribe request (default 50)
 * @param resyncMinInterval at most one checksum resync per symbol within this interval, so a
 *     precision edge case cannot turn into a resubscribe storm (default 5 s)
 * @param tradeSnapshot ask for the last 50 trades on subscribe (Kraken default false)
 */
public record KrakenVenueOptions(
    List<String> channels,
    int bookDepth,
    int maxMarketsPerConnection,
    Duration pingInterval,
    int symbolsPerRequest,
    Duration resyncMinInterval,
    boolean tradeSnapshot) {

  /** The market-data channels this connector knows how to route. */
  public static final Set<String> CHANNELS = Set.of("ticker", "trade", "book");
  /** Depths Kraken accepts for {@code book}. */
  public static final Set<Integer> DEPTHS = Set.of(10, 25, 100, 500, 1000);

  public static final List<String> DEFAULT_CHANNELS = List.of("ticker", "trade", "book");
  public static final int DEFAULT_BOOK_DEPTH = 10;
  public static final int DEFAULT_MAX_MARKETS_PER_CONNECTION = 100;
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_SYMBOLS_PER_REQUEST = 50;
  public static final Duration DEFAULT_RESYNC_MIN_INTERVAL = Duration.ofSeconds(5);

  public KrakenVenueOptions {
    List<String> problems = new ArrayList<>();
    if (channels == null || channels.isEmpty()) {
      problems.add("channels must list at least one of " + DEFAULT_CHANNELS);
      channels = List.of();
    } else {
      for (String c : channels) {
        if (!CHANNELS.contains(c)) {
          problems.add("channels: unknown channel '" + c + "' (expected ticker, trade or book)");
        }
      }
      if (new LinkedHashSet<>(channels).size() != channels.size()) {
        problems.add("channels: " + channels + " lists a channel twice");
      }
      channels = List.copyOf(channels);
    }
    if (!DEPTHS.contains(bookDepth)) {
      problems.add("bookDepth must be one of 10, 25, 100, 500, 1000, got " + bookDepth);
    }
    if (maxMarketsPerConnection < 1) {
      problems.add("maxMarketsPerConnection must be >= 1, got " + maxMarketsPerConnection);
    }
    if (pingInterval == null || pingInterval.isNegative() || pingInterval.isZero()) {
      problems.add("pingInterval must be positive, got " + pingInterval);
    }
    if (symbolsPerRequest < 1 || symbolsPerRequest > 1000) {
      problems.add("symbolsPerRequest must be between 1 and 1000, got " + symbolsPerRequest);
    }
    if (resyncMinInterval == null || resyncMinInterval.isNegative()) {
      problems.add("resyncMinInterval must be >= 0, got " + resyncMinInterval);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid Kraken options: " + String.join("; ", problems));
    }
  }

  /** ticker + trade + book at depth 10, 100 markets per connection, ping every 10 s. */
  public static KrakenVenueOptions defaults() {
    return new KrakenVenueOptions(
        DEFAULT_CHANNELS, DEFAULT_BOOK_DEPTH, DEFAULT_MAX_MARKETS_PER_CONNECTION, DEFAULT_PING_INTERVAL,
        DEFAULT_SYMBOLS_PER_REQUEST, DEFAULT_RESYNC_MIN_INTERVAL, false);
  }

  public KrakenVenueOptions withChannels(List<String> c) {
    return new KrakenVenueOptions(c, bookDepth, maxMarketsPerConnection, pingInterval, symbolsPerRequest, resyncMinInterval, tradeSnapshot);
  }

  public KrakenVenueOptions withBookDepth(int d) {
    return new KrakenVenueOptions(channels, d, maxMarketsPerConnection, pingInterval, symbolsPerRequest, resyncMinInterval, tradeSnapshot);
  }

  public KrakenVenueOptions withMaxMarketsPerConnection(int n) {
    return new KrakenVenueOptions(channels, bookDepth, n, pingInterval, symbolsPerRequest, resyncMinInterval, tradeSnapshot);
  }

  public KrakenVenueOptions withPingInterval(Duration d) {
    return new KrakenVenueOptions(channels, bookDepth, maxMarketsPerConnection, d, symbolsPerRequest, resyncMinInterval, tradeSnapshot);
  }

  public KrakenVenueOptions withSymbolsPerRequest(int n) {
    return new KrakenVenueOptions(channels, bookDepth, maxMarketsPerConnection, pingInterval, n, resyncMinInterval, tradeSnapshot);
  }

  public KrakenVenueOptions withResyncMinInterval(Duration d) {
    return new KrakenVenueOptions(channels, bookDepth, maxMarketsPerConnection, pingInterval, symbolsPerRequest, d, tradeSnapshot);
  }

  public KrakenVenueOptions withTradeSnapshot(boolean b) {
    return new KrakenVenueOptions(channels, bookDepth, maxMarketsPerConnection, pingInterval, symbolsPerRequest, resyncMinInterval, b);
  }

  @Override
  public String toString() {
    return "KrakenVenueOptions[channels=" + channels + ", bookDepth=" + bookDepth + ", maxMarketsPerConnection="
        + maxMarketsPerConnection + ", pingInterval=" + pingInterval + ", symbolsPerRequest=" + symbolsPerRequest
        + ", resyncMinInterval=" + resyncMinInterval + ", tradeSnapshot=" + tradeSnapshot + "]";
  }

  static <T> List<List<T>> batches(List<T> items, int size) {
    Objects.requireNonNull(items, "items");
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i += size) {
      out.add(List.copyOf(items.subList(i, Math.min(items.size(), i + size))));
    }
    return out;
  }
}
