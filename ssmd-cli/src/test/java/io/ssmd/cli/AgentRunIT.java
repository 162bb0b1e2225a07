package io.ssmd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.testkit.NatsServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssmd run agent} start-up checks against a real nats-server: a missing signals stream (exit 1, as the connector) and a memory transport (exit 2). */
@Timeout(60)
class AgentRunIT {
  @TempDir Path dir;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedErr;

  @BeforeEach
  void capture() {
    savedErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(savedErr);
  }

  private Path env(String name, String transport) throws Exception {
    Files.createDirectories(dir.resolve("feeds"));
    Files.createDirectories(dir.resolve("environments"));
    Files.copy(Path.of("..", "exchanges", "feeds", "kraken.yaml"), dir.resolve("feeds").resolve("kraken.yaml"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path f = dir.resolve("environments").resolve(name + ".yaml");
    Files.writeString(f, "name: " + name + "\nfeed: kraken\nschema: v2\nendpoint: ws://127.0.0.1:9/v2\n"
        + "schedule: {timezone: UTC, day_start: \"00:10\", day_end: \"23:55\", auto_roll: true}\n"
        + "transport:\n" + transport + "storage: {type: local, path: " + dir.resolve("data") + "}\ncache: {type: none}\n");
    return f;
  }

  @Test
  void aMissingSignalsStreamOrAMemoryTransportStopsStartUpWithOneLine() throws Exception {
    Path signals = dir.resolve("s.yaml");
    Files.writeString(signals, "signals:\n  - {name: s, kind: stale_feed, symbols: \"*\", after: 5s}\n");
    try (NatsServerProcess nats = NatsServerProcess.start()) {
      try (io.ssmd.transport.nats.StreamAdmin admin = io.ssmd.transport.nats.StreamAdmin.connect(nats.url())) {
        // the feed's stream exists (the input opens), the signals stream does not
        assertThat(admin.apply(io.ssmd.transport.nats.StreamSpec.forFeed("agt", "kraken", java.time.Duration.ofHours(1), 1,
            java.time.Duration.ofMinutes(2), -1), false).ok()).isTrue();
      }
      Path e = env("agt", "  type: nats\n  url: " + nats.url() + "\n  subject_prefix: agt\n  jetstream: {enabled: true}\n");
      assertThat(Main.execute("run", "agent", "--env", e.toString(), "--signals", signals.toString(), "--health-port", "0"))
          .as(err.toString(StandardCharsets.UTF_8)).isEqualTo(1);
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("stream AGT_SIGNALS does not exist on " + nats.url() + " — run 'ssmd env apply'");
    }
    err.reset();
    Path mem = env("mem", "  type: memory\n");
    assertThat(Main.execute("run", "agent", "--env", mem.toString(), "--signals", signals.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("the agent reads a JetStream stream; transport.type is memory");
  }
}
