package io.ssmd.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.secmaster.ChangeOutbox;
import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.EmbeddedDatabase;
import io.ssmd.secmaster.kraken.KrakenSync;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kraken.KrakenSim;
import io.ssmd.sim.kraken.KrakenSimOptions;
import io.ssmd.testkit.FreePorts;
import io.ssmd.testkit.NatsServerProcess;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.nats.NatsTransport;
import io.ssmd.transport.nats.NatsTransportOptions;
import io.ssmd.transport.nats.StreamAdmin;
import io.ssmd.transport.nats.StreamSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code subscriptions.follow_secmaster} as an operator runs it: {@code ssmd env apply} creates the
 * feed, {@code {PREFIX}_SECMASTER} and {@code {PREFIX}_SIGNALS} streams, {@code ssmd run connector}
 * follows the change events a security-master sync publishes there, and a missing change stream
 * stops it at start-up with one clear line.
 */
@Timeout(120)
class FollowSecmasterProcessIT {
  private static final Path FEED = Ssmd.REPO.resolve("exchanges/feeds/kraken.yaml");

  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
  private final List<Process> processes = new ArrayList<>();
  private NatsServerProcess nats;
  private KrakenSim kraken;
  private SimServer sim;

  @BeforeEach
  void start() throws Exception {
    nats = NatsServerProcess.start();
    kraken = new KrakenSim(KrakenSimOptions.defaults().withMarkets(3).withMessagesPerSecond(100), new Journal(0), scheduler);
    sim = new SimServer(kraken, "127.0.0.1", 0, 1 << 20).start();
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

  private Path env(String name) throws IOException {
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
          markets: [%s]
          follow_secmaster: true
        """.formatted(name, sim.wsUri(), nats.url(), name.replace("-", ""), String.join(", ", kraken.symbols())));
    return file;
  }

  @Test
  void envApplyCreatesTheChangeStreamAndTheRunningConnectorDropsADelistedPair() throws Exception {
    Path env = env("follow-proc");
    String feedsDir = "--feeds-dir=" + FEED.getParent();
    Ssmd.Result applied = Ssmd.run(dir, null, "env", "apply", env.toString(), feedsDir);
    assertThat(applied.exit()).as(applied.err()).isZero();
    assertThat(applied.out()).contains("stream FOLLOWPROC_KRAKEN: created", "stream FOLLOWPROC_SECMASTER: created",
        "stream FOLLOWPROC_SIGNALS: created");
    Ssmd.Result again = Ssmd.run(dir, null, "env", "apply", env.toString(), feedsDir);
    assertThat(again.out()).contains("stream FOLLOWPROC_SECMASTER: unchanged", "stream FOLLOWPROC_SIGNALS: unchanged");

    String delisted = kraken.symbols().get(0);
    try (EmbeddedDatabase postgres = EmbeddedDatabase.start();
        Database db = Database.embedded(postgres);
        NatsTransport changes = NatsTransport.connect(NatsTransportOptions.secmaster(nats.url(), "followproc"), PublishListener.NONE)) {
      // the first sync (every pair ADDED) happens before the connector runs: its configured markets are the initial set
      assertThat(syncAndPublish(db, changes)).isEqualTo(kraken.referencePairs().size());

      int port = FreePorts.pick();
      Process connector = Ssmd.spawn(dir, dir.resolve("c.out"), dir.resolve("c.err"), null,
          "run", "connector", "--feed", FEED.toString(), "--env", env.toString(), "--health-port", String.valueOf(port));
      processes.add(connector);
      HttpClient http = HttpClient.newHttpClient();
      await("/ready", () -> status(http, port) == 200);
      assertThat(metric(http, port, "ssmd_connector_subscribed_markets", "feed=\"kraken\"")).isEqualTo(3.0);
      assertThat(metric(http, port, "ssmd_connector_change_events_total", "outcome=\"remove\"")).isZero();

      kraken.setPairStatus(delisted, "delisted");
      assertThat(syncAndPublish(db, changes)).isEqualTo(1);
      await("the delisted pair dropped", () -> metric(http, port, "ssmd_connector_subscribed_markets", "feed=\"kraken\"") == 2.0);
      assertThat(metric(http, port, "ssmd_connector_subscription_changes_total", "action=\"remove\"")).isEqualTo(1.0);
      assertThat(metric(http, port, "ssmd_connector_subscription_changes_total", "action=\"add\"")).isZero();
      assertThat(metric(http, port, "ssmd_connector_change_events_total", "outcome=\"remove\"")).isEqualTo(1.0);
      assertThat(status(http, port)).isEqualTo(200);
      connector.destroy();
      assertThat(connector.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }
  }

  private int syncAndPublish(Database db, NatsTransport changes) throws Exception {
    new KrakenSync(db.dataSource(), sim.httpUri(),
        new KrakenSync.Options(Duration.ZERO, 4, Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(10))).sync();
    int published = new ChangeOutbox(db).publish(changes, "followproc", "kraken");
    assertThat(changes.flush(Duration.ofSeconds(10))).isTrue();
    return published;
  }

  @Test
  void followingWithoutTheChangeStreamStopsTheConnectorWithOneClearLine() throws Exception {
    Path env = env("follow-nostream");
    try (StreamAdmin admin = StreamAdmin.connect(nats.url())) {
      admin.apply(StreamSpec.forFeed("follownostream", "kraken", Duration.ofHours(1), 1, Duration.ofMinutes(2), -1), false);
    }
    Ssmd.Result r = Ssmd.run(dir, null, "run", "connector", "--feed", FEED.toString(), "--env", env.toString(), "--health-port", "0");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("FOLLOWNOSTREAM_SECMASTER").contains("ssmd env apply").doesNotContain("Exception");
  }

  private static int status(HttpClient http, int port) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The value of the first series of {@code name} whose labels contain {@code label}; NaN when absent. */
  private static double metric(HttpClient http, int port, String name, String label) {
    try {
      String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      return body.lines().filter(l -> l.startsWith(name + "{") && l.contains(label))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(Double.NaN);
    } catch (IOException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
