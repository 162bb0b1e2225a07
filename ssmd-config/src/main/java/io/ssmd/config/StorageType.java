package io.ssmd.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** Archive storage: a local directory or an S3-compatible object store. */
public enum StorageType {
  @JsonProperty("local")
  LOCAL,
  @JsonProperty("s3")
  S3;

  /** The name as written in YAML. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
