package io.ssmd.archiver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes archive files a previous run could not: a {@code .tmp} left by a crash or a write
 * error is rewritten as a valid gzip of its whole lines (never losing one) and renamed; a finished
 * file missing from the manifest (a crash between rename and manifest write) is scanned. Both give
 * the file's manifest entry, with counts by type and tickers from the subject index when it
 * survived ({@code unknown} otherwise).
 */
final class Repair {
  static final String REPAIR_SUFFIX = ".repair";
  private static final Logger LOG = LoggerFactory.getLogger(Repair.class);
  private static final Pattern NAME_TIME = Pattern.compile("^(\\d{2})(\\d{2})(\\d{2})?(?:_\\d+)?\\.jsonl\\.gz$");
  private static final int CHUNK = 1 << 20;

  private Repair() {}

  /** A file's manifest entry plus the tickers found in it. */
  record Completed(Manifest.FileEntry entry, SortedSet<String> tickers, String damage) {}

  /**
   * Rewrites {@code {name}.tmp} as {@code target} (a free final name in the same directory) from
   * its whole lines, deletes the tmp and returns the entry; empty when it held no whole line (then
   * the tmp is deleted). The subject index is left for the caller to delete once the manifest
   * lists the file.
   */
  static Optional<Completed> completeTmp(Path dayDir, String name, String target) throws IOException {
    Path tmp = TmpFile.tmpPath(dayDir, name);
    Path out = dayDir.resolve(target + REPAIR_SUFFIX);
    Files.deleteIfExists(out);
    Instant modified = Files.getLastModifiedTime(tmp).toInstant();
    Stats stats = new Stats();
    String damage;
    GzipFileWriter writer = GzipFileWriter.create(out);
    try (GzipLines lines = GzipLines.open(tmp);
        SubjectIndex index = SubjectIndex.open(TmpFile.subjectsPath(dayDir, name))) {
      ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK + 4096);
      byte[] line;
      while ((line = lines.next()) != null) {
        if (line.length == 0) {
          continue;
        }
        stats.add(target, line, index);
        chunk.write(line);
        chunk.write('\n');
        if (chunk.size() >= CHUNK) {
          writer.writeChunk(chunk.toByteArray(), chunk.size());
          chunk.reset();
        }
      }
      if (chunk.size() > 0) {
        writer.writeChunk(chunk.toByteArray(), chunk.size());
      }
      damage = lines.damage();
      if (stats.records == 0) {
        writer.abandon();
        Files.deleteIfExists(out);
        Files.deleteIfExists(tmp);
        LOG.info("removed {}: it held no whole line", tmp);
        return Optional.empty();
      }
      writer.finish();
    } catch (IOException | RuntimeException e) {
      writer.abandon();
      Files.deleteIfExists(out);
      throw e;
    }
    Path finalPath = dayDir.resolve(target);
    Files.move(out, finalPath, StandardCopyOption.ATOMIC_MOVE);
    Files.delete(tmp);
    Fsync.directory(dayDir);
    Completed c = stats.completed(finalPath, startOf(dayDir, target), modified, damage);
    LOG.info("completed {} as {}: {} whole line(s), seq {}..{}{}", tmp.getFileName(), target, stats.records,
        stats.firstSeq, stats.lastSeq, damage == null ? "" : " (dropped the torn tail: " + damage + ")");
    return Optional.of(c);
  }

  /** The entry of a finished file the manifest does not list; its subject index is used if it survived. */
  static Completed scanFinished(Path dayDir, String name) throws IOException {
    Path file = dayDir.resolve(name);
    Stats stats = new Stats();
    String damage;
    try (GzipLines lines = GzipLines.open(file);
        SubjectIndex index = SubjectIndex.open(TmpFile.subjectsPath(dayDir, name))) {
      byte[] line;
      while ((line = lines.next()) != null) {
        if (line.length > 0) {
          stats.add(name, line, index);
        }
      }
      damage = lines.damage();
    }
    if (damage != null) {
      LOG.warn("finished archive file {} is damaged ({}); its manifest entry counts the {} whole line(s) before the damage",
          file, damage, stats.records);
    }
    return stats.completed(file, startOf(dayDir, name), Files.getLastModifiedTime(file).toInstant(), damage);
  }

  /** SHA-256 of a file, lower-case hex. */
  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** The window start encoded in a file name ({@code HHMM} or {@code HHMMSS}, optional {@code _NN}) on the day of {@code dayDir}. */
  static Instant startOf(Path dayDir, String name) {
    Matcher m = NAME_TIME.matcher(name);
    try {
      LocalDate day = LocalDate.parse(dayDir.getFileName().toString());
      if (m.matches()) {
        LocalTime t = LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
            m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
        return day.atTime(t).toInstant(ZoneOffset.UTC);
      }
      return day.atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }

  /** Counts of the whole lines read. */
  private static final class Stats {
    long records;
    long firstSeq = -1;
    long lastSeq = -1;
    final SortedMap<String, Long> byType = new TreeMap<>();
    final SortedSet<String> tickers = new TreeSet<>();

    void add(String file, byte[] line, SubjectIndex index) throws IOException {
      records++;
      long seq;
      try {
        seq = ArchiveFormat.decode(file, line).natsSeq();
      } catch (IllegalArgumentException e) {
        // a whole line we cannot decode is still kept and counted; it has no type or sequence
        byType.merge(Manifest.UNKNOWN_TYPE, 1L, Long::sum);
        return;
      }
      if (firstSeq < 0) {
        firstSeq = seq;
      }
      lastSeq = Math.max(lastSeq, seq);
      String[] subject = index.lookup(seq);
      if (subject == null) {
        byType.merge(Manifest.UNKNOWN_TYPE, 1L, Long::sum);
      } else {
        byType.merge(subject[0], 1L, Long::sum);
        if (!subject[1].isEmpty()) {
          tickers.add(subject[1]);
        }
      }
    }

    Completed completed(Path file, Instant start, Instant end, String damage) throws IOException {
      Manifest.FileEntry e = new Manifest.FileEntry(file.getFileName().toString(), start.toString(),
          (end.isBefore(start) ? start : end).toString(), records, Files.size(file), sha256(file),
          Math.max(firstSeq, 0), Math.max(lastSeq, 0), byType);
      return new Completed(e, tickers, damage);
    }
  }

  /** Reads a subject index in step with the data lines (both in increasing sequence order). */
  static final class SubjectIndex implements AutoCloseable {
    private final GzipLines lines;
    private long seq = -1;
    private String[] current;

    private SubjectIndex(GzipLines lines) {
      this.lines = lines;
    }

    static SubjectIndex open(Path file) throws IOException {
      return new SubjectIndex(Files.exists(file) ? GzipLines.open(file) : null);
    }

    /** {type, ticker} of {@code wanted}, or null when the index does not have it. */
    String[] lookup(long wanted) throws IOException {
      while (lines != null && seq < wanted) {
        byte[] l = lines.next();
        if (l == null) {
          seq = Long.MAX_VALUE;
          current = null;
          break;
        }
        String[] parts = new String(l, StandardCharsets.UTF_8).split("\t", -1);
        if (parts.length != 3) {
          continue;
        }
        try {
          seq = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
          continue;
        }
        current = new String[] {parts[1], parts[2]};
      }
      return seq == wanted ? current : null;
    }

    @Override
    public void close() throws IOException {
      if (lines != null) {
        lines.close();
      }
    }
  }
}
