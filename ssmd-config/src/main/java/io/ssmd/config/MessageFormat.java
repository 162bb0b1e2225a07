package io.ssmd.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** Encoding of a venue's frames. */
public enum MessageFormat {
  @JsonProperty("json")
  JSON;

  /** The name as written in YAML. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
