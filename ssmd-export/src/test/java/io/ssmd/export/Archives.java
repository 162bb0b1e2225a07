package io.ssmd.export;

import io.ssmd.archiver.ArchiveFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Writes archive files as the archiver does: {@code {root}/{feed}/{date}/{HHMM}.jsonl.gz}. */
final class Archives {
  static final long T0_MICROS = 1_763_800_000_000_000L;

  private Archives() {}

  /** Frames become lines with {@code _received_at = T0 + seq} and {@code _nats_seq = firstSeq, firstSeq+1, …}. */
  static Path write(Path root, String feed, LocalDate date, String hhmm, long firstSeq, List<String> frames) throws IOException {
    Path dir = ArchiveFormat.dayDir(root, feed, date);
    Files.createDirectories(dir);
    Path f = dir.resolve(hhmm + ArchiveFormat.SUFFIX);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f), 1 << 16)) {
      long seq = firstSeq;
      for (String frame : frames) {
        out.write(ArchiveFormat.encode(frame.getBytes(StandardCharsets.UTF_8), T0_MICROS + seq, seq));
        out.write('\n');
        seq++;
      }
    }
    return f;
  }

  /** Appends raw bytes as a line to a new gzip member of its own (gzip readers concatenate members). */
  static void appendRawLine(Path file, String line) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND))) {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Cuts a file to {@code keep} bytes, as a crash or a partial copy would. */
  static void truncate(Path file, long keep) throws IOException {
    byte[] b = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(b, (int) Math.min(keep, b.length)));
  }
}
