package io.ssmd.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.cli.Main;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promtool check metrics} on a real {@code /metrics} scrape of the connector, archiver,
 * gateway and agent, each run as its own {@code ssmd run ...} process as in a pod (the connector
 * against the simulated Kraken venue, all of them on a real nats-server), and the series the alert
 * rules and the dashboard query exist in those scrapes from start-up.
 */
@Timeout(120)
class MetricsScrapeIT {
  private static final Path FEED = Yaml.REPO.resolve("exchanges/feeds/kraken.yaml");

  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private NatsServerProcess nats;
  private SimServer sim;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(PromtoolTest.promtool().isPresent(),
        "promtool is not on PATH: install the prometheus package (./run-tests does) to lint /metrics");
    nats = NatsServerProcess.start();
    sim = new SimServer(new KrakenSim(KrakenSimOptions.defaults().withMarkets(3).withMessagesPerSecond(50), new Journal(0), scheduler),
        "127.0.0.1", 0, 1 << 20).start();
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (sim != null) {
      sim.close();
    }
    if (nats != null) {
      nats.close();
    }
    scheduler.shutdownNow();
  }

  @Test
  void connectorArchiverGatewayAndAgentMetricsPassPromtoolAndCarryTheAlertedSeries() throws Exception {
    // the layout the pods mount: exchanges/{feeds,environments}, feeds found beside the environments
    Path exchanges = Files.createDirectories(dir.resolve("exchanges/environments")).getParent();
    Files.createDirectories(exchanges.resolve("feeds"));
    Files.copy(FEED, exchanges.resolve("feeds/kraken.yaml"));
    Path env = exchanges.resolve("environments/kraken-scrape.yaml");
    Files.writeString(env, """
        name: kraken-scrape
        feed: kraken
        schema: v2
        endpoint: %s
        transport:
          type: nats
          url: %s
          jetstream: {max_age: 1h, duplicate_window: 2m}
        storage: {type: local, path: %s}
        subscriptions:
          markets: [BTC/USD, ETH/USD, SOL/USD]
        """.formatted(sim.wsUri(), nats.url(), dir.resolve("archive")));
    assertThat(Main.execute("env", "apply", env.toString())).isZero();

    int connectorPort = FreePorts.pick();
    spawn("connector", "run", "connector", "--env", env.toString(), "--health-port=" + connectorPort);
    await("connector /ready", () -> status(connectorPort, "/ready") == 200);
    await("frames received", () -> body(connectorPort).contains("ssmd_connector_messages_received_total{feed=\"kraken\",type=\"trade\"}"));
    String connector = body(connectorPort);
    promtoolAccepts("connector", connector);
    assertThat(connector).contains("ssmd_connector_messages_received_total", "ssmd_connector_lag_seconds{feed=\"kraken\"}",
        "ssmd_connector_messages_published_total", "ssmd_connector_reconnects_total", "ssmd_connector_gaps_total",
        "ssmd_connector_connections", "ssmd_connector_dropped_total");

    int archiverPort = FreePorts.pick();
    spawn("archiver", "run", "archiver", "--env", env.toString(), "--health-port=" + archiverPort);
    await("archiver /ready", () -> status(archiverPort, "/ready") == 200);
    await("archiver lag series", () -> body(archiverPort).contains("ssmd_archiver_lag_messages{feed=\"kraken\"}"));
    String archiver = body(archiverPort);
    promtoolAccepts("archiver", archiver);
    // present at 0 from start-up, so rate()/increase() alerts evaluate instead of seeing no series
    assertThat(archiver).contains("ssmd_archiver_lag_messages{feed=\"kraken\"}", "ssmd_archiver_gaps_total{feed=\"kraken\"} 0.0",
        "ssmd_archiver_bytes_written_total");

    // the gateway with a keys file of one key, written as `ssmd gateway key add` writes it
    io.ssmd.gateway.ApiKeyStore.load(dir.resolve("keys.yaml")).add("metrics-check", List.of(), java.time.Clock.systemUTC());
    int gatewayPort = FreePorts.pick();
    spawn("gateway", "run", "gateway", "--env", env.toString(), "--api-keys", dir.resolve("keys.yaml").toString(),
        "--port=" + FreePorts.pick(), "--health-port=" + gatewayPort);
    await("gateway /ready", () -> status(gatewayPort, "/ready") == 200);
    String gateway = body(gatewayPort);
    promtoolAccepts("gateway", gateway);
    assertThat(gateway).contains("ssmd_gateway_clients_connected", "ssmd_gateway_dropped_total", "ssmd_gateway_disconnects_total",
        "ssmd_gateway_messages_sent_total");

    int agentPort = FreePorts.pick();
    spawn("agent", "run", "agent", "--env", env.toString(), "--signals", Yaml.REPO.resolve("exchanges/signals/example.yaml").toString(),
        "--health-port=" + agentPort);
    await("agent /ready", () -> status(agentPort, "/ready") == 200);
    String agent = body(agentPort);
    promtoolAccepts("agent", agent);
    assertThat(agent).contains("ssmd_agent_signal_errors_total", "ssmd_agent_frames_rejected_total");
  }

  private void promtoolAccepts(String component, String metrics) throws IOException, InterruptedException {
    Path f = dir.resolve(component + ".metrics");
    Files.writeString(f, metrics);
    PromtoolTest.Run r = PromtoolTest.run(dir, f, "check", "metrics");
    assertThat(r.exit()).as(component + " /metrics: " + r.output()).isZero();
  }

  private void spawn(String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), "io.ssmd.cli.Main"));
    cmd.addAll(List.of(args));
    processes.add(new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile()).start());
  }

  private int status(int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private String body(int port) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private void await(String what, BooleanSupplier condition) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      if (processes.stream().anyMatch(p -> !p.isAlive())) {
        break; // a component exited: waiting longer cannot help
      }
      Thread.sleep(200);
    }
    StringBuilder logs = new StringBuilder();
    for (String n : List.of("connector.err", "archiver.err", "gateway.err", "agent.err")) {
      Path p = dir.resolve(n);
      if (Files.exists(p)) {
        logs.append(n).append(": ").append(Files.readString(p)).append('\n');
      }
    }
    throw new AssertionError("timed out waiting for " + what + "\n" + logs);
  }
}
