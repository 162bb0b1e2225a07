package io.ssmd.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** When the archiver forces archive data to disk ({@code archiver.fsync}). */
public enum ArchiveFsync {
  /** Before acknowledging each fetched batch: acknowledged data survives a machine crash. */
  @JsonProperty("batch")
  BATCH,
  /** Only on rotation and close: acknowledged data survives a process crash, not a machine crash. */
  @JsonProperty("rotation")
  ROTATION;

  /** The name as written in YAML. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
