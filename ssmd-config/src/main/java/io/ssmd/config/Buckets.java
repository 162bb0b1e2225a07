package io.ssmd.config;

/**
 * S3 buckets of an environment ({@code storage.buckets}).
 *
 * @param raw bucket for raw JSONL.gz archives
 * @param normalized bucket for normalized Parquet files
 */
public record Buckets(String raw, String normalized) {
  /** All defaults. */
  public static final Buckets DEFAULTS = new Buckets(null, null);

  public Buckets {
    raw = ConfigKeys.BUCKET_RAW.orDefault(raw);
    normalized = ConfigKeys.BUCKET_NORMALIZED.orDefault(normalized);
  }

  void validate(Problems p) {
    bucket(p, "raw", raw);
    bucket(p, "normalized", normalized);
  }

  private static void bucket(Problems p, String key, String name) {
    // S3 bucket naming rules: 3-63 characters, lower case, digits, '.', '-'
    if (!name.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      p.invalid(key, "expected an S3 bucket name (3-63 of [a-z0-9.-]), got \"" + name + "\"");
    }
  }
}
