package io.ssmd.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** Security-master cache: none or Redis. */
public enum CacheType {
  @JsonProperty("none")
  NONE,
  @JsonProperty("redis")
  REDIS;

  /** The name as written in YAML. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
