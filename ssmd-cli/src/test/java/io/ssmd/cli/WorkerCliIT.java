package io.ssmd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.worker.WorkerRuntime;
import io.ssmd.worker.WorkerSettings;
import io.ssmd.worker.workflows.NotifyInput;
import io.ssmd.worker.workflows.NotifyWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssmd run worker} and {@code ssmd day} as real processes (child JVMs of {@link Main}) against
 * a Temporal test server in this JVM: bad settings exit 2 with one line each, SIGTERM lets the
 * in-flight activity finish, and {@code day end|status} report a failed day with exit 1.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private Path configDir() throws IOException {
    Path c = dir.resolve("exchanges");
    Files.createDirectories(c.resolve("feeds"));
    Files.createDirectories(c.resolve("environments"));
    Files.copy(Path.of("..", "exchanges", "feeds", "kalshi.yaml"), c.resolve("feeds").resolve("kalshi.yaml"));
    Files.writeString(c.resolve("environments").resolve("kalshi-cli.yaml"), "name: kalshi-cli\nfeed: kalshi\nschema: v2\n"
        + "transport: {type: memory}\nstorage: {type: local, path: " + dir.resolve("archive") + "}\n");
    return c;
  }

  private record Result(int exit, String out) {}

  private Process spawn(Map<String, String> env, Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("TEMPORAL_ADDRESS");
    pb.environment().putAll(env);
    return pb.start();
  }

  private Result run(Map<String, String> env, String... args) throws Exception {
    Path log = Files.createTempFile(dir, "ssmd", ".log");
    Process p = spawn(env, log, args);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ssmd %s finished", String.join(" ", args)).isTrue();
    return new Result(p.exitValue(), Files.readString(log));
  }

  @Test
  void badSettingsExitTwoWithOneLineEach() throws Exception {
    Result r = run(Map.of("TEMPORAL_ADDRESS", "temporal", "MAX_CONCURRENT_ACTIVITY_EXECUTIONS", "lots",
        "SSMD_CONFIG_DIR", configDir().toString()), "run", "worker", "--health-port", "0");
    assertThat(r.exit()).as(r.out()).isEqualTo(2);
    assertThat(r.out()).contains("ssmd: TEMPORAL_ADDRESS=temporal: expected host:port")
        .contains("ssmd: MAX_CONCURRENT_ACTIVITY_EXECUTIONS=lots: expected a positive integer");
    Result day = run(Map.of(), "day", "status", "kalshi-cli", "--date", "2026-01-02");
    assertThat(day.exit()).isEqualTo(2);
    assertThat(day.out()).contains("ssmd day talks to a running worker's Temporal: set TEMPORAL_ADDRESS");
  }

  @Test
  void sigtermLetsTheInFlightActivityFinishAndDayCommandsReportTheDay() throws Exception {
    int port = freePort();
    int health = freePort();
    Path config = configDir();
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    hook.createContext("/", ex -> {
      try (InputStream in = ex.getRequestBody()) {
        bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      try {
        // the activity is in flight while the worker receives SIGTERM
        Thread.sleep(4_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    hook.start();
    TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port, true);
    try {
      String address = "127.0.0.1:" + port;
      Path log = dir.resolve("worker.log");
      Process worker = spawn(Map.of("TEMPORAL_ADDRESS", address, "HEALTH_CHECK_PORT", Integer.toString(health),
          "SSMD_CONFIG_DIR", config.toString(), "NOTIFY_WEBHOOK_URL", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook",
          "SSMD_SHUTDOWN_GRACE", "20s"), log, "run", "worker", "--data-dir", dir.resolve("data1").toString());
      awaitReady(health, worker, log);

      Map<String, String> envFor = Map.of("TEMPORAL_ADDRESS", address, "SSMD_CONFIG_DIR", config.toString());
      WorkerSettings settings = WorkerSettings.fromMap(envFor, Optional.of(0), dir.resolve("data2"));
      io.temporal.serviceclient.WorkflowServiceStubs stubs = io.temporal.serviceclient.WorkflowServiceStubs.newServiceStubs(
          io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
      WorkflowClient client = WorkflowClient.newInstance(stubs);
      NotifyWorkflow wf = client.newWorkflowStub(NotifyWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue("ssmd").setWorkflowId("sigterm-notify").build());
      WorkflowClient.start(wf::run, new NotifyInput("info", "in flight", "during shutdown"));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (bodies.isEmpty() && System.nanoTime() < end) {
        Thread.sleep(50);
      }
      assertThat(bodies).as(Files.readString(log)).hasSize(1);

      worker.destroy(); // SIGTERM
      assertThat(worker.waitFor(40, TimeUnit.SECONDS)).as("worker exited").isTrue();
      String out = Files.readString(log);
      assertThat(out).contains("worker stopped: in-flight activities finished");
      assertThat(worker.exitValue()).as(out).isIn(0, 143);

      // the in-flight activity completed, in its first attempt, before the worker exited
      var events = client.fetchHistory("sigterm-notify").getHistory().getEventsList();
      assertThat(events).filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED).hasSize(1);
      assertThat(events).filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
          .singleElement().satisfies(e -> assertThat(e.getActivityTaskStartedEventAttributes().getAttempt()).isEqualTo(1));
      assertThat(bodies).hasSize(1);

      try (WorkerRuntime next = WorkerRuntime.start(settings, new PrometheusRegistry())) {

        // a day with nothing archived: day end fails verification, status says so, both exit 1
        Result endDay = run(envFor, "day", "end", "kalshi-cli", "--date", "2026-01-02");
        assertThat(endDay.exit()).as(endDay.out()).isEqualTo(1);
        assertThat(endDay.out()).contains("started DayEnd ssmd-day-end-kalshi-cli-2026-01-02")
            .contains("kalshi-cli 2026-01-02: FAILED").containsPattern("verify +FAILED +no manifest for kalshi 2026-01-02");
        Result status = run(envFor, "day", "status", "kalshi-cli", "--date", "2026-01-02", "--json");
        assertThat(status.exit()).as(status.out()).isEqualTo(1);
        JsonNode st = JSON.readTree(status.out().lines().filter(l -> l.startsWith("{\"env\"")).findFirst().orElseThrow());
        assertThat(st.path("runs").findValuesAsText("type")).containsExactly("DayStart", "ExchangeSync", "DayEnd", "DataQuality");
        assertThat(st.path("runs").get(0).path("status").asText()).isEqualTo("NOT_STARTED");
        assertThat(st.path("runs").get(2).path("status").asText()).isEqualTo("COMPLETED");
        assertThat(st.path("quality").path("grade").asText()).isEqualTo("RED");
      } finally {
        stubs.shutdownNow();
      }
    } finally {
      server.close();
      hook.stop(0);
    }
  }

  private static void awaitReady(int health, Process worker, Path log) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (System.nanoTime() < end) {
      assertThat(worker.isAlive()).as(Files.readString(log)).isTrue();
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health + "/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("worker not ready: " + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
