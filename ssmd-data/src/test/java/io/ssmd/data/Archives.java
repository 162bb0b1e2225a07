package io.ssmd.data;

import io.ssmd.archiver.ArchiveFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Writes small archives in the archiver's format for tests. */
final class Archives {
  /** One archived message. */
  record Msg(String frame, long receivedAtMicros, long natsSeq) {}

  private Archives() {}

  static Path write(Path root, String feed, LocalDate date, String file, List<Msg> msgs) throws IOException {
    Path dir = root.resolve(feed).resolve(date.toString());
    Files.createDirectories(dir);
    Path f = dir.resolve(file);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      for (Msg m : msgs) {
        out.write(ArchiveFormat.encode(m.frame().getBytes(StandardCharsets.UTF_8), m.receivedAtMicros(), m.natsSeq()));
        out.write('\n');
      }
    }
    return f;
  }
}
