package io.ssmd.archiver;

import static io.ssmd.archiver.ArchiverTestSupport.FEED;
import static io.ssmd.archiver.ArchiverTestSupport.STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.testkit.NatsServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive holds every published message exactly once although the archiver, running in its
 * own JVM, is killed with SIGKILL at random moments (at least 10 times, {@code
 * -Dssmd.crash.kills=100} for a long run) and NATS is restarted once, while a publisher publishes
 * unique payloads without pause.
 */
class ArchiverCrashIT {
  private static final Logger LOG = LoggerFactory.getLogger(ArchiverCrashIT.class);
  private static final Pattern ID = Pattern.compile("\"id\":\"(p-\\d+)\"");
  private static final int KILLS = Math.max(10, Integer.getInteger("ssmd.crash.kills", 10));

  /** The killed archivers' own logs, kept for a post-mortem. */
  private static final Path CHILD_LOG = Path.of("target", "archiver-crash-it.log");

  @TempDir Path tmp;

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES) // the long run; the default run is held to its own budget below
  void everyPublishedMessageIsArchivedExactlyOnceThroughKillsAndANatsRestart() {
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(40 + 6L * KILLS), this::killAndVerify);
  }

  private void killAndVerify() throws Exception {
    Path root = tmp.resolve("archive");
    Files.deleteIfExists(CHILD_LOG);
    Random random = new Random(Long.getLong("ssmd.crash.seed", System.nanoTime()));
    Map<Long, String> idBySeq = new ConcurrentHashMap<>();
    AtomicBoolean publishing = new AtomicBoolean(true);
    AtomicLong published = new AtomicLong();
    try (NatsServerProcess nats = NatsServerProcess.start()) {
      ArchiverTestSupport.createStream(nats.url());
      Thread publisher = new Thread(() -> publish(nats.url(), publishing, published, idBySeq), "publisher");
      publisher.start();
      int natsRestartAt = KILLS / 2;
      for (int kill = 1; kill <= KILLS; kill++) {
        Process p = spawnArchiver(nats.url(), root, kill);
        Thread.sleep(300 + random.nextInt(1700));
        if (kill == natsRestartAt) {
          nats.restart(); // the archiver is running: it must ride through the restart
          Thread.sleep(300 + random.nextInt(700));
        }
        p.destroyForcibly(); // SIGKILL
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        LOG.info("kill {}/{}: archiver killed, {} published so far", kill, KILLS, published.get());
      }
      publishing.set(false);
      publisher.join(10_000);
      assertThat(published.get()).isGreaterThan(1000);
      long lastSeq = idBySeq.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();

      // a last, clean run catches up and finishes the files
      try (Archiver a = new Archiver(ArchiverOptions.builder(nats.url(), STREAM, ArchiverTestSupport.ENV, FEED, root)
          .rotation(Duration.ofSeconds(2)).build(), new PrometheusRegistry())) {
        a.start();
        ArchiverTestSupport.await(Duration.ofSeconds(30), "archive to reach " + lastSeq, () -> a.status().lastWrittenSeq() >= lastSeq);
        assertThat(a.status().gaps()).isZero();
      }
    }

    List<ArchiveLine> lines = ArchiverTestSupport.readAll(root);
    Map<Long, Integer> bySeq = new HashMap<>();
    Map<String, Integer> byId = new HashMap<>();
    for (ArchiveLine l : lines) {
      bySeq.merge(l.natsSeq(), 1, Integer::sum);
      Matcher m = ID.matcher(new String(l.frame(), StandardCharsets.UTF_8));
      assertThat(m.find()).isTrue();
      byId.merge(m.group(1), 1, Integer::sum);
      assertThat(idBySeq.get(l.natsSeq())).as("payload of seq " + l.natsSeq()).isEqualTo(m.group(1));
    }
    java.util.Set<Long> missing = new java.util.TreeSet<>(idBySeq.keySet());
    missing.removeAll(bySeq.keySet());
    java.util.Set<Long> extra = new java.util.TreeSet<>(bySeq.keySet());
    extra.removeAll(idBySeq.keySet());
    List<Long> twice = bySeq.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().limit(20).toList();
    assertThat(missing).as("published sequences missing from the archive (first 20 shown)").isEmpty();
    assertThat(extra).as("archived sequences never acknowledged to the publisher").isEmpty();
    assertThat(twice).as("sequences archived more than once").isEmpty();
    assertThat(bySeq.values()).as("lines per stream sequence").allMatch(n -> n == 1);
    assertThat(byId.values()).as("lines per payload id").allMatch(n -> n == 1);
    assertThat(bySeq.keySet()).as("sequences archived").isEqualTo(idBySeq.keySet());
    assertThat(byId.keySet()).as("payload ids archived").isEqualTo(new java.util.HashSet<>(idBySeq.values()));
    ArchiverTestSupport.assertManifestsListEveryFile(root);
    long manifestRecords = 0;
    for (var day : ArchiverTestSupport.days(root)) {
      manifestRecords += Manifest.parse(Files.readAllBytes(ArchiveFormat.dayDir(root, FEED, day).resolve(ArchiveFormat.MANIFEST)))
          .records();
    }
    assertThat(manifestRecords).isEqualTo(lines.size());
    LOG.info("{} kills: {} messages archived exactly once in {} day(s)", KILLS, lines.size(), ArchiverTestSupport.days(root).size());
  }

  private Process spawnArchiver(String url, Path root, int run) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), ArchiverMain.class.getName(),
        url, STREAM, ArchiverTestSupport.ENV, FEED, root.toString(), "2")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(CHILD_LOG.toFile()))
        .start();
  }

  /** Publishes p-1, p-2, ... each until acknowledged (same id on retry, so JetStream drops copies). */
  private static void publish(String url, AtomicBoolean running, AtomicLong published, Map<Long, String> idBySeq) {
    try (Connection c = ArchiverTestSupport.connect(url)) {
      JetStream js = c.jetStream();
      long n = 1;
      while (running.get()) {
        try {
          long seq = ArchiverTestSupport.publish(js, n);
          String previous = idBySeq.put(seq, "p-" + n);
          if (previous != null && !previous.equals("p-" + n)) {
            throw new AssertionError("sequence " + seq + " acknowledged for " + previous + " and p-" + n);
          }
          published.incrementAndGet();
          n++;
          if (n % 20 == 0) {
            Thread.sleep(1); // about 10k/s at most: enough to fill several files per run
          }
        } catch (java.io.IOException | io.nats.client.JetStreamApiException | IllegalStateException e) {
          Thread.sleep(50); // NATS restarting: publish the same id again
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("publisher failed", e);
    }
  }
}
