package io.ssmd.config;

import java.net.URI;

/**
 * Security-master cache ({@code cache}).
 *
 * @param type {@code none} or {@code redis}
 * @param url Redis server, required for {@code redis} and rejected for {@code none}
 */
public record CacheConfig(CacheType type, URI url) {
  /** No cache. */
  public static final CacheConfig DEFAULTS = new CacheConfig(null, null);

  public CacheConfig {
    type = ConfigKeys.CACHE_TYPE.orDefault(type);
  }

  void validate(Problems p) {
    if (type == CacheType.REDIS) {
      if (url == null) {
        p.missing("url", "required when " + p.path("type") + " is redis");
      }
      Checks.uri(p, "url", url, "redis", "rediss");
    } else {
      p.unused("url", url, p.path("type") + " is redis");
    }
  }
}
