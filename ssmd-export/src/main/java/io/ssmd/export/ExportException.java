package io.ssmd.export;

/**
 * An export or query could not be done (DuckDB failure, unwritable output, missing normalizer).
 * The message names the feed, day and file concerned. Bad archive content is never an exception:
 * it is counted in the {@link ExportManifest}.
 */
public class ExportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExportException(String message, Throwable cause) {
    super(message, cause);
  }

  public ExportException(String message) {
    super(message);
  }
}
