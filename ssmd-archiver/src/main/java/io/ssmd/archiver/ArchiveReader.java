package io.ssmd.archiver;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a day of a feed's archive in capture order: finished files ({@code HHMM.jsonl.gz}, not
 * {@code .tmp}) by name, lines in file order. Damage never stops the read: a truncated or corrupt
 * file yields the whole lines before the damage and a {@link Problem} saying where it stopped; an
 * undecodable line is skipped and reported.
 */
public final class ArchiveReader {

  /** Something that could not be read; {@code line} is 1-based, 0 for the whole file. */
  public record Problem(String file, long line, String what) {
    @Override
    public String toString() {
      return file + (line > 0 ? ":" + line : "") + ": " + what;
    }
  }

  private final Path dayDir;
  private final List<Problem> problems = new ArrayList<>();

  private ArchiveReader(Path dayDir) {
    this.dayDir = dayDir;
  }

  /** The reader of {@code {root}/{feed}/{date}}; an absent directory reads as empty (see {@link #files()}). */
  public static ArchiveReader open(Path root, String feed, LocalDate date) {
    return new ArchiveReader(ArchiveFormat.dayDir(root, feed, date));
  }

  /** The finished archive files of the day, in capture order. */
  public List<Path> files() throws IOException {
    if (!Files.isDirectory(dayDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dayDir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(ArchiveFormat.SUFFIX)).sorted().toList();
    }
  }

  /** Calls {@code sink} for every readable line of the day, in order; returns the number of lines. */
  public long forEach(Consumer<ArchiveLine> sink) throws IOException {
    long n = 0;
    for (Path f : files()) {
      n += readFile(f, sink, problems);
    }
    return n;
  }

  /** Problems met so far (damaged files, undecodable lines). */
  public List<Problem> problems() {
    return List.copyOf(problems);
  }

  /**
   * Reads one archive file (finished or {@code .tmp}); returns the whole lines read. Damage is
   * added to {@code problems} and ends the read of that file.
   */
  public static long readFile(Path file, Consumer<ArchiveLine> sink, List<Problem> problems) throws IOException {
    String name = file.getFileName().toString();
    long lineNo = 0;
    long good = 0;
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), 1 << 16)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
      byte[] buf = new byte[1 << 16];
      int r;
      try {
        while ((r = in.read(buf)) > 0) {
          int start = 0;
          for (int i = 0; i < r; i++) {
            if (buf[i] == '\n') {
              line.write(buf, start, i - start);
              lineNo++;
              if (emit(name, lineNo, line.toByteArray(), sink, problems)) {
                good++;
              }
              line.reset();
              start = i + 1;
            }
          }
          line.write(buf, start, r - start);
        }
      } catch (EOFException | ZipException e) {
        problems.add(new Problem(name, lineNo + 1, "file is truncated or corrupt after " + lineNo + " whole line(s): " + e.getMessage()));
        return good;
      }
      if (line.size() > 0) {
        problems.add(new Problem(name, lineNo + 1, "last line has no newline (" + line.size() + " bytes); not read"));
      }
    } catch (ZipException e) {
      problems.add(new Problem(name, 0, "not a gzip file: " + e.getMessage()));
    } catch (EOFException e) {
      problems.add(new Problem(name, 0, "empty or truncated gzip header"));
    }
    return good;
  }

  private static boolean emit(String file, long lineNo, byte[] bytes, Consumer<ArchiveLine> sink, List<Problem> problems) {
    if (bytes.length == 0) {
      return false;
    }
    ArchiveLine l;
    try {
      l = ArchiveFormat.decode(file, bytes);
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(file, lineNo, e.getMessage()));
      return false;
    }
    sink.accept(l);
    return true;
  }
}
