package io.ssmd.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.worker.workflows.NotifyInput;
import io.ssmd.worker.workflows.NotifyResult;
import io.ssmd.worker.workflows.NotifyWorkflow;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testserver.TestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** /health, /ready and /metrics of a running worker, /ready when Temporal is not there, and an input its record rejects. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerHealthIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path tmp;

  @Test
  void healthReadyAndMetricsIncludingTheTemporalSdksOwn() throws Exception {
    WorkerSettings settings = WorkerSettings.embedded(WorkerTests.configDir(tmp), tmp.resolve("data"), 0);
    try (WorkerRuntime worker = WorkerRuntime.start(settings, new PrometheusRegistry())) {
      String base = "http://127.0.0.1:" + worker.healthPort();
      assertThat(get(base + "/health").statusCode()).isEqualTo(200);
      WorkerTests.await(Duration.ofSeconds(10), "/ready 200", () -> get(base + "/ready").statusCode() == 200);
      String before = get(base + "/metrics").body();
      assertThat(before).contains("ssmd_worker_syncs_total{feed=\"kalshi\",outcome=\"failed\"} 0.0")
          .contains("ssmd_worker_notifications_total{channel=\"webhook\",outcome=\"sent\"} 0.0")
          .contains("ssmd_worker_polling 1.0");

      NotifyResult r = worker.client().newWorkflowStub(NotifyWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue(worker.taskQueue()).setWorkflowId("health-notify").build())
          .run(new NotifyInput("info", "hello", ""));
      assertThat(r.notConfigured()).containsExactly("webhook", "email");
      // the SDK reports through micrometer into the same registry every few seconds
      WorkerTests.await(Duration.ofSeconds(20), "temporal_ metrics", () -> get(base + "/metrics").body().contains("temporal_workflow_completed"));
      assertThat(get(base + "/metrics").body()).contains("temporal_activity_execution_latency").contains("temporal_request");

      // an input its record rejects (a client that skipped WorkflowCatalog) fails the workflow at once, naming the field,
      // instead of failing its workflow task forever
      WorkflowStub bad = worker.client().newUntypedWorkflowStub("DayEnd",
          WorkflowOptions.newBuilder().setTaskQueue(worker.taskQueue()).setWorkflowId("bad-input").build());
      bad.start(new ObjectMapper().readTree("{\"env\":\"kalshi-sim\",\"date\":\"yesterday\"}"));
      assertThatThrownBy(() -> bad.getResult(20, TimeUnit.SECONDS, Map.class))
          .isInstanceOf(WorkflowFailedException.class)
          .rootCause().hasMessageContaining("DayInput.date must be a date YYYY-MM-DD");
    }
  }

  @Test
  void notReadyOnceTemporalGoesAwayAndNoStartWithoutIt() throws Exception {
    int port = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("TEMPORAL_ADDRESS", "127.0.0.1:" + port);
    env.put("SSMD_CONFIG_DIR", WorkerTests.configDir(tmp).toString());
    WorkerSettings settings = WorkerSettings.fromMap(env, Optional.of(0), tmp.resolve("data"));
    TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port, true);
    try (WorkerRuntime worker = WorkerRuntime.start(settings, new PrometheusRegistry())) {
      String base = "http://127.0.0.1:" + worker.healthPort();
      WorkerTests.await(Duration.ofSeconds(10), "/ready 200", () -> get(base + "/ready").statusCode() == 200);
      server.close();
      HttpResponse<String> ready = get(base + "/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("Temporal at 127.0.0.1:" + port + " not reachable");
      assertThat(get(base + "/health").statusCode()).isEqualTo(200);
    } finally {
      server.close();
    }
    assertThatThrownBy(() -> WorkerRuntime.start(settings, new PrometheusRegistry()))
        .hasMessageStartingWith("cannot reach Temporal at 127.0.0.1:" + port + " (TEMPORAL_ADDRESS)");
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static HttpResponse<String> get(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("GET " + url + ": " + e, e);
    }
  }
}
