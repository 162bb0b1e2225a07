package io.ssmd.config;

/**
 * This pod's share of the markets ({@code subscriptions.shard}): market {@code i} of the sorted
 * list belongs to shard {@code i % count}.
 *
 * @param index this pod's shard, {@code 0 <= index < count}
 * @param count number of pods sharing the markets
 */
public record ShardConfig(Integer index, Integer count) {
  /** A single pod with every market. */
  public static final ShardConfig DEFAULTS = new ShardConfig(null, null);

  public ShardConfig {
    index = ConfigKeys.SHARD_INDEX.orDefault(index);
    count = ConfigKeys.SHARD_COUNT.orDefault(count);
  }

  void validate(Problems p) {
    Checks.positive(p, "count", count);
    if (index < 0 || (count > 0 && index >= count)) {
      p.invalid("index", "expected 0 <= index < count (" + count + "), got " + index);
    }
  }
}
