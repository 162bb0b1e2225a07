package io.ssmd.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class UploaderTest {
  @TempDir Path dir;

  /** A finished day with one archive file and its manifest, as the writer leaves it. */
  private Path day(String date, String name, String content) throws Exception {
    Path day = dir.resolve("archive").resolve("kraken").resolve(date);
    Files.createDirectories(day);
    Path f = day.resolve(name);
    Files.writeString(f, content, StandardCharsets.UTF_8);
    Manifest m = new Manifest("kraken", date, Manifest.FORMAT, "15m",
        List.of(new Manifest.FileEntry(name, date + "T00:00:00Z", date + "T00:15:00Z", 1, Files.size(f), Repair.sha256(f), 1, 1,
            new TreeMap<>())), List.of(), List.of(), List.of(), false);
    m.writeAtomically(day);
    return day;
  }

  @Test
  void aDayWhoseUploadFailedIsRetriedWithTheNextDaysUploadNotOnlyAtRestart() throws Exception {
    DirectoryObjectStore store = new DirectoryObjectStore(dir.resolve("bucket"));
    Uploader up = new Uploader(store, dir.resolve("archive"), "kraken", ArchiverMetrics.create(new PrometheusRegistry(), "kraken"));
    Path d1 = day("2026-01-01", "2345.jsonl.gz", "day one");
    store.failNextPuts = 100; // the store is down for the whole of day one's retries
    assertThat(up.syncDay(d1)).isFalse();
    assertThat(up.lastFailure()).isNotNull();

    store.failNextPuts = 0; // back; the next rotation is on the next day
    Path d2 = day("2026-01-02", "0000.jsonl.gz", "day two");
    up.submit(d2);
    up.close(Duration.ofSeconds(10));
    assertThat(store.dir.resolve("kraken/2026-01-01/2345.jsonl.gz")).hasContent("day one");
    assertThat(store.dir.resolve("kraken/2026-01-01/manifest.json")).exists();
    assertThat(store.dir.resolve("kraken/2026-01-02/0000.jsonl.gz")).hasContent("day two");
    assertThat(up.lastFailure()).as("healthy only once no day is left behind").isNull();
  }

  @Test
  void anObjectOfTheRightSizeWithoutAChecksumIsReplaced() throws Exception {
    DirectoryObjectStore store = new DirectoryObjectStore(dir.resolve("bucket"));
    Uploader up = new Uploader(store, dir.resolve("archive"), "kraken", ArchiverMetrics.create(new PrometheusRegistry(), "kraken"));
    Path d = day("2026-01-03", "0100.jsonl.gz", "real content");
    Path stale = store.dir.resolve("kraken/2026-01-03/0100.jsonl.gz");
    Files.createDirectories(stale.getParent());
    Files.write(stale, new byte["real content".length()]); // same size, zeros, no checksum of ours
    store.noChecksum = true;
    assertThat(up.syncDay(d)).isTrue();
    assertThat(stale).hasContent("real content");
  }
}
