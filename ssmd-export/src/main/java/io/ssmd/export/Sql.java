package io.ssmd.export;

import java.nio.file.Path;

/** SQL text helpers: DuckDB has no bind parameters for table functions and COPY targets. */
final class Sql {
  private Sql() {}

  /** A single-quoted SQL string literal. */
  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** A file path as a string literal (absolute, so the DuckDB working directory does not matter). */
  static String literal(Path p) {
    return literal(p.toAbsolutePath().toString());
  }

  /** A double-quoted identifier. */
  static String identifier(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
