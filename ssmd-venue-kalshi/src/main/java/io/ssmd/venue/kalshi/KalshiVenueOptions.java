package io.ssmd.venue.kalshi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Settings of the Kalshi connector protocol. Plain values so the CLI can map YAML onto them.
 *
 * @param apiKeyId Kalshi API key id (UUID); required to connect (missing: {@link io.ssmd.connector.AuthException})
 * @param privateKeyPem the RSA private key, PEM, PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1
 *     ({@code BEGIN RSA PRIVATE KEY}); the resolved secret, never logged
 * @param channels per-market channels subscribed for every market (default {@code ticker, trade,
 *     orderbook_delta}; allowed: those three)
 * @param globalChannels market-independent channels, subscribed on the primary connection only
 *     (default {@code market_lifecycle_v2}, which carries both {@code market_lifecycle_v2} and
 *     {@code event_lifecycle} messages; allowed also {@code multivariate_market_lifecycle}; empty for none)
 * @param useYesPrice value sent as {@code use_yes_price} on orderbook subscriptions (default false:
 *     NO levels priced on the NO leg). Always sent, because Kalshi plans to flip the default.
 * @param tickerInitialSnapshot {@code send_initial_snapshot} on the ticker channel (default false)
 * @param maxMarketsPerConnection markets per WebSocket connection before another shard opens (default 200)
 * @param marketsPerCommand market tickers per subscribe/update command (default 100, at most 256)
 * @param pingInterval client WebSocket ping frames (default 10 s)
 * @param bookDepth price levels kept per side of each local book (default 100)
 */
public record KalshiVenueOptions(
    String apiKeyId,
    String privateKeyPem,
    List<String> channels,
    List<String> globalChannels,
    boolean useYesPrice,
    boolean tickerInitialSnapshot,
    int maxMarketsPerConnection,
    int marketsPerCommand,
    Duration pingInterval,
    int bookDepth) {

  public static final List<String> DEFAULT_CHANNELS = List.of("ticker", "trade", "orderbook_delta");
  public static final List<String> DEFAULT_GLOBAL_CHANNELS = List.of("market_lifecycle_v2");
  public static final int DEFAULT_MAX_MARKETS_PER_CONNECTION = 200;
  public static final int DEFAULT_MARKETS_PER_COMMAND = 100;
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_BOOK_DEPTH = 100;

  static final Set<String> MARKET_CHANNELS = Set.of("ticker", "trade", "orderbook_delta");
  static final Set<String> GLOBAL_CHANNELS = Set.of("market_lifecycle_v2", "multivariate_market_lifecycle");

  public KalshiVenueOptions {
    channels = channels == null ? DEFAULT_CHANNELS : List.copyOf(channels);
    globalChannels = globalChannels == null ? DEFAULT_GLOBAL_CHANNELS : List.copyOf(globalChannels);
    pingInterval = pingInterval == null ? DEFAULT_PING_INTERVAL : pingInterval;
    List<String> problems = new ArrayList<>();
    for (String c : channels) {
      if (!MARKET_CHANNELS.contains(c)) {
        problems.add("channels: '" + c + "' is not a Kalshi per-market channel (expected ticker, trade, orderbook_delta)");
      }
    }
    if (channels.stream().distinct().count() != channels.size()) {
      problems.add("channels: duplicates in " + channels);
    }
    for (String c : globalChannels) {
      if (c.equals("event_lifecycle")) {
        problems.add("globalChannels: event_lifecycle is not a channel; event lifecycle messages arrive on market_lifecycle_v2");
      } else if (!GLOBAL_CHANNELS.contains(c)) {
        problems.add("globalChannels: '" + c + "' is not a Kalshi lifecycle channel (expected market_lifecycle_v2, multivariate_market_lifecycle)");
      }
    }
    if (maxMarketsPerConnection < 1) {
      problems.add("maxMarketsPerConnection must be >= 1, got " + maxMarketsPerConnection);
    }
    if (marketsPerCommand < 1 || marketsPerCommand > 256) {
      problems.add("marketsPerCommand must be 1..256, got " + marketsPerCommand);
    }
    if (pingInterval.isNegative() || pingInterval.isZero()) {
      problems.add("pingInterval must be positive, got " + pingInterval);
    }
    if (bookDepth < 1) {
      problems.add("bookDepth must be >= 1, got " + bookDepth);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid Kalshi venue options: " + String.join("; ", problems));
    }
  }

  /** Defaults with these credentials. */
  public static KalshiVenueOptions defaults(String apiKeyId, String privateKeyPem) {
    return new KalshiVenueOptions(
        apiKeyId,
        privateKeyPem,
        DEFAULT_CHANNELS,
        DEFAULT_GLOBAL_CHANNELS,
        false,
        false,
        DEFAULT_MAX_MARKETS_PER_CONNECTION,
        DEFAULT_MARKETS_PER_COMMAND,
        DEFAULT_PING_INTERVAL,
        DEFAULT_BOOK_DEPTH);
  }

  public KalshiVenueOptions withChannels(List<String> c, List<String> global) {
    return new KalshiVenueOptions(apiKeyId, privateKeyPem, c, global, useYesPrice, tickerInitialSnapshot, maxMarketsPerConnection, marketsPerCommand, pingInterval, bookDepth);
  }

  public KalshiVenueOptions withUseYesPrice(boolean v) {
    return new KalshiVenueOptions(apiKeyId, privateKeyPem, channels, globalChannels, v, tickerInitialSnapshot, maxMarketsPerConnection, marketsPerCommand, pingInterval, bookDepth);
  }

  public KalshiVenueOptions withTickerInitialSnapshot(boolean v) {
    return new KalshiVenueOptions(apiKeyId, privateKeyPem, channels, globalChannels, useYesPrice, v, maxMarketsPerConnection, marketsPerCommand, pingInterval, bookDepth);
  }

  public KalshiVenueOptions withLimits(int maxMarkets, int perCommand) {
    return new KalshiVenueOptions(apiKeyId, privateKeyPem, channels, globalChannels, useYesPrice, tickerInitialSnapshot, maxMarkets, perCommand, pingInterval, bookDepth);
  }

  public KalshiVenueOptions withPingInterval(Duration d) {
    return new KalshiVenueOptions(apiKeyId, privateKeyPem, channels, globalChannels, useYesPrice, tickerInitialSnapshot, maxMarketsPerConnection, marketsPerCommand, d, bookDepth);
  }

  public KalshiVenueOptions withBookDepth(int depth) {
    return new KalshiVenueOptions(apiKeyId, privateKeyPem, channels, globalChannels, useYesPrice, tickerInitialSnapshot, maxMarketsPerConnection, marketsPerCommand, pingInterval, depth);
  }

  /** Never prints the private key. */
  @Override
  public String toString() {
    return "KalshiVenueOptions[apiKeyId=" + apiKeyId + ", privateKeyPem=" + (privateKeyPem == null ? "absent" : "***")
        + ", channels=" + channels + ", globalChannels=" + globalChannels + ", useYesPrice=" + useYesPrice
        + ", tickerInitialSnapshot=" + tickerInitialSnapshot + ", maxMarketsPerConnection=" + maxMarketsPerConnection
        + ", marketsPerCommand=" + marketsPerCommand + ", pingInterval=" + pingInterval + ", bookDepth=" + bookDepth + "]";
  }
}
