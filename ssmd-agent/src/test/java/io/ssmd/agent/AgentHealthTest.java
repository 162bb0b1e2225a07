package io.ssmd.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.observability.HealthServer;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.memory.MemoryTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded agent's /metrics and /ready: every series at 0 before any event, ready on a connected transport. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentHealthTest {
  @Test
  void metricsExistAtZeroFromStartUpAndTheAgentIsReady() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (MemoryTransport memory = MemoryTransport.start(PublishListener.NONE);
        Agent agent = Agent.start(AgentOptions.defaults(SignalsFile.parse("h.yaml",
            "signals:\n  - {name: quiet, kind: stale_feed, symbols: \"*\", after: 1m}\n")), "up", Map.of("kraken", memory), memory, registry);
        HealthServer health = HealthServer.start(0, registry, agent.readiness())) {
      HttpClient http = HttpClient.newHttpClient();
      String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("ssmd_agent_events_total{feed=\"kraken\"} 0.0", "ssmd_agent_signal_firings_total{signal=\"quiet\"} 0.0",
          "ssmd_agent_signal_errors_total{signal=\"quiet\"} 0.0", "ssmd_agent_state_evictions_total{signal=\"quiet\"} 0.0");
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + "/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
    }
  }
}
