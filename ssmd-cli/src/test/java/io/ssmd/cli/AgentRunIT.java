package io.ssmd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.testkit.NatsServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssmd run agent} start-up checks against a real nats-server: a missing signals stream (exit 1, as the connector) and a memory transport (exit 2). */
@Timeout(60)
class AgentRunIT {
  @TempDir Path dir;

  @RegisterExtension final ConsoleCapture cli = new ConsoleCapture();

  private Path env(String name, String transport) throws Exception {
    return TestEnvironments.kraken(dir, name, transport);
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
      assertThat(cli.run("run", "agent", "--env", e.toString(), "--signals", signals.toString(), "--health-port", "0"))
          .as(cli.stderr()).isEqualTo(1);
      assertThat(cli.stderr()).contains("stream AGT_SIGNALS does not exist on " + nats.url() + " — run 'ssmd env apply'");
    }
        Path mem = env("mem", "  type: memory\n");
    assertThat(cli.run("run", "agent", "--env", mem.toString(), "--signals", signals.toString())).isEqualTo(2);
    assertThat(cli.stderr()).contains("the agent reads a JetStream stream; transport.type is memory");
  }
}
