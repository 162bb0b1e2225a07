package io.ssmd.worker.internal;

import java.util.List;

/**
 * The day's archive checked against its manifest.
 *
 * @param files files listed in the manifest
 * @param records records the manifest lists
 * @param bytes bytes the manifest lists
 * @param problems one line per mismatch (missing file, size, SHA-256 or line count differs, file not listed); empty when verified
 * @param manifestPresent false when the day has no manifest (nothing was archived)
 */
public record ArchiveCheck(long files, long records, long bytes, List<String> problems, boolean manifestPresent) {
  public ArchiveCheck {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** Every listed file is there with its size, SHA-256 and line count, and nothing is unlisted. */
  public boolean verified() {
    return manifestPresent && problems.isEmpty();
  }
}
