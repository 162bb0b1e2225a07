package io.ssmd.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** WebSocket transport of a feed version: plain {@code ws} or TLS {@code wss}. */
public enum WsScheme {
  @JsonProperty("ws")
  WS,
  @JsonProperty("wss")
  WSS;

  /** The name as written in YAML. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
