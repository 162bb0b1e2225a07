package io.ssmd.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** How a venue delivers market data (feed {@code feed_type}). */
public enum FeedType {
  @JsonProperty("websocket")
  WEBSOCKET;

  /** The name as written in YAML. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
