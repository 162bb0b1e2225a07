package io.ssmd.systemtest;

import static io.ssmd.systemtest.CaptureEndToEndIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kraken.KrakenSim;
import io.ssmd.sim.kraken.KrakenSimOptions;
import io.ssmd.testkit.FreePorts;
import io.ssmd.testkit.NatsServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production commands as separate processes, as an operator runs them: {@code ssmd env apply}
 * then {@code ssmd run connector --feed … --env …} against a simulated venue and a real
 * nats-server; health, readiness, metrics and JSON logs; clean stop on SIGTERM; and the exit codes
 * and one-line errors of a missing stream and a broken environment file.
 */
@Timeout(120)
class RunConnectorProcessIT {
  private static final Path FEED = Ssmd.REPO.resolve("exchanges/feeds/kraken.yaml");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
  private final List<Process> processes = new ArrayList<>();
  private NatsServerProcess nats;
  private SimServer sim;

  @BeforeEach
  void start() throws Exception {
    nats = NatsServerProcess.start();
    sim = new SimServer(new KrakenSim(KrakenSimOptions.defaults().withMarkets(3).withMessagesPerSecond(100), new Journal(0), scheduler),
        "127.0.0.1", 0, 1 << 20).start();
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    sim.close();
    nats.close();
    scheduler.shutdownNow();
  }

  private Path env(String name, String extra) throws IOException {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, """
        name: %s
        feed: kraken
        schema: v2
        endpoint: %s
        transport:
          type: nats
          url: %s
          subject_prefix: %s
          jetstream: {max_age: 1h, duplicate_window: 2m}
        subscriptions:
          markets: [BTC/USD, ETH/USD, SOL/USD]
        %s""".formatted(name, sim.wsUri(), nats.url(), name.replace("-", ""), extra));
    return file;
  }

  private Process spawn(Path out, Path err, String... args) throws IOException {
    Process p = Ssmd.spawn(dir, out, err, null, args);
    processes.add(p);
    return p;
  }

  private Ssmd.Result run(String... args) throws Exception {
    return Ssmd.run(dir, null, args);
  }

  @Test
  void envApplyThenRunConnectorCapturesIntoJetStreamAndStopsCleanly() throws Exception {
    Path env = env("kraken-it", "");
    String feedsDir = "--feeds-dir=" + FEED.getParent();

    Ssmd.Result dry = run("env", "apply", env.toString(), feedsDir, "--dry-run");
    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("stream KRAKENIT_KRAKEN: would create");
    Ssmd.Result created = run("env", "apply", env.toString(), feedsDir);
    assertThat(created.out()).contains("stream KRAKENIT_KRAKEN: created");
    Ssmd.Result again = run("env", "apply", env.toString(), feedsDir);
    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains("stream KRAKENIT_KRAKEN: unchanged");

    int port = FreePorts.pick();
    Path out = dir.resolve("connector.out");
    Path err = dir.resolve("connector.err");
    Process connector = spawn(out, err, "run", "connector", "--feed", FEED.toString(), "--env", env.toString(),
        "--health-port", String.valueOf(port));
    HttpClient http = HttpClient.newHttpClient();
    await("/ready answers 200", () -> status(http, port, "/ready") == 200);
    assertThat(status(http, port, "/health")).isEqualTo(200);
    await("published messages in /metrics", () -> publishedInMetrics(http, port) > 20);
    String metrics = body(http, port, "/metrics");
    assertThat(metrics).contains("ssmd_connector_lag_seconds{feed=\"kraken\"}")
        .contains("ssmd_connector_errors_total{error_type=\"malformed\",feed=\"kraken\"} 0.0");

    try (Connection nc = Nats.connect(nats.url())) {
      long stored = nc.jetStreamManagement().getStreamInfo("KRAKENIT_KRAKEN").getStreamState().getMsgCount();
      assertThat(stored).isGreaterThan(20);
    }

    connector.destroy(); // SIGTERM: the shutdown hook closes sockets and flushes the transport
    assertThat(connector.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(connector.exitValue()).isIn(0, 143);
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertThat(lines).isNotEmpty();
    List<JsonNode> logs = new ArrayList<>();
    for (String line : lines) {
      logs.add(JSON.readTree(line)); // every stdout line is one JSON object
    }
    assertThat(logs).allSatisfy(l -> {
      assertThat(l.path("level").asText()).isNotEmpty();
      assertThat(l.path("ts").asText()).endsWith("Z");
      assertThat(l.path("component").asText()).isEqualTo("connector");
    });
    assertThat(logs).anySatisfy(l -> assertThat(l.path("msg").asText()).isEqualTo("connected to kraken"));
  }

  @Test
  void runArchiverPersistsTheStreamWithAManifestAndStopsCleanly() throws Exception {
    Path archive = dir.resolve("archive");
    Path env = env("kraken-arch", "storage: {type: local, path: " + archive + "}\narchiver: {rotation: 15m, fsync: batch}\n");
    String feedsDir = "--feeds-dir=" + FEED.getParent();
    assertThat(run("env", "apply", env.toString(), feedsDir).exit()).isZero();

    Process connector = spawn(dir.resolve("c.out"), dir.resolve("c.err"), "run", "connector", "--feed", FEED.toString(),
        "--env", env.toString(), "--health-port", String.valueOf(FreePorts.pick()));
    long stored;
    try (Connection nc = Nats.connect(nats.url())) {
      var jsm = nc.jetStreamManagement();
      await("messages in the stream", () -> {
        try {
          return jsm.getStreamInfo("KRAKENARCH_KRAKEN").getStreamState().getMsgCount() > 100;
        } catch (Exception e) {
          return false;
        }
      });
      connector.destroy();
      assertThat(connector.waitFor(30, TimeUnit.SECONDS)).isTrue();
      stored = jsm.getStreamInfo("KRAKENARCH_KRAKEN").getStreamState().getMsgCount();
    }

    int port = FreePorts.pick();
    Process archiver = spawn(dir.resolve("a.out"), dir.resolve("a.err"), "run", "archiver", "--feed", FEED.toString(),
        "--env", env.toString(), "--health-port", String.valueOf(port));
    HttpClient http = HttpClient.newHttpClient();
    await("/ready", () -> status(http, port, "/ready") == 200);
    await("every stored message archived", () -> metricValue(http, port, "ssmd_archiver_messages_total{feed=\"kraken\"}") >= stored);
    archiver.destroy(); // SIGTERM: the current file is finished and listed in the manifest
    assertThat(archiver.waitFor(30, TimeUnit.SECONDS)).as(Files.readString(dir.resolve("a.err"))).isTrue();
    assertThat(archiver.exitValue()).isIn(0, 143);

    Path day = archive.resolve("kraken").resolve(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
    JsonNode manifest = JSON.readTree(day.resolve("manifest.json").toFile());
    long records = 0;
    for (JsonNode f : manifest.path("files")) {
      records += f.path("records").asLong();
      assertThat(day.resolve(f.path("name").asText())).exists();
    }
    assertThat(records).isEqualTo(stored);
    assertThat(manifest.path("has_gaps").asBoolean()).isFalse();
    assertThat(manifest.path("message_types").toString()).contains("trade").contains("orderbook");
    try (var files = Files.list(day)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }

    // replay the archive back onto a transport: another environment's stream gets every message once
    Path replayEnv = env("kraken-replay", "");
    assertThat(run("env", "apply", replayEnv.toString(), feedsDir).exit()).isZero();
    Ssmd.Result replay = run("data", "replay", "--date", day.getFileName().toString(), "--root", archive.toString(),
        "--feed", "kraken", "--publish", "--env", replayEnv.toString(), feedsDir);
    assertThat(replay.exit()).as(replay.err()).isZero();
    try (Connection nc = Nats.connect(nats.url())) {
      assertThat(nc.jetStreamManagement().getStreamInfo("KRAKENREPLAY_KRAKEN").getStreamState().getMsgCount()).isEqualTo(stored);
    }
  }

  @Test
  void aStreamThatDoesNotExistStopsTheConnectorWithOneClearLine() throws Exception {
    Path env = env("kraken-noapply", "");
    Ssmd.Result r = run("run", "connector", "--feed", FEED.toString(), "--env", env.toString(), "--health-port", "0");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("KRAKENNOAPPLY_KRAKEN").contains("ssmd env apply").doesNotContain("Exception");
  }

  @Test
  void aBrokenEnvironmentFileExitsWithTwoNamingFileLineAndKey() throws Exception {
    Path env = env("kraken-bad", "transprot: {type: nats}\n");
    Ssmd.Result r = run("env", "validate", env.toString(), "--feeds-dir=" + FEED.getParent());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(env + ":12:1").contains("transprot").doesNotContain("at io.ssmd");
    Ssmd.Result run = run("run", "connector", "--feed", FEED.toString(), "--env", env.toString(), "--health-port", "0");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("transprot");
  }

  private static int status(HttpClient http, int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String body(HttpClient http, int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static double metricValue(HttpClient http, int port, String series) {
    try {
      return body(http, port, "/metrics").lines().filter(l -> l.startsWith(series + " "))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    } catch (Exception e) {
      return 0;
    }
  }

  private static double publishedInMetrics(HttpClient http, int port) {
    try {
      return body(http, port, "/metrics").lines()
          .filter(l -> l.startsWith("ssmd_connector_messages_published_total{feed=\"kraken\"}"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .findFirst().orElse(0);
    } catch (Exception e) {
      return 0;
    }
  }
}
