package io.ssmd.export;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code {out}/{feed}/{date}/export-manifest.json}: what one export of one feed and day read and
 * wrote. It accounts for every archive line: {@code lines_read = lines_with_rows + lines_skipped +
 * lines_rejected} ({@link #accountsForEveryLine()}). Lines the archive reader could not decode, and
 * damaged files, never reach the normalizer; they are listed in {@code archive_problems}. JSON keys
 * are snake_case.
 *
 * @param feed feed name
 * @param date UTC day, {@code YYYY-MM-DD}
 * @param format {@code parquet}
 * @param formatVersion version of the table layout described in {@link ExportKind} (1)
 * @param createdAt ISO-8601 UTC instant of the export
 * @param archiveFiles the finished archive files read, in order
 * @param linesRead archive lines handed to the normalizer
 * @param linesWithRows lines that produced at least one row
 * @param linesSkipped lines that were not market data (acks, heartbeats, status)
 * @param skippedByReason skipped lines by the normalizer's reason
 * @param linesRejected market-data lines that could not be normalized or did not fit the schema
 * @param rejectedByReason rejected lines by reason, with a few examples each
 * @param archiveProblems damage met while reading the archive (truncated or corrupt file, undecodable line)
 * @param eventsByKind normalized events by kind (a book snapshot is one event)
 * @param rowsByKind rows written by kind (a book snapshot is one row per level)
 * @param files the Parquet files written
 */
public record ExportManifest(
    String feed,
    String date,
    String format,
    int formatVersion,
    String createdAt,
    List<ArchiveFile> archiveFiles,
    long linesRead,
    long linesWithRows,
    long linesSkipped,
    Map<String, Long> skippedByReason,
    long linesRejected,
    Map<String, Rejections> rejectedByReason,
    List<ArchiveProblem> archiveProblems,
    Map<String, Long> eventsByKind,
    Map<String, Long> rowsByKind,
    List<OutputFile> files) {

  /** File name of the manifest inside {@code {out}/{feed}/{date}/}. */
  public static final String FILE_NAME = "export-manifest.json";

  /** Current {@link #formatVersion()}. */
  public static final int FORMAT_VERSION = 1;

  static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public ExportManifest {
    archiveFiles = List.copyOf(archiveFiles);
    skippedByReason = ordered(skippedByReason);
    rejectedByReason = ordered(rejectedByReason);
    archiveProblems = List.copyOf(archiveProblems);
    eventsByKind = ordered(eventsByKind);
    rowsByKind = ordered(rowsByKind);
    files = List.copyOf(files);
  }

  // insertion order kept (kinds in enum order, reasons sorted) so manifests diff cleanly
  private static <V> Map<String, V> ordered(Map<String, V> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  /** An archive file that was read. */
  public record ArchiveFile(String name, long bytes) {}

  /** Something the archive reader could not read; {@code line} is 1-based, 0 for the whole file. */
  public record ArchiveProblem(String file, long line, String what) {}

  /** Rejected lines of one reason: how many, and the first few. */
  public record Rejections(long count, List<RejectedLine> examples) {
    public Rejections {
      examples = List.copyOf(examples);
    }
  }

  /**
   * One rejected line.
   *
   * @param file archive file name
   * @param natsSeq the line's stream sequence
   * @param detail what was wrong (field, value)
   * @param frame the start of the frame (at most 200 characters)
   */
  public record RejectedLine(String file, long natsSeq, String detail, String frame) {}

  /** One written Parquet file: name relative to the manifest, rows, bytes and SHA-256 (hex) of its content. */
  public record OutputFile(String name, String kind, long rows, long bytes, String sha256) {}

  /** True when every line read is counted exactly once as with rows, skipped or rejected. */
  public boolean accountsForEveryLine() {
    return linesRead == linesWithRows + linesSkipped + linesRejected;
  }

  /** Total rows written over every kind. */
  public long totalRows() {
    return rowsByKind.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Reads a manifest written by {@link ParquetExporter}. */
  public static ExportManifest read(Path file) throws IOException {
    try {
      return JSON.readValue(file.toFile(), ExportManifest.class);
    } catch (IOException e) {
      throw new IOException("export manifest " + file + " does not parse: " + e.getMessage(), e);
    }
  }

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("export manifest does not serialize", e);
    }
  }
}
