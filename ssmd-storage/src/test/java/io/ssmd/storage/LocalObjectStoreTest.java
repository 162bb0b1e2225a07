package io.ssmd.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ssmd.storage.ObjectStore.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class LocalObjectStoreTest {
  @TempDir Path tmp;

  private Path source(String name, String content) throws IOException {
    Path f = tmp.resolve("src").resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
    return f;
  }

  private static String sha256(Path f) throws IOException {
    return FileDigest.of(f).sha256();
  }

  @Test
  void putCopiesTheFileUnderItsKeyAndReportsSizeAndSha256() throws Exception {
    LocalObjectStore store = new LocalObjectStore(tmp.resolve("store"));
    Path src = source("0000.jsonl.gz", "hello archive\n");

    StoredObject stored = store.put("kalshi/2026-11-22/0000.jsonl.gz", src);

    assertThat(stored).isEqualTo(new StoredObject("kalshi/2026-11-22/0000.jsonl.gz", 14, sha256(src)));
    // independent of FileDigest: sha256sum of the same bytes
    assertThat(stored.sha256()).isEqualTo("ea0463d12bc36581369e010a3546c36c2b2c70e79b77b3acf15fdd9c13cf3bfb");
    Path target = tmp.resolve("store/kalshi/2026-11-22/0000.jsonl.gz");
    assertThat(target).hasContent("hello archive\n");
    assertThat(store.pathOf("kalshi/2026-11-22/0000.jsonl.gz")).isEqualTo(target);
    assertThat(store.head("kalshi/2026-11-22/0000.jsonl.gz")).contains(stored);
    try (InputStream in = store.get("kalshi/2026-11-22/0000.jsonl.gz")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello archive\n");
    }
    assertThat(src).exists();
  }

  @Test
  void putReplacesAnExistingObjectAndLeavesNoTempFilesBehind() throws Exception {
    LocalObjectStore store = new LocalObjectStore(tmp.resolve("store"));
    store.put("feed/manifest.json", source("m1", "{\"v\":1}"));
    StoredObject second = store.put("feed/manifest.json", source("m2", "{\"v\":22}"));

    assertThat(second.size()).isEqualTo(8);
    assertThat(tmp.resolve("store/feed/manifest.json")).hasContent("{\"v\":22}");
    try (Stream<Path> files = Files.list(tmp.resolve("store/feed"))) {
      // the object and its checksum cache, nothing else
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("manifest.json", ".manifest.json.sha256");
    }
    assertThat(store.list("")).containsExactly(second);
  }

  @Test
  void putOfAFileAlreadyAtItsKeyCopiesNothingButStillHashesIt() throws Exception {
    LocalObjectStore store = new LocalObjectStore(tmp.resolve("store"));
    Path inPlace = tmp.resolve("store/kraken/2026-11-22/1200.jsonl.gz");
    Files.createDirectories(inPlace.getParent());
    Files.writeString(inPlace, "written by the archiver");
    FileTime before = FileTime.from(Instant.parse("2026-11-22T12:15:00Z"));
    Files.setLastModifiedTime(inPlace, before);

    StoredObject stored = store.put("kraken/2026-11-22/1200.jsonl.gz", inPlace);

    assertThat(stored.sha256()).isEqualTo(sha256(inPlace));
    assertThat(stored.size()).isEqualTo(23);
    assertThat(Files.getLastModifiedTime(inPlace)).isEqualTo(before);
    assertThat(inPlace).hasContent("written by the archiver");
  }

  @Test
  void headRecomputesTheHashWhenTheFileChangedBehindTheStore() throws Exception {
    LocalObjectStore store = new LocalObjectStore(tmp.resolve("store"));
    store.put("f/a.json", source("a", "aaaa"));
    Path target = store.pathOf("f/a.json");
    // same size, different content, different mtime: the cached hash must not be trusted
    Files.writeString(target, "bbbb");
    Files.setLastModifiedTime(target, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));

    assertThat(store.head("f/a.json")).contains(new StoredObject("f/a.json", 4, sha256(target)));
    assertThat(store.list("f/")).containsExactly(new StoredObject("f/a.json", 4, sha256(target)));
  }

  @Test
  void headUsesTheCachedHashWhileSizeAndModificationTimeMatch() throws Exception {
    LocalObjectStore store = new LocalObjectStore(tmp.resolve("store"));
    store.put("f/a.json", source("a", "aaaa"));
    Path sidecar = tmp.resolve("store/f/.a.json.sha256");
    String[] parts = Files.readString(sidecar).trim().split(" ");
    String planted = "0".repeat(64);
    Files.writeString(sidecar, planted + " " + parts[1] + " " + parts[2] + "\n");

    assertThat(store.head("f/a.json").orElseThrow().sha256()).isEqualTo(planted);

    Files.delete(sidecar);
    assertThat(store.head("f/a.json").orElseThrow().sha256()).isEqualTo(sha256(store.pathOf("f/a.json")));
    assertThat(sidecar).exists();
  }

  @Test
  void listReturnsObjectsUnderAPrefixSortedByKeyWithoutHiddenFiles() throws Exception {
    LocalObjectStore store = new LocalObjectStore(tmp.resolve("store"));
    for (String key : List.of("a/2", "a/10", "a/1", "b/1", "ab/1")) {
      store.put(key, source(key.replace('/', '_'), key));
    }
    Files.writeString(tmp.resolve("store/a/.a-temp-file"), "x");

    assertThat(store.list("a/")).extracting(StoredObject::key).containsExactly("a/1", "a/10", "a/2");
    assertThat(store.list("a/1")).extracting(StoredObject::key).containsExactly("a/1", "a/10");
    assertThat(store.list("a")).extracting(StoredObject::key).containsExactly("a/1", "a/10", "a/2", "ab/1");
    assertThat(store.list("")).hasSize(5).allSatisfy(o -> assertThat(o.sha256()).hasSize(64));
    assertThat(store.list("zzz/")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"../escape", "a/../../escape", "/etc/passwd", "a\\b", "a//b", "a/", "", ".hidden", "a/.sha256",
      "a/./b"})
  void rejectsKeysThatAreNotPlainRelativePaths(String key) throws Exception {
    LocalObjectStore store = new LocalObjectStore(tmp.resolve("store"));
    Path src = source("x", "x");

    StorageException e = catchThrowableOfType(StorageException.class, () -> store.put(key, src));

    assertThat(e.retriable()).isFalse();
    assertThat(e.getMessage()).startsWith("invalid object key '" + key + "' for local:");
    try (Stream<Path> all = Files.walk(tmp)) {
      assertThat(all.filter(Files::isRegularFile)).containsExactly(src);
    }
  }

  @Test
  void readingAMissingObjectOrStoringAMissingFileIsANonRetriableError() throws Exception {
    LocalObjectStore store = new LocalObjectStore(tmp.resolve("store"));

    assertThat(store.head("f/none")).isEmpty();
    assertThatThrownBy(() -> store.get("f/none"))
        .isInstanceOf(StorageException.class)
        .hasMessage("local:" + tmp.resolve("store") + ": no object f/none");
    StorageException e = catchThrowableOfType(StorageException.class, () -> store.put("f/x", tmp.resolve("missing.gz")));
    assertThat(e.retriable()).isFalse();
    assertThat(e.getMessage()).contains("source " + tmp.resolve("missing.gz") + " is not a readable file");
  }

  @Test
  void aFullDiskIsARetriableErrorNamingThePath() throws Exception {
    Path devFull = Path.of("/dev/full");
    assumeTrue(Files.exists(devFull), "needs /dev/full (Linux) to produce a real ENOSPC");
    LocalObjectStore store = new LocalObjectStore(tmp.resolve("store"));
    IOException enospc = catchThrowableOfType(IOException.class, () -> {
      try (FileChannel ch = FileChannel.open(devFull, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(new byte[4096]));
      }
    });
    Path target = store.pathOf("f/0000.jsonl.gz");

    StorageException e = store.failure("cannot store f/0000.jsonl.gz", target, enospc);

    assertThat(e.retriable()).isTrue();
    assertThat(e.getMessage()).contains("no space left on the device holding " + target).contains("can be retried");
  }

  @Test
  void putOnAFullFileSystemFailsRetriablyAndKeepsWhatWasStored() throws Exception {
    Path mount = Files.createDirectories(tmp.resolve("tiny"));
    assumeTrue(mountTmpfs(mount, "128k"), "needs permission to mount a tmpfs (root in a container)");
    try {
      LocalObjectStore store = new LocalObjectStore(mount);
      StoredObject first = store.put("f/0000.jsonl.gz", source("small", "small file"));
      byte[] big = new byte[1024 * 1024];
      new Random(1).nextBytes(big);
      Path bigFile = tmp.resolve("big.gz");
      Files.write(bigFile, big);

      StorageException e = catchThrowableOfType(StorageException.class, () -> store.put("f/0000.jsonl.gz", bigFile));

      assertThat(e.retriable()).isTrue();
      assertThat(e.getMessage()).contains("no space left on the device holding " + mount.resolve("f/0000.jsonl.gz"));
      assertThat(store.head("f/0000.jsonl.gz")).contains(first);
      assertThat(mount.resolve("f/0000.jsonl.gz")).hasContent("small file");
      try (Stream<Path> files = Files.list(mount.resolve("f"))) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("0000.jsonl.gz", ".0000.jsonl.gz.sha256");
      }
    } finally {
      new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
    }
  }

  private static boolean mountTmpfs(Path dir, String size) throws InterruptedException {
    try {
      Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
