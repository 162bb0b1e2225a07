package io.ssmd.export;

/** How {@link ArchiveQuery} prints a result. */
public enum OutputFormat {
  /** Aligned plain-text columns with a header, a rule and a row count (buffers the result to size columns). */
  TABLE,
  /** RFC 4180 CSV with a header line; NULL is an empty field. Streams. */
  CSV,
  /** One JSON object per row and line; decimals as exact JSON numbers, times as strings. Streams. */
  JSON
}
