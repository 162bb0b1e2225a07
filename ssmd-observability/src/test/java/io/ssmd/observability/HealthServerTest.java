package io.ssmd.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HealthServerTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final List<String> reasons = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private HealthServer server;

  @BeforeEach
  void start() {
    server = HealthServer.start(0, registry, () -> new ArrayList<>(reasons));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthAnswersOkWhileRunning() throws Exception {
    HttpResponse<String> response = get("/health");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body().strip()).isEqualTo("ok");
  }

  @Test
  void readyFollowsTheReadinessCheckAndListsReasons() throws Exception {
    assertThat(get("/ready").statusCode()).isEqualTo(200);

    reasons.add("shard 1 not connected");
    reasons.add("no data for 31s");
    HttpResponse<String> notReady = get("/ready");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(notReady.body().strip())
        .isEqualTo("{\"ready\":false,\"reasons\":[\"shard 1 not connected\",\"no data for 31s\"]}");
  }

  @Test
  void readinessCheckThatThrowsIsNotReady() throws Exception {
    server.close();
    server = HealthServer.start(0, registry, () -> {
      throw new IllegalStateException("database gone");
    });
    HttpResponse<String> response = get("/ready");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("database gone");
  }

  @Test
  void metricsExposesTheRegistryInPrometheusTextFormat() throws Exception {
    Counter counter =
        Counter.builder().name("ssmd_test_events_total").help("test").labelNames("feed").register(registry);
    counter.labelValues("kalshi").inc(3);

    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow()).contains("version=0.0.4");
    assertThat(response.body())
        .contains("# TYPE ssmd_test_events_total counter")
        .contains("ssmd_test_events_total{feed=\"kalshi\"} 3.0");
  }

  @Test
  void unknownPathIsNotFoundAndPostIsNotAllowed() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }
}
