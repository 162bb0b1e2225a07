package io.ssmd.bench;

import java.util.List;
import java.util.Locale;

/**
 * The figures of one {@link ArchiveBenchmark} run; {@link #format()} is the printed report. Rates
 * are per second of wall time; MB is 10^6 bytes.
 *
 * @param cores available processors
 * @param date when the run started (ISO-8601)
 * @param java {@code java.runtime.version}
 * @param venue simulated venue whose frames filled the stream
 * @param messages messages in the stream (and archived)
 * @param distinctFrames distinct simulator frames they cycle through
 * @param avgFrameBytes average frame size
 * @param batchSize messages per fetch, archiver and raw consumer alike
 * @param fileSystem file system type of the work directory ({@code ext4}, {@code tmpfs}, …)
 * @param fillRate acknowledged msg/s while the stream was filled (context only)
 * @param rawFetchRate raw jnats durable pull consumer fetch + ack, msg/s (the limit)
 * @param archiverBatchRate archiver with fsync per batch, msg/s until the last sequence was written
 * @param archiverRotationRate the same with fsync on rotation and close only
 * @param lineBytes uncompressed bytes of the archive lines including newlines
 * @param archiveBytes compressed size of the archive files (fsync batch run)
 * @param archiverBatchMbps {@code lineBytes} per second of the fsync-batch archiver run, MB/s
 * @param archiverRotationMbps the same for the fsync-rotation run
 * @param rawGzipMbps raw {@code GZIPOutputStream} (level 6) writing the same lines to a file, MB/s
 * @param rawGzipBytes compressed size of that file
 * @param replayRate {@code Replay.run} to a null stream, frames/s (best of 3)
 * @param rawGunzipRate raw gunzip and split into lines of the same files, lines/s (best of 3)
 * @param exportLines archive lines the export read
 * @param exportRows rows it wrote over every kind
 * @param exportSeconds wall time of the export
 * @param duckDbRows rows DuckDB's raw COPY wrote
 * @param duckDbSeconds wall time of DuckDB's raw COPY of the same files
 * @param rssBytes largest VmRSS of the separate archiver process, -1 when not measured
 * @param childHeap its {@code -Xmx}
 * @param childRate msg/s it archived meanwhile
 * @param notes anything that qualifies the figures
 */
public record ArchiveReport(
    int cores,
    String date,
    String java,
    String venue,
    long messages,
    int distinctFrames,
    double avgFrameBytes,
    int batchSize,
    String fileSystem,
    double fillRate,
    double rawFetchRate,
    double archiverBatchRate,
    double archiverRotationRate,
    long lineBytes,
    long archiveBytes,
    double archiverBatchMbps,
    double archiverRotationMbps,
    double rawGzipMbps,
    long rawGzipBytes,
    double replayRate,
    double rawGunzipRate,
    long exportLines,
    long exportRows,
    double exportSeconds,
    long duckDbRows,
    double duckDbSeconds,
    long rssBytes,
    String childHeap,
    double childRate,
    List<String> notes) {

  /** Aim for the archiver and replay relative to their raw limits. */
  public static final double AIM_RATIO = 0.8;
  /** Aim for the export time relative to DuckDB's own COPY. */
  public static final double AIM_EXPORT_RATIO = 1.5;

  public ArchiveReport {
    notes = List.copyOf(notes);
  }

  /** Archiver (fsync batch) over the raw fetch + ack limit. */
  public double archiverRatio() {
    return rawFetchRate > 0 ? archiverBatchRate / rawFetchRate : 0;
  }

  /** Archiver (fsync rotation) over the raw fetch + ack limit. */
  public double archiverRotationRatio() {
    return rawFetchRate > 0 ? archiverRotationRate / rawFetchRate : 0;
  }

  /**
   * What one thread doing the raw fetch + ack and then the raw gzip of the same messages, one after
   * the other as the archiver's loop does, would reach: msg/s. Context for the archiver ratio.
   */
  public double serialBound() {
    if (rawFetchRate <= 0 || rawGzipMbps <= 0 || messages <= 0) {
      return 0;
    }
    double gzipSecondsPerMessage = (double) lineBytes / messages / (rawGzipMbps * 1e6);
    return 1 / (1 / rawFetchRate + gzipSecondsPerMessage);
  }

  /** Archiver write MB/s (fsync batch) over raw GZIPOutputStream MB/s. */
  public double writeRatio() {
    return rawGzipMbps > 0 ? archiverBatchMbps / rawGzipMbps : 0;
  }

  /** Replay over the raw gunzip-and-split limit. */
  public double replayRatio() {
    return rawGunzipRate > 0 ? replayRate / rawGunzipRate : 0;
  }

  /** Export time over DuckDB's COPY time: 1.0 is as fast as DuckDB alone. */
  public double exportRatio() {
    return duckDbSeconds > 0 ? exportSeconds / duckDbSeconds : 0;
  }

  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "archive benchmark (%d cores, %s, Java %s, %,d messages cycling %,d %s simulator frames of %.0f B, batch %d, work dir on %s)%n",
        cores, date, java, messages, distinctFrames, venue, avgFrameBytes, batchSize, fileSystem));
    sb.append(String.format(Locale.ROOT, "raw jnats pull fetch+ack (durable, explicit ack) : %,9.0f msg/s   (limit)%n",
        rawFetchRate));
    sb.append(String.format(Locale.ROOT, "archiver -> JSONL.gz, fsync batch (default)      : %,9.0f msg/s   ratio %.2f (aim >= %.1f), raw limit %,.0f msg/s%n",
        archiverBatchRate, archiverRatio(), AIM_RATIO, rawFetchRate));
    sb.append(String.format(Locale.ROOT, "archiver -> JSONL.gz, fsync rotation             : %,9.0f msg/s   ratio %.2f, raw limit %,.0f msg/s%n",
        archiverRotationRate, archiverRotationRatio(), rawFetchRate));
    sb.append(String.format(Locale.ROOT, "  (serial bound: raw fetch+ack then raw gzip on one thread: %,.0f msg/s; archiver ratio to it %.2f)%n",
        serialBound(), serialBound() > 0 ? archiverBatchRate / serialBound() : 0));
    sb.append(String.format(Locale.ROOT, "raw GZIPOutputStream level 6, same lines -> file : %9.1f MB/s    (limit; %,d MB of lines -> %.1f MB, one fsync)%n",
        rawGzipMbps, lineBytes / 1_000_000, rawGzipBytes / 1e6));
    sb.append(String.format(Locale.ROOT, "archive write (uncompressed lines), fsync batch  : %9.1f MB/s    ratio %.2f, raw limit %.1f MB/s (-> %.1f MB, sync flush per batch)%n",
        archiverBatchMbps, writeRatio(), rawGzipMbps, archiveBytes / 1e6));
    sb.append(String.format(Locale.ROOT, "archive write (uncompressed lines), fsync rot.   : %9.1f MB/s    ratio %.2f, raw limit %.1f MB/s%n",
        archiverRotationMbps, rawGzipMbps > 0 ? archiverRotationMbps / rawGzipMbps : 0, rawGzipMbps));
    sb.append(String.format(Locale.ROOT, "raw gunzip + split lines of the archive          : %,9.0f lines/s (limit)%n",
        rawGunzipRate));
    sb.append(String.format(Locale.ROOT, "data replay -> null stream                       : %,9.0f msg/s   ratio %.2f (aim >= %.1f), raw limit %,.0f lines/s%n",
        replayRate, replayRatio(), AIM_RATIO, rawGunzipRate));
    sb.append(String.format(Locale.ROOT, "DuckDB COPY read_json -> Parquet (zstd)          : %9.2f s       (limit; %,d rows)%n",
        duckDbSeconds, duckDbRows));
    sb.append(String.format(Locale.ROOT, "%-49s: %9.2f s       %.2fx DuckDB COPY (aim <= %.1fx), raw limit %.2f s; %,d rows%n",
        String.format(Locale.ROOT, "data export -> Parquet, %,d lines", exportLines), exportSeconds, exportRatio(), AIM_EXPORT_RATIO, duckDbSeconds, exportRows));
    if (rssBytes >= 0) {
      sb.append(String.format(Locale.ROOT, "archiver peak RSS (ssmd run archiver, separate)  : %9d MiB     heap max %s, at %,.0f msg/s%n",
          rssBytes >> 20, childHeap, childRate));
    } else {
      sb.append("archiver peak RSS (ssmd run archiver, separate)  : not measured (--no-rss)\n");
    }
    sb.append(String.format(Locale.ROOT, "(stream filled at %,.0f msg/s acknowledged)%n", fillRate));
    for (String n : notes) {
      sb.append("note: ").append(n).append('\n');
    }
    return sb.toString();
  }
}
