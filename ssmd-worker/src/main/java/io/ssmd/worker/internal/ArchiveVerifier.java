package io.ssmd.worker.internal;

import io.ssmd.archiver.ArchiveFormat;
import io.ssmd.archiver.Manifest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Checks a day directory against its manifest: every listed file present with the listed size,
 * SHA-256 and line count, and no finished file left out of the manifest. Reads each file once.
 */
public final class ArchiveVerifier {
  private ArchiveVerifier() {}

  /** The day's manifest, if it has one; a manifest that does not parse is an {@link IOException}. */
  public static Optional<Manifest> manifest(Path dayDir) throws IOException {
    Path f = dayDir.resolve(ArchiveFormat.MANIFEST);
    try {
      return Optional.of(Manifest.parse(Files.readAllBytes(f)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Verifies {@code dayDir}. */
  public static ArchiveCheck verify(Path dayDir) throws IOException {
    Optional<Manifest> m = manifest(dayDir);
    if (m.isEmpty()) {
      return new ArchiveCheck(0, 0, 0, List.of(), false);
    }
    List<String> problems = new ArrayList<>();
    long bytes = 0;
    for (Manifest.FileEntry f : m.get().files()) {
      bytes += f.bytes();
      Path file = dayDir.resolve(f.name());
      if (!Files.isRegularFile(file)) {
        problems.add(f.name() + " is listed but missing");
        continue;
      }
      long size = Files.size(file);
      if (size != f.bytes()) {
        problems.add(f.name() + " has " + size + " bytes, the manifest says " + f.bytes());
        continue;
      }
      Digest d = digest(file);
      if (f.sha256() != null && !f.sha256().equalsIgnoreCase(d.sha256())) {
        problems.add(f.name() + " SHA-256 " + d.sha256() + " differs from the manifest's " + f.sha256());
      }
      if (d.lines() != f.records()) {
        problems.add(f.name() + " has " + d.lines() + " records, the manifest says " + f.records()
            + (d.damaged() == null ? "" : " (" + d.damaged() + ")"));
      }
    }
    Set<String> listed = m.get().files().stream().map(Manifest.FileEntry::name).collect(Collectors.toSet());
    try (Stream<Path> s = Files.list(dayDir)) {
      s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(ArchiveFormat.SUFFIX) && !listed.contains(n))
          .sorted()
          .forEach(n -> problems.add(n + " is not in the manifest"));
    }
    return new ArchiveCheck(m.get().files().size(), m.get().records(), bytes, problems, true);
  }

  record Digest(String sha256, long lines, String damaged) {}

  /** SHA-256 of the file and the lines of its gzip content, in one read. */
  static Digest digest(Path file) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
    long lines = 0;
    String damaged = null;
    try (InputStream raw = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), sha)) {
      try {
        GZIPInputStream gz = new GZIPInputStream(raw, 1 << 16);
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = gz.read(buf)) > 0) {
          for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
              lines++;
            }
          }
        }
      } catch (IOException e) {
        damaged = "gzip content damaged: " + e.getMessage();
      }
      // the digest covers the whole file even where the gzip reader stopped early
      raw.transferTo(OutputStreamNull.INSTANCE);
    }
    return new Digest(HexFormat.of().formatHex(sha.digest()), lines, damaged);
  }

  private static final class OutputStreamNull extends java.io.OutputStream {
    static final OutputStreamNull INSTANCE = new OutputStreamNull();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
