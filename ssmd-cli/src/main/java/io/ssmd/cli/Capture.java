package io.ssmd.cli;

import io.ssmd.config.FeedLimits;
import io.ssmd.config.KeyMaterial;
import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.config.SecretResolver;
import io.ssmd.config.ShardConfig;
import io.ssmd.connector.ConnectorOptions;
import io.ssmd.connector.Venue;
import io.ssmd.venue.kalshi.KalshiVenue;
import io.ssmd.venue.kalshi.KalshiVenueOptions;
import io.ssmd.venue.kraken.KrakenVenue;
import io.ssmd.venue.kraken.KrakenVenueOptions;
import io.ssmd.venue.polymarket.PolymarketVenue;
import io.ssmd.venue.polymarket.PolymarketVenueOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What one connector captures: feed, endpoint, limits, channels, markets and credentials. Built
 * from an environment file ({@code ssmd run connector}) or from the simulators ({@code ssmd up});
 * turns into the venue protocol and the session-base options.
 *
 * @param env subject prefix (first subject token)
 * @param credentials key id and PEM for Kalshi; null for public feeds
 * @param follow whether the connector follows the security master's change events, and their scope
 */
record Capture(
    String env,
    String feed,
    URI endpoint,
    FeedLimits limits,
    List<String> channels,
    List<String> markets,
    Credentials credentials,
    ShardConfig shard,
    Follow follow) {

  /** A capture that does not follow the security master ({@code markets} is the whole set). */
  Capture(String env, String feed, URI endpoint, FeedLimits limits, List<String> channels, List<String> markets,
      Credentials credentials, ShardConfig shard) {
    this(env, feed, endpoint, limits, channels, markets, credentials, shard, Follow.OFF);
  }

  /**
   * Following the security master ({@code subscriptions.follow_secmaster}): markets that open are
   * added, markets that close are removed while the connector runs.
   *
   * @param prefixes ticker or event-ticker prefixes followed; empty follows every market of the feed
   */
  record Follow(boolean enabled, List<String> prefixes) {
    static final Follow OFF = new Follow(false, List.of());
    static final Follow ALL = new Follow(true, List.of());

    Follow {
      prefixes = prefixes == null ? List.of() : List.copyOf(prefixes);
    }
  }

  /** The same capture following (or not) the security master. */
  Capture withFollow(Follow f) {
    return new Capture(env, feed, endpoint, limits, channels, markets, credentials, shard, f);
  }

  /** Kalshi API key id and private key PEM (resolved secrets; never printed). */
  record Credentials(String keyId, String privateKeyPem) {
    @Override
    public String toString() {
      return "Credentials[****]";
    }
  }

  static final Set<String> FEEDS = Set.of("kalshi", "kraken", "polymarket");

  private static final Set<String> KALSHI_GLOBAL_CHANNELS = Set.of("market_lifecycle_v2", "multivariate_market_lifecycle");

  Capture {
    channels = channels == null ? List.of() : List.copyOf(channels);
    markets = markets == null ? List.of() : List.copyOf(markets);
    shard = shard == null ? ShardConfig.DEFAULTS : shard;
    follow = follow == null ? Follow.OFF : follow;
  }

  /** From an environment file; resolves the feed's credentials (secrets stay in memory only). */
  static Capture fromEnvironment(ResolvedEnvironment r, SecretResolver secrets) {
    if (!FEEDS.contains(r.feedName())) {
      throw new UsageException(r.environmentFile() + ": feed '" + r.feedName() + "' has no connector (known: kalshi, kraken, polymarket)");
    }
    Credentials creds = null;
    if (r.feedName().equals("kalshi")) {
      // Only the venue key: other keys (S3 credentials for the archiver) are not the connector's business.
      var spec = r.environment().key("kalshi").orElseThrow(() -> new UsageException(r.environmentFile()
          + ": keys.kalshi is required for the kalshi feed"
          + " (type rsa_api_key, fields [api_key, private_key], source env:KALSHI | file:/dir | sealed-secret/<name>)"));
      KeyMaterial k = secrets.resolve("kalshi", spec).orElseThrow(() -> new UsageException(
          r.environmentFile() + ": keys.kalshi could not be resolved from " + spec.source()));
      creds = new Credentials(k.field("api_key").reveal().trim(), k.field("private_key").reveal());
    }
    var subs = r.environment().subscriptions();
    return new Capture(
        r.subjectPrefix(), r.feedName(), r.endpoint(), r.limits(), subs.channels(), subs.markets(), creds, subs.shard(),
        new Follow(subs.followSecmaster(), subs.followPrefixes()));
  }

  /** The venue protocol for this capture. */
  Venue venue() {
    return switch (feed) {
      case "kalshi" -> {
        List<String> perMarket = new ArrayList<>();
        List<String> global = new ArrayList<>();
        for (String c : channels) {
          (KALSHI_GLOBAL_CHANNELS.contains(c) ? global : perMarket).add(c);
        }
        KalshiVenueOptions o = KalshiVenueOptions.defaults(
                credentials == null ? null : credentials.keyId(), credentials == null ? null : credentials.privateKeyPem())
            .withLimits(limits.marketsPerConnection(), Math.min(limits.subscribeBatch(), 256))
            .withPingInterval(limits.clientPingInterval());
        if (!channels.isEmpty()) {
          o = o.withChannels(perMarket.isEmpty() ? KalshiVenueOptions.DEFAULT_CHANNELS : perMarket, global);
        }
        yield new KalshiVenue(o);
      }
      case "kraken" -> new KrakenVenue(new KrakenVenueOptions(
          channels.isEmpty() ? KrakenVenueOptions.DEFAULT_CHANNELS : channels,
          KrakenVenueOptions.DEFAULT_BOOK_DEPTH,
          limits.marketsPerConnection(),
          limits.clientPingInterval(),
          Math.min(limits.subscribeBatch(), KrakenVenueOptions.DEFAULT_SYMBOLS_PER_REQUEST),
          KrakenVenueOptions.DEFAULT_RESYNC_MIN_INTERVAL,
          false));
      case "polymarket" -> {
        if (!channels.isEmpty()) {
          throw new UsageException("polymarket has one market channel; subscriptions.channels must be empty, got " + channels);
        }
        yield new PolymarketVenue(PolymarketVenueOptions.defaults()
            .withMaxMarketsPerConnection(limits.marketsPerConnection())
            .withPingInterval(limits.clientPingInterval()));
      }
      default -> throw new UsageException("feed '" + feed + "' has no connector (known: kalshi, kraken, polymarket)");
    };
  }

  /** Session-base options: limits from the feed file, sharding from the environment. */
  ConnectorOptions connectorOptions() {
    return ConnectorOptions.builder(env, endpoint)
        .maxMarketsPerConnection(limits.marketsPerConnection())
        .clientPingInterval(limits.clientPingInterval())
        .pongTimeout(limits.pongTimeout())
        .noDataTimeout(limits.noDataTimeout())
        .maxFrameBytes(limits.maxFrameBytes())
        .subscribe(limits.subscribeBatch(), limits.subscribePace())
        .podShard(shard.index(), shard.count())
        .build();
  }
}
