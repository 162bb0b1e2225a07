package io.ssmd.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** Transport of captured frames: NATS JetStream, or in-process memory for {@code ssmd up}. */
public enum TransportType {
  @JsonProperty("nats")
  NATS,
  @JsonProperty("memory")
  MEMORY;

  /** The name as written in YAML. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
