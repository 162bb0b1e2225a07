package io.ssmd.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * Kind of credential: an API key id plus RSA private key (Kalshi), a plain API key, or an S3
 * access key pair (fields {@code access_key} and {@code secret_key}).
 */
public enum KeyType {
  @JsonProperty("rsa_api_key")
  RSA_API_KEY,
  @JsonProperty("api_key")
  API_KEY,
  @JsonProperty("s3_credentials")
  S3_CREDENTIALS;

  /** Fields an {@code s3_credentials} key must have, exactly. */
  public static final java.util.List<String> S3_FIELDS = java.util.List.of("access_key", "secret_key");

  /** The name as written in YAML. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
