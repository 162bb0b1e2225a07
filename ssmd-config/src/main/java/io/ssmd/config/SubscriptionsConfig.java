package io.ssmd.config;

import java.util.List;

/**
 * What a connector subscribes to ({@code subscriptions}).
 *
 * @param markets explicit markets (tickers, symbols such as {@code BTC/USD}, or asset ids); empty
 *     means no market subscriptions, only global channels, never "every market the venue lists"
 * @param channels venue channel names; empty means the venue's default channels
 * @param shard this pod's share of {@code markets}
 */
public record SubscriptionsConfig(List<String> markets, List<String> channels, ShardConfig shard) {
  /** Nothing explicit. */
  public static final SubscriptionsConfig DEFAULTS = new SubscriptionsConfig(null, null, null);

  public SubscriptionsConfig {
    markets = Checks.list(ConfigKeys.SUBSCRIPTION_MARKETS.orDefault(markets));
    channels = Checks.list(ConfigKeys.SUBSCRIPTION_CHANNELS.orDefault(channels));
    shard = shard != null ? shard : ShardConfig.DEFAULTS;
  }

  void validate(Problems p) {
    Checks.distinctStrings(p, "markets", markets);
    Checks.distinctStrings(p, "channels", channels);
    shard.validate(p.at("shard"));
  }
}
