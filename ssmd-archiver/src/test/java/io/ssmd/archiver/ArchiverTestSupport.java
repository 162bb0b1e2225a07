package io.ssmd.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.ssmd.transport.nats.StreamAdmin;
import io.ssmd.transport.nats.StreamSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Helpers of the archiver integration tests. */
final class ArchiverTestSupport {
  static final String ENV = "test";
  static final String FEED = "kraken";
  static final String STREAM = "TEST_KRAKEN";

  private ArchiverTestSupport() {}

  static void createStream(String url) {
    try (StreamAdmin admin = StreamAdmin.connect(url)) {
      assertThat(admin.apply(StreamSpec.forFeed(ENV, FEED, Duration.ofHours(24), 1, Duration.ofMinutes(2), -1), false).ok())
          .isTrue();
    }
  }

  static Connection connect(String url) throws Exception {
    return Nats.connect(new Options.Builder().server(url).maxReconnects(-1).reconnectWait(Duration.ofMillis(100)).build());
  }

  static String subject(long n) {
    return ENV + "." + FEED + ".json." + (n % 4 == 0 ? "trade" : "ticker") + "." + (n % 2 == 0 ? "BTC-USD" : "ETH-USD");
  }

  static String payload(long n) {
    return "{\"channel\":\"ticker\",\"id\":\"p-" + n + "\"}";
  }

  static long receivedAtNanos(long n) {
    return 1_700_000_000_000_000_000L + n * 1000;
  }

  /** Publishes message {@code n} (id {@code p-n}) and waits for the stream's ack; returns its sequence. */
  static long publish(JetStream js, long n) throws Exception {
    Headers h = new Headers();
    h.put(io.ssmd.transport.Headers.MSG_ID, "p-" + n);
    h.put(io.ssmd.transport.Headers.RECEIVED_AT, Long.toString(receivedAtNanos(n)));
    NatsMessage m = NatsMessage.builder().subject(subject(n)).headers(h).data(payload(n).getBytes(StandardCharsets.UTF_8)).build();
    PublishAck ack = js.publish(m);
    return ack.getSeqno();
  }

  /** Every line of every day of the feed, in archive order. */
  static List<ArchiveLine> readAll(Path root) throws IOException {
    List<ArchiveLine> lines = new ArrayList<>();
    for (LocalDate day : days(root)) {
      ArchiveReader r = ArchiveReader.open(root, FEED, day);
      r.forEach(lines::add);
      assertThat(r.problems()).as("problems reading " + day).isEmpty();
    }
    return lines;
  }

  static List<LocalDate> days(Path root) throws IOException {
    Path feedDir = root.resolve(FEED);
    if (!Files.isDirectory(feedDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(feedDir)) {
      return s.map(p -> LocalDate.parse(p.getFileName().toString())).sorted().toList();
    }
  }

  /** Checks that each day's manifest lists exactly the finished files, with their line counts. */
  static void assertManifestsListEveryFile(Path root) throws IOException {
    for (LocalDate day : days(root)) {
      Path dir = ArchiveFormat.dayDir(root, FEED, day);
      Manifest m = Manifest.parse(Files.readAllBytes(dir.resolve(ArchiveFormat.MANIFEST)));
      List<Path> files = ArchiveReader.open(root, FEED, day).files();
      assertThat(m.files()).extracting(Manifest.FileEntry::name)
          .containsExactlyElementsOf(files.stream().map(p -> p.getFileName().toString()).toList());
      Map<String, Long> lines = new HashMap<>();
      for (Path f : files) {
        long[] n = {0};
        ArchiveReader.readFile(f, l -> n[0]++, new ArrayList<>());
        lines.put(f.getFileName().toString(), n[0]);
      }
      for (Manifest.FileEntry e : m.files()) {
        assertThat(e.records()).as(e.name()).isEqualTo(lines.get(e.name()));
        assertThat(e.sha256()).as(e.name()).isEqualTo(Repair.sha256(dir.resolve(e.name())));
        assertThat(e.bytes()).as(e.name()).isEqualTo(Files.size(dir.resolve(e.name())));
      }
      try (Stream<Path> s = Files.list(dir)) {
        assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp") || n.endsWith(".subjects")
            || n.endsWith(".repair")).toList()).as("leftovers in " + dir).isEmpty();
      }
    }
  }

  static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
