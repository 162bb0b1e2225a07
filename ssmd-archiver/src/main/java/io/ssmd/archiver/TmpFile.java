package io.ssmd.archiver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The archive file being written: {@code {name}.jsonl.gz.tmp} plus its subject index {@code
 * {name}.jsonl.gz.tmp.subjects} (gzip lines {@code seq TAB type TAB ticker}, in the same order as
 * the data lines). The index exists because a line holds only the frame, while the manifest's
 * counts by type and its tickers come from the subject; after a crash, {@link Repair} reads both
 * to rebuild the file's manifest entry. The index is deleted once the file is in the manifest.
 */
final class TmpFile {
  static final String SUBJECTS_SUFFIX = ".subjects";

  private final String name;
  private final Path dayDir;
  private final Instant start;
  private final GzipFileWriter data;
  private final GzipFileWriter subjects;
  private final Buf dataBuf = new Buf(1 << 16);
  private final ByteArrayOutputStream subjectBuf = new ByteArrayOutputStream(1 << 12);
  private final SortedMap<String, Long> byType = new TreeMap<>();
  private final SortedSet<String> tickers = new TreeSet<>();
  private long records;
  private long firstSeq = -1;
  private long lastSeq = -1;

  private TmpFile(String name, Path dayDir, Instant start, GzipFileWriter data, GzipFileWriter subjects) {
    this.name = name;
    this.dayDir = dayDir;
    this.start = start;
    this.data = data;
    this.subjects = subjects;
  }

  /** Creates the data and index files of {@code name} (final name, e.g. {@code 1415.jsonl.gz}). */
  static TmpFile create(Path dayDir, String name, Instant start) throws IOException {
    GzipFileWriter d = GzipFileWriter.create(tmpPath(dayDir, name));
    GzipFileWriter s;
    try {
      s = GzipFileWriter.create(subjectsPath(dayDir, name));
    } catch (IOException e) {
      d.abandon();
      throw e;
    }
    return new TmpFile(name, dayDir, start, d, s);
  }

  static Path tmpPath(Path dayDir, String name) {
    return dayDir.resolve(name + ".tmp");
  }

  static Path subjectsPath(Path dayDir, String name) {
    return dayDir.resolve(name + ".tmp" + SUBJECTS_SUFFIX);
  }

  String name() {
    return name;
  }

  Path dayDir() {
    return dayDir;
  }

  Instant start() {
    return start;
  }

  long records() {
    return records;
  }

  long firstSeq() {
    return firstSeq;
  }

  long lastSeq() {
    return lastSeq;
  }

  SortedMap<String, Long> byType() {
    return byType;
  }

  SortedSet<String> tickers() {
    return tickers;
  }

  /** Bytes of the data file so far (complete chunks). */
  long bytes() {
    return data.goodOffset();
  }

  /**
   * Appends the lines of {@code batch} (sequences increasing, above {@link #lastSeq}) and
   * sync-flushes them; the index is written first, so it always covers the data. On an {@link
   * IOException} the stats are unchanged and the file must be {@link #abandon abandoned}.
   */
  void append(List<Incoming> batch) throws IOException {
    dataBuf.reset();
    subjectBuf.reset();
    for (Incoming m : batch) {
      dataBuf.write(ArchiveFormat.encode(m.payload(), m.receivedAtMicros(), m.seq()));
      dataBuf.write('\n');
      String ticker = m.ticker();
      subjectBuf.write((m.seq() + "\t" + m.type() + "\t" + (ticker == null ? "" : ticker) + "\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    subjects.writeChunk(subjectBuf.toByteArray(), subjectBuf.size());
    data.writeChunk(dataBuf.array(), dataBuf.size());
    for (Incoming m : batch) {
      byType.merge(m.type(), 1L, Long::sum);
      String ticker = m.ticker();
      if (ticker != null) {
        tickers.add(ticker);
      }
      if (firstSeq < 0) {
        firstSeq = m.seq();
      }
      lastSeq = m.seq();
    }
    records += batch.size();
  }

  /** Forces data and index to disk. */
  void force() throws IOException {
    subjects.force();
    data.force();
  }

  /** Completes the gzip of the data (trailer, fsync) and closes both files. */
  void finishData() throws IOException {
    data.finish();
    subjects.close();
  }

  /** Closes both files after a failure, cut back to their last complete chunk; {@link Repair} completes them. */
  void abandon() {
    data.abandon();
    subjects.abandon();
  }

  /** A ByteArrayOutputStream whose buffer can be handed to the deflater without a copy. */
  private static final class Buf extends ByteArrayOutputStream {
    Buf(int size) {
      super(size);
    }

    byte[] array() {
      return buf;
    }
  }
}
