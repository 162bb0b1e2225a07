package io.ssmd.sim.polymarket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the simulated Polymarket CLOB market channel ({@link PolymarketSim}).
 *
 * @param markets markets in the universe ({@link PolymarketUniverse}); each has two outcome
 *     tokens, so {@code 2 * markets} asset ids. Default {@value #DEFAULT_MARKETS}
 * @param messagesPerSecond generated market events per second across all subscribed markets (a
 *     price change or a trade; the {@code best_bid_ask}, post-trade {@code book} and tick-size
 *     frames that follow from an event come with it). 0 generates nothing but still answers
 *     subscriptions with books. Default {@value #DEFAULT_MESSAGES_PER_SECOND}
 * @param seed random seed of the initial books and the generator. Default {@value #DEFAULT_SEED}
 * @param pingTimeout a connection that sent no text {@code PING} for this long is closed; the
 *     venue asks clients to ping every 10 s and closes idle connections after about a minute.
 *     Default 60 s
 * @param tickInterval how often the generator runs (events are spread over ticks). Default 20 ms
 * @param bookDepth price levels per side of the initial books, and how far from the touch new
 *     levels appear. Default {@value #DEFAULT_BOOK_DEPTH}
 * @param referenceMarkets markets the Gamma REST API lists: markets 1..{@code markets} (the
 *     WebSocket universe) first, then reference-only ones, generated on demand. 0 (the default)
 *     means as many as {@code markets}; otherwise between {@code markets} and
 *     {@value PolymarketUniverse#MAX_REFERENCE_MARKETS}
 */
public record PolymarketSimOptions(
    int markets,
    double messagesPerSecond,
    long seed,
    Duration pingTimeout,
    Duration tickInterval,
    int bookDepth,
    int referenceMarkets) {

  public static final int DEFAULT_MARKETS = 5;
  public static final double DEFAULT_MESSAGES_PER_SECOND = 50;
  public static final long DEFAULT_SEED = 42;
  public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofMillis(20);
  public static final int DEFAULT_BOOK_DEPTH = 5;

  public PolymarketSimOptions {
    List<String> problems = new ArrayList<>();
    if (markets < 1 || markets > PolymarketUniverse.MAX_MARKETS) {
      problems.add("markets: must be between 1 and " + PolymarketUniverse.MAX_MARKETS + ", got " + markets);
    }
    if (!(messagesPerSecond >= 0) || Double.isInfinite(messagesPerSecond)) {
      problems.add("messagesPerSecond: must be a finite number >= 0, got " + messagesPerSecond);
    }
    if (pingTimeout == null || pingTimeout.isNegative() || pingTimeout.isZero()) {
      problems.add("pingTimeout: must be a positive duration, got " + pingTimeout);
    }
    if (tickInterval == null || tickInterval.toMillis() < 1) {
      problems.add("tickInterval: must be at least 1 ms, got " + tickInterval);
    }
    if (bookDepth < 1 || bookDepth > 40) {
      problems.add("bookDepth: must be between 1 and 40 (levels per side on a 0.01 grid), got " + bookDepth);
    }
    if (referenceMarkets != 0 && (referenceMarkets < markets || referenceMarkets > PolymarketUniverse.MAX_REFERENCE_MARKETS)) {
      problems.add("referenceMarkets: must be 0 or between markets (" + markets + ") and "
          + PolymarketUniverse.MAX_REFERENCE_MARKETS + ", got " + referenceMarkets);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid polymarket sim options: " + String.join("; ", problems));
    }
  }

  /** The options without reference-only markets (the shape before the REST API existed). */
  public PolymarketSimOptions(
      int markets, double messagesPerSecond, long seed, Duration pingTimeout, Duration tickInterval, int bookDepth) {
    this(markets, messagesPerSecond, seed, pingTimeout, tickInterval, bookDepth, 0);
  }

  /** How many markets the reference data lists: {@code referenceMarkets}, or {@code markets} when 0. */
  public int referenceMarketCount() {
    return referenceMarkets == 0 ? markets : referenceMarkets;
  }

  /** All defaults. */
  public static PolymarketSimOptions defaults() {
    return new PolymarketSimOptions(
        DEFAULT_MARKETS, DEFAULT_MESSAGES_PER_SECOND, DEFAULT_SEED, DEFAULT_PING_TIMEOUT, DEFAULT_TICK_INTERVAL, DEFAULT_BOOK_DEPTH);
  }

  public PolymarketSimOptions withMarkets(int n) {
    return new PolymarketSimOptions(n, messagesPerSecond, seed, pingTimeout, tickInterval, bookDepth, referenceMarkets);
  }

  public PolymarketSimOptions withMessagesPerSecond(double rate) {
    return new PolymarketSimOptions(markets, rate, seed, pingTimeout, tickInterval, bookDepth, referenceMarkets);
  }

  public PolymarketSimOptions withSeed(long s) {
    return new PolymarketSimOptions(markets, messagesPerSecond, s, pingTimeout, tickInterval, bookDepth, referenceMarkets);
  }

  public PolymarketSimOptions withPingTimeout(Duration d) {
    return new PolymarketSimOptions(markets, messagesPerSecond, seed, d, tickInterval, bookDepth, referenceMarkets);
  }

  public PolymarketSimOptions withTickInterval(Duration d) {
    return new PolymarketSimOptions(markets, messagesPerSecond, seed, pingTimeout, d, bookDepth, referenceMarkets);
  }

  public PolymarketSimOptions withBookDepth(int d) {
    return new PolymarketSimOptions(markets, messagesPerSecond, seed, pingTimeout, tickInterval, d, referenceMarkets);
  }

  public PolymarketSimOptions withReferenceMarkets(int n) {
    return new PolymarketSimOptions(markets, messagesPerSecond, seed, pingTimeout, tickInterval, bookDepth, n);
  }
}
