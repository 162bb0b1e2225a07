package io.ssmd.archiver;

import io.ssmd.storage.ObjectStore;
import io.ssmd.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** A bucket in a local directory, for tests of the upload path (counts puts; can be made to fail). */
final class DirectoryObjectStore implements ObjectStore {
  final Path dir;
  final AtomicInteger puts = new AtomicInteger();
  volatile int failNextPuts;
  /** Report objects without a checksum, as a store does for objects someone else wrote. */
  volatile boolean noChecksum;

  DirectoryObjectStore(Path dir) {
    this.dir = dir;
  }

  @Override
  public String describe() {
    return "test-dir:" + dir;
  }

  @Override
  public StoredObject put(String key, Path file) {
    if (failNextPuts > 0) {
      failNextPuts--;
      throw new StorageException("injected failure putting " + key, true);
    }
    noChecksum = false; // what we put carries our checksum
    try {
      Path target = dir.resolve(key);
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling(target.getFileName() + ".part");
      Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      puts.incrementAndGet();
      StoredObject o = head(key).orElseThrow();
      if (o.size() != Files.size(file) || !o.sha256().equals(Repair.sha256(file))) {
        throw new StorageException("verification failed for " + key, true);
      }
      return o;
    } catch (IOException e) {
      throw new StorageException("cannot put " + key + ": " + e.getMessage(), true, e);
    }
  }

  @Override
  public Optional<StoredObject> head(String key) {
    Path p = dir.resolve(key);
    if (!Files.exists(p)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new StoredObject(key, Files.size(p), noChecksum ? null : Repair.sha256(p)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<StoredObject> list(String prefix) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .filter(k -> k.startsWith(prefix) && !k.endsWith(".part"))
          .sorted()
          .map(k -> head(k).orElseThrow())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public InputStream get(String key) {
    try {
      return Files.newInputStream(dir.resolve(key));
    } catch (IOException e) {
      throw new StorageException("no object " + key, false, e);
    }
  }

  @Override
  public void close() {}
}
