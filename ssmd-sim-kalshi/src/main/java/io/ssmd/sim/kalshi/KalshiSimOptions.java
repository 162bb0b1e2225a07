package io.ssmd.sim.kalshi;

import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settings of the simulated Kalshi venue.
 *
 * @param markets size of the market universe {@code SIM-MKT-000 ..} (default 10, 1..1000)
 * @param messagesPerSecond market-data events per second across all subscribed markets (ticker,
 *     trade, orderbook delta; each fans out to every subscription covering the market); default 50, 0 stops data
 * @param seed random seed for books, prices and sizes (default 42)
 * @param pingInterval WebSocket ping frames ({@code heartbeat}) to every client (default 10 s, as Kalshi)
 * @param lifecycleInterval one {@code market_lifecycle_v2} (every tenth an {@code event_lifecycle})
 *     message per interval to lifecycle subscribers (default 5 s)
 * @param maxClockSkew largest accepted distance of {@code KALSHI-ACCESS-TIMESTAMP} from now (default 30 s)
 * @param authorizedKeys registered API keys: key id to RSA public key; every handshake must be signed by one
 * @param bookDepth price levels per side in each simulated book (default 10, 1..49)
 * @param referenceMarkets size of the REST reference universe ({@code /trade-api/v2/markets}):
 *     0 (the default) means the same as {@code markets}; a larger value adds REST-only markets
 *     {@code SIM-MKT-1000 ..} (0..10,000,000). The WebSocket markets always exist in REST too.
 */
public record KalshiSimOptions(
    int markets,
    int messagesPerSecond,
    long seed,
    Duration pingInterval,
    Duration lifecycleInterval,
    Duration maxClockSkew,
    Map<String, PublicKey> authorizedKeys,
    int bookDepth,
    int referenceMarkets) {

  /** Largest reference universe: markets are generated from their index, so only the count is stored. */
  public static final int MAX_REFERENCE_MARKETS = 10_000_000;

  public static final int DEFAULT_MARKETS = 10;
  public static final int DEFAULT_MESSAGES_PER_SECOND = 50;
  public static final long DEFAULT_SEED = 42;
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_LIFECYCLE_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofSeconds(30);
  public static final int DEFAULT_BOOK_DEPTH = 10;

  public KalshiSimOptions {
    List<String> problems = new ArrayList<>();
    if (markets < 1 || markets > 1000) {
      problems.add("markets must be 1..1000 (tickers are SIM-MKT-%03d), got " + markets);
    }
    if (messagesPerSecond < 0) {
      problems.add("messagesPerSecond must be >= 0, got " + messagesPerSecond);
    }
    if (pingInterval == null || pingInterval.isNegative() || pingInterval.isZero()) {
      problems.add("pingInterval must be a positive duration, got " + pingInterval);
    }
    if (lifecycleInterval == null || lifecycleInterval.isNegative() || lifecycleInterval.isZero()) {
      problems.add("lifecycleInterval must be a positive duration, got " + lifecycleInterval);
    }
    if (maxClockSkew == null || maxClockSkew.isNegative()) {
      problems.add("maxClockSkew must be a non-negative duration, got " + maxClockSkew);
    }
    if (bookDepth < 1 || bookDepth > 49) {
      problems.add("bookDepth must be 1..49 price levels, got " + bookDepth);
    }
    if (referenceMarkets < 0 || referenceMarkets > MAX_REFERENCE_MARKETS) {
      problems.add("referenceMarkets must be 0..10000000 (0 = same as markets), got " + referenceMarkets);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid Kalshi simulator options: " + String.join("; ", problems));
    }
    authorizedKeys = authorizedKeys == null ? Map.of() : Map.copyOf(authorizedKeys);
  }

  /** Defaults with these registered keys. */
  public static KalshiSimOptions defaults(Map<String, PublicKey> authorizedKeys) {
    return new KalshiSimOptions(
        DEFAULT_MARKETS,
        DEFAULT_MESSAGES_PER_SECOND,
        DEFAULT_SEED,
        DEFAULT_PING_INTERVAL,
        DEFAULT_LIFECYCLE_INTERVAL,
        DEFAULT_MAX_CLOCK_SKEW,
        authorizedKeys,
        DEFAULT_BOOK_DEPTH,
        0);
  }

  public KalshiSimOptions withMarkets(int n) {
    return new KalshiSimOptions(n, messagesPerSecond, seed, pingInterval, lifecycleInterval, maxClockSkew, authorizedKeys, bookDepth, referenceMarkets);
  }

  public KalshiSimOptions withMessagesPerSecond(int n) {
    return new KalshiSimOptions(markets, n, seed, pingInterval, lifecycleInterval, maxClockSkew, authorizedKeys, bookDepth, referenceMarkets);
  }

  public KalshiSimOptions withSeed(long s) {
    return new KalshiSimOptions(markets, messagesPerSecond, s, pingInterval, lifecycleInterval, maxClockSkew, authorizedKeys, bookDepth, referenceMarkets);
  }

  public KalshiSimOptions withPingInterval(Duration d) {
    return new KalshiSimOptions(markets, messagesPerSecond, seed, d, lifecycleInterval, maxClockSkew, authorizedKeys, bookDepth, referenceMarkets);
  }

  public KalshiSimOptions withLifecycleInterval(Duration d) {
    return new KalshiSimOptions(markets, messagesPerSecond, seed, pingInterval, d, maxClockSkew, authorizedKeys, bookDepth, referenceMarkets);
  }

  public KalshiSimOptions withMaxClockSkew(Duration d) {
    return new KalshiSimOptions(markets, messagesPerSecond, seed, pingInterval, lifecycleInterval, d, authorizedKeys, bookDepth, referenceMarkets);
  }

  public KalshiSimOptions withBookDepth(int depth) {
    return new KalshiSimOptions(markets, messagesPerSecond, seed, pingInterval, lifecycleInterval, maxClockSkew, authorizedKeys, depth, referenceMarkets);
  }

  public KalshiSimOptions withReferenceMarkets(int n) {
    return new KalshiSimOptions(markets, messagesPerSecond, seed, pingInterval, lifecycleInterval, maxClockSkew, authorizedKeys, bookDepth, n);
  }

  /** Markets served over REST at start: at least the WebSocket universe. */
  public int referenceUniverse() {
    return Math.max(markets, referenceMarkets);
  }

  /** Key ids only: public keys are not secret, but a status page has no use for them. */
  @Override
  public String toString() {
    return "KalshiSimOptions[markets=" + markets + ", messagesPerSecond=" + messagesPerSecond + ", seed=" + seed
        + ", pingInterval=" + pingInterval + ", lifecycleInterval=" + lifecycleInterval + ", maxClockSkew=" + maxClockSkew
        + ", authorizedKeys=" + authorizedKeys.keySet() + ", bookDepth=" + bookDepth + ", referenceMarkets=" + referenceMarkets + "]";
  }
}
