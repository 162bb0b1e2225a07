package io.ssmd.archiver;

/**
 * When archive data is forced to disk ({@code fsync}). Acknowledgements to JetStream always wait
 * for the data to be written to the file (gzip sync flush), so a killed process never loses an
 * acknowledged message; the policy decides whether a machine crash (power loss, kernel panic) can.
 */
public enum FsyncPolicy {
  /**
   * Force the file before acknowledging each batch: an acknowledged message survives a machine
   * crash. Costs one fsync per fetched batch.
   */
  BATCH,
  /**
   * Force only on rotation and close: an acknowledged message survives a process crash, but a
   * machine crash may lose the current window's tail (JetStream still holds it, yet it is
   * acknowledged, so it is not redelivered).
   */
  ROTATION;

  /** The name as written in configuration ({@code batch}, {@code rotation}). */
  public String configName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
