package io.ssmd.sim.kraken;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of the simulated Kraken Spot WebSocket v2 venue.
 *
 * @param markets how many pairs exist: the ten named pairs of {@link KrakenUniverse} first, then
 *     synthetic {@code SIM<n>/USD} (default 10)
 * @param messagesPerSecond market events generated per second across all subscribed markets; each
 *     event (a book change or a trade) yields one data message per subscription it concerns
 *     (default 200)
 * @param seed seed of the deterministic random generator (default 42)
 * @param heartbeatInterval {@code {"channel":"heartbeat"}} is sent when a connection saw no data
 *     for this long, once it subscribed to something (Kraken: about 1 s; default 1 s)
 * @param tickInterval how often the generator runs (default 10 ms)
 * @param bookLevels price levels per side kept in each simulated book, the most any depth can
 *     show (default 100)
 * @param referencePairs pairs listed by the REST {@code AssetPairs} endpoint and the
 *     {@code instrument} channel: the {@code markets} traded pairs first, then more of the same
 *     universe that exist only as reference data (0, the default, means as many as
 *     {@code markets}; otherwise at least {@code markets}, at most 100000)
 */
public record KrakenSimOptions(
    int markets,
    double messagesPerSecond,
    long seed,
    Duration heartbeatInterval,
    Duration tickInterval,
    int bookLevels,
    int referencePairs) {

  public static final int DEFAULT_MARKETS = 10;
  public static final double DEFAULT_MESSAGES_PER_SECOND = 200;
  public static final long DEFAULT_SEED = 42;
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofMillis(10);
  public static final int DEFAULT_BOOK_LEVELS = 100;

  public KrakenSimOptions {
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(tickInterval, "tickInterval");
    List<String> problems = new ArrayList<>();
    if (markets < 1 || markets > 100_000) {
      problems.add("markets must be between 1 and 100000, got " + markets);
    }
    if (!(messagesPerSecond >= 0) || Double.isInfinite(messagesPerSecond)) {
      problems.add("messagesPerSecond must be >= 0, got " + messagesPerSecond);
    }
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      problems.add("heartbeatInterval must be positive, got " + heartbeatInterval);
    }
    if (tickInterval.isNegative() || tickInterval.isZero()) {
      problems.add("tickInterval must be positive, got " + tickInterval);
    }
    if (bookLevels < 10 || bookLevels > 1000) {
      problems.add("bookLevels must be between 10 and 1000 (the checksum covers 10 levels), got " + bookLevels);
    }
    if (referencePairs != 0 && (referencePairs < markets || referencePairs > 100_000)) {
      problems.add("referencePairs must be 0 or between markets (" + markets + ") and 100000, got " + referencePairs);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid Kraken simulator options: " + String.join("; ", problems));
    }
  }

  /** The options without reference-only pairs (the shape before the REST API existed). */
  public KrakenSimOptions(
      int markets, double messagesPerSecond, long seed, Duration heartbeatInterval, Duration tickInterval, int bookLevels) {
    this(markets, messagesPerSecond, seed, heartbeatInterval, tickInterval, bookLevels, 0);
  }

  /** How many pairs the reference data lists: {@code referencePairs}, or {@code markets} when 0. */
  public int referencePairCount() {
    return referencePairs == 0 ? markets : referencePairs;
  }

  /** All defaults: 10 markets, 200 events/s, seed 42, heartbeat 1 s, tick 10 ms, 100 levels. */
  public static KrakenSimOptions defaults() {
    return new KrakenSimOptions(
        DEFAULT_MARKETS, DEFAULT_MESSAGES_PER_SECOND, DEFAULT_SEED, DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_TICK_INTERVAL, DEFAULT_BOOK_LEVELS);
  }

  public KrakenSimOptions withMarkets(int n) {
    return new KrakenSimOptions(n, messagesPerSecond, seed, heartbeatInterval, tickInterval, bookLevels, referencePairs);
  }

  public KrakenSimOptions withMessagesPerSecond(double rate) {
    return new KrakenSimOptions(markets, rate, seed, heartbeatInterval, tickInterval, bookLevels, referencePairs);
  }

  public KrakenSimOptions withSeed(long s) {
    return new KrakenSimOptions(markets, messagesPerSecond, s, heartbeatInterval, tickInterval, bookLevels, referencePairs);
  }

  public KrakenSimOptions withHeartbeatInterval(Duration d) {
    return new KrakenSimOptions(markets, messagesPerSecond, seed, d, tickInterval, bookLevels, referencePairs);
  }

  public KrakenSimOptions withReferencePairs(int n) {
    return new KrakenSimOptions(markets, messagesPerSecond, seed, heartbeatInterval, tickInterval, bookLevels, n);
  }
}
