package io.ssmd.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** Kind of credential: an API key id plus RSA private key (Kalshi), or a plain API key. */
public enum KeyType {
  @JsonProperty("rsa_api_key")
  RSA_API_KEY,
  @JsonProperty("api_key")
  API_KEY;

  /** The name as written in YAML. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
