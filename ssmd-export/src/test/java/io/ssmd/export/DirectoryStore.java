package io.ssmd.export;

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
import java.util.stream.Stream;

/** A plain directory as an {@link ObjectStore}, with the put-then-verify contract, for upload tests. */
final class DirectoryStore implements ObjectStore {
  private final Path dir;

  DirectoryStore(Path dir) {
    this.dir = dir;
  }

  @Override
  public String describe() {
    return "local:" + dir;
  }

  @Override
  public StoredObject put(String key, Path file) {
    try {
      Path target = dir.resolve(key);
      Files.createDirectories(target.getParent());
      Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
      StoredObject o = head(key).orElseThrow();
      if (o.size() != Files.size(file) || !o.sha256().equals(ParquetExporter.sha256(file))) {
        throw new StorageException("verification failed for " + key + " in " + describe(), true);
      }
      return o;
    } catch (IOException e) {
      throw new StorageException("put " + key + " in " + describe() + " failed: " + e.getMessage(), true, e);
    }
  }

  @Override
  public Optional<StoredObject> head(String key) {
    Path p = dir.resolve(key);
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new StoredObject(key, Files.size(p), ParquetExporter.sha256(p)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<StoredObject> list(String prefix) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/')).filter(k -> k.startsWith(prefix))
          .sorted().map(k -> head(k).orElseThrow()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public InputStream get(String key) {
    try {
      return Files.newInputStream(dir.resolve(key));
    } catch (IOException e) {
      throw new StorageException("no object " + key + " in " + describe(), false, e);
    }
  }

  @Override
  public void close() {}
}
