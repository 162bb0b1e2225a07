package io.ssmd.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ObjectStore} in a local directory: key {@code a/b/c.gz} is the file
 * {@code <root>/a/b/c.gz}.
 *
 * <p>{@link #put} copies through a hidden temp file in the target directory, fsyncs it, renames it
 * atomically over the target and fsyncs the directory, so a reader (or a crash) sees either the old
 * object or the complete new one. When the source already is the target file (the archiver writing
 * straight into the store's root) nothing is copied, but the file is still read and hashed.
 *
 * <p>SHA-256 values are cached in a hidden sidecar {@code .<name>.sha256} next to each object,
 * holding the hash together with the size and modification time it was computed for. {@link #head}
 * and {@link #list} trust the sidecar only while size and modification time still match, and
 * otherwise recompute the hash and rewrite the sidecar, so a file replaced behind the store's back
 * is never reported with a stale hash. The sidecar is only a cache: deleting it costs a re-read.
 *
 * <p>Names starting with {@code .} are the store's own (temp files, sidecars); keys may not use them
 * and {@link #list} does not show them.
 */
public final class LocalObjectStore implements ObjectStore {
  private static final Logger LOG = LoggerFactory.getLogger(LocalObjectStore.class);
  private static final String SIDECAR_SUFFIX = ".sha256";
  private static final int COPY_BUFFER = 256 * 1024;

  private final Path root;
  private final String description;

  /** Opens (and creates if needed) the store rooted at {@code root}. */
  public LocalObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.description = "local:" + this.root;
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw failure("cannot create the store directory", this.root, e);
    }
    if (!Files.isDirectory(this.root)) {
      throw new StorageException(description + ": " + this.root + " is not a directory", false);
    }
  }

  /** The directory this store keeps its objects in. */
  public Path root() {
    return root;
  }

  /** The file that holds (or would hold) the object under {@code key}. */
  public Path pathOf(String key) {
    ObjectKeys.requireValid(key, description);
    Path p = root.resolve(key).normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      // unreachable with a valid key; kept because escaping the root would be a data-loss bug
      throw new StorageException("invalid object key '" + key + "' for " + description + ": resolves outside the store", false);
    }
    return p;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public StoredObject put(String key, Path file) {
    Path target = pathOf(key);
    Path source = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(source)) {
      throw new StorageException(
          description + ": cannot store " + key + ": source " + source + " is not a readable file", false);
    }
    try {
      FileDigest digest;
      if (Files.exists(target) && Files.isSameFile(source, target)) {
        // already in place: reading it whole is the verification (it is readable, its hash is known)
        digest = FileDigest.of(target);
      } else {
        digest = copyAtomically(source, target);
        verify(key, target, digest);
      }
      writeSidecar(target, digest.sha256());
      LOG.debug("stored {} in {} ({} bytes, sha256 {})", key, description, digest.size(), digest.sha256());
      return new StoredObject(key, digest.size(), digest.sha256());
    } catch (NoSuchFileException e) {
      if (source.toString().equals(e.getFile())) {
        throw new StorageException(description + ": cannot store " + key + ": source " + source + " disappeared", false, e);
      }
      throw failure("cannot store " + key, target, e);
    } catch (IOException e) {
      throw failure("cannot store " + key, target, e);
    }
  }

  @Override
  public Optional<StoredObject> head(String key) {
    Path target = pathOf(key);
    try {
      BasicFileAttributes attrs = Files.readAttributes(target, BasicFileAttributes.class);
      if (!attrs.isRegularFile()) {
        return Optional.empty();
      }
      return Optional.of(new StoredObject(key, attrs.size(), sha256Of(target, attrs)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("cannot read " + key, target, e);
    }
  }

  @Override
  public List<StoredObject> list(String prefix) {
    String p = ObjectKeys.requireValidPrefix(prefix, description);
    // walk only the directory the prefix's complete segments name; the rest is a name filter
    int slash = p.lastIndexOf('/');
    Path start = slash < 0 ? root : root.resolve(p.substring(0, slash));
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    List<StoredObject> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(start)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (isHidden(f)) {
          continue;
        }
        String key = keyOf(f);
        if (!key.startsWith(p)) {
          continue;
        }
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(f, BasicFileAttributes.class);
        } catch (NoSuchFileException gone) {
          continue; // removed while listing
        }
        if (attrs.isRegularFile()) {
          out.add(new StoredObject(key, attrs.size(), sha256Of(f, attrs)));
        }
      }
    } catch (UncheckedIOException e) {
      throw failure("cannot list " + p, start, e.getCause());
    } catch (IOException e) {
      throw failure("cannot list " + p, start, e);
    }
    out.sort(Comparator.comparing(StoredObject::key));
    return out;
  }

  @Override
  public InputStream get(String key) {
    Path target = pathOf(key);
    try {
      if (!Files.isRegularFile(target)) {
        throw new NoSuchFileException(target.toString());
      }
      return Files.newInputStream(target);
    } catch (NoSuchFileException e) {
      throw new StorageException(description + ": no object " + key, false, e);
    } catch (IOException e) {
      throw failure("cannot read " + key, target, e);
    }
  }

  @Override
  public void close() {
    // nothing held open between calls
  }

  @Override
  public String toString() {
    return description;
  }

  private FileDigest copyAtomically(Path source, Path target) throws IOException {
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    boolean moved = false;
    try {
      FileDigest.Hasher hasher = new FileDigest.Hasher();
      try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
          FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.allocate(COPY_BUFFER);
        while (in.read(buf) >= 0) {
          buf.flip();
          hasher.update(buf.array(), 0, buf.limit());
          while (buf.hasRemaining()) {
            out.write(buf);
          }
          buf.clear();
        }
        out.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + dir + " cannot rename atomically", e);
      }
      moved = true;
      fsyncDirectory(dir);
      return hasher.finish();
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          LOG.warn("could not remove temp file {}: {}", tmp, e.toString());
        }
      }
    }
  }

  /** Re-reads what landed on disk: the copy must have the size and hash of what was read from the source. */
  private void verify(String key, Path target, FileDigest expected) throws IOException {
    FileDigest stored = FileDigest.of(target);
    if (stored.size() != expected.size() || !stored.sha256().equals(expected.sha256())) {
      throw new StorageException(
          description + ": verification of " + key + " failed: stored " + stored.size() + " bytes sha256 "
              + stored.sha256() + ", expected " + expected.size() + " bytes sha256 " + expected.sha256()
              + " (was " + target + " modified while it was being stored?)",
          true);
    }
  }

  private String sha256Of(Path file, BasicFileAttributes attrs) throws IOException {
    Path sidecar = sidecarOf(file);
    long mtime = attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    try {
      String[] parts = Files.readString(sidecar, StandardCharsets.US_ASCII).trim().split(" ");
      if (parts.length == 3 && Long.parseLong(parts[1]) == attrs.size() && Long.parseLong(parts[2]) == mtime
          && parts[0].length() == 64) {
        return parts[0];
      }
    } catch (NoSuchFileException | NumberFormatException e) {
      // no usable cache entry: recompute below
    }
    FileDigest digest = FileDigest.of(file);
    writeSidecar(file, digest.sha256());
    return digest.sha256();
  }

  /** Best effort: a sidecar that cannot be written only costs a re-read later. */
  private void writeSidecar(Path file, String sha256) {
    Path sidecar = sidecarOf(file);
    Path tmp = sidecar.resolveSibling(sidecar.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
      String line = sha256 + " " + attrs.size() + " " + attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS) + "\n";
      Files.writeString(tmp, line, StandardCharsets.US_ASCII);
      Files.move(tmp, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.debug("could not write checksum cache {}: {}", sidecar, e.toString());
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the temp file is hidden from listings; nothing else to do
      }
    }
  }

  private static Path sidecarOf(Path file) {
    return file.resolveSibling("." + file.getFileName() + SIDECAR_SUFFIX);
  }

  private boolean isHidden(Path f) {
    for (Path part : root.relativize(f)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private String keyOf(Path f) {
    return root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    // makes the rename durable; without it a power loss can bring back the old directory entry
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * Turns an I/O error into a {@link StorageException} that names the path and says whether a retry
   * may help: a full disk or quota may clear, a permission problem or read-only file system will not.
   */
  StorageException failure(String action, Path path, IOException e) {
    String reason = reasonOf(e);
    String lower = reason.toLowerCase(Locale.ROOT);
    if (lower.contains("no space left on device") || lower.contains("disk quota exceeded")) {
      return new StorageException(
          description + ": " + action + ": no space left on the device holding " + path
              + " (" + reason + "); free some space, the operation can be retried",
          true, e);
    }
    if (e instanceof AccessDeniedException || lower.contains("permission denied")) {
      return new StorageException(description + ": " + action + ": permission denied on " + path, false, e);
    }
    if (lower.contains("read-only file system")) {
      return new StorageException(description + ": " + action + ": " + path + " is on a read-only file system", false, e);
    }
    return new StorageException(description + ": " + action + " (" + path + "): " + reason, true, e);
  }

  private static String reasonOf(IOException e) {
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
