package io.ssmd.config;

import java.util.List;

/**
 * What a connector subscribes to ({@code subscriptions}).
 *
 * @param markets explicit markets (tickers, symbols such as {@code BTC/USD}, or asset ids); empty
 *     means no market subscriptions, only global channels, never "every market the venue lists"
 * @param channels venue channel names; empty means the venue's default channels
 * @param shard this pod's share of {@code markets}
 * @param followSecmaster apply the security master's change events while running (add markets that
 *     open, drop those that close)
 * @param followPrefixes ticker or event-ticker prefixes the followed changes are limited to; empty
 *     means every market of the feed
 */
public record SubscriptionsConfig(
    List<String> markets, List<String> channels, ShardConfig shard, Boolean followSecmaster, List<String> followPrefixes) {
  /** Nothing explicit. */
  public static final SubscriptionsConfig DEFAULTS = new SubscriptionsConfig(null, null, null, null, null);

  public SubscriptionsConfig {
    markets = Checks.list(ConfigKeys.SUBSCRIPTION_MARKETS.orDefault(markets));
    channels = Checks.list(ConfigKeys.SUBSCRIPTION_CHANNELS.orDefault(channels));
    shard = shard != null ? shard : ShardConfig.DEFAULTS;
    followSecmaster = ConfigKeys.SUBSCRIPTION_FOLLOW_SECMASTER.orDefault(followSecmaster);
    followPrefixes = Checks.list(ConfigKeys.SUBSCRIPTION_FOLLOW_PREFIXES.orDefault(followPrefixes));
  }

  void validate(Problems p) {
    Checks.distinctStrings(p, "markets", markets);
    Checks.distinctStrings(p, "channels", channels);
    Checks.distinctStrings(p, "follow_prefixes", followPrefixes);
    if (!followSecmaster && !followPrefixes.isEmpty()) {
      // a scope that is never applied would be a value read but never used (DESIGN §2)
      p.invalid("follow_prefixes", "is only used with follow_secmaster: true; set it or remove follow_prefixes");
    }
    shard.validate(p.at("shard"));
  }
}
