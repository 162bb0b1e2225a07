package io.ssmd.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.memory.MemoryTransport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayAuthIT {
  private TestGateway t;

  @BeforeEach
  void start() {
    t = new TestGateway();
  }

  @AfterEach
  void stop() {
    t.close();
  }

  @Test
  void wrongAndRevokedKeysInHeadersAreRefusedAtUpgrade() throws Exception {
    assertThat(WsClient.refusedStatus(t.ws(), Map.of("Authorization", "Bearer ssmd_wrong"))).isEqualTo(401);
    assertThat(WsClient.refusedStatus(t.ws(), Map.of("X-API-Key", "ssmd_wrong"))).isEqualTo(401);
    assertThat(WsClient.refusedStatus(t.ws(), Map.of("Authorization", "Bearer " + t.revokedKey))).isEqualTo(403);
    assertThat(t.gateway.clients()).isEmpty();
  }

  @Test
  void validKeyByHeaderIsWelcomed() throws Exception {
    try (WsClient c = WsClient.connect(t.ws(), Map.of("X-API-Key", t.key))) {
      JsonNode w = c.next();
      assertThat(w.path("type").asText()).isEqualTo("welcome");
      assertThat(w.path("key").asText()).isEqualTo("alice");
      assertThat(w.path("feeds").toString()).isEqualTo("[\"kraken\"]");
    }
  }

  @Test
  void validKeyInTheFirstMessageIsWelcomed() throws Exception {
    try (WsClient c = WsClient.connect(t.ws(), Map.of())) {
      c.send("{\"op\":\"auth\",\"key\":\"" + t.key + "\"}");
      assertThat(c.next().path("type").asText()).isEqualTo("welcome");
      c.assertUsable(1);
      Thread.sleep(2500); // past the auth timeout: an authenticated connection is not closed by it
      c.assertUsable(2);
    }
  }

  @Test
  void noKeyIsRefusedWithCloseCode4401() throws Exception {
    try (WsClient c = WsClient.connect(t.ws(), Map.of())) {
      c.send("{\"id\":1,\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
      WsClient.Closed closed = c.awaitClose();
      assertThat(closed.code()).isEqualTo(4401);
      assertThat(closed.reason()).contains("authentication required");
    }
  }

  @Test
  void silentUnauthenticatedConnectionIsClosedAfterTheAuthTimeout() throws Exception {
    try (WsClient c = WsClient.connect(t.ws(), Map.of())) {
      WsClient.Closed closed = c.awaitClose();
      assertThat(closed.code()).isEqualTo(4401);
      assertThat(closed.reason()).contains("timeout");
    }
  }

  @Test
  void wrongAndRevokedKeysInTheFirstMessageAreRefused() throws Exception {
    try (WsClient c = WsClient.connect(t.ws(), Map.of())) {
      c.send("{\"op\":\"auth\",\"key\":\"ssmd_nope\"}");
      assertThat(c.awaitClose().code()).isEqualTo(4401);
    }
    try (WsClient c = WsClient.connect(t.ws(), Map.of())) {
      c.send("{\"op\":\"auth\",\"key\":\"" + t.revokedKey + "\"}");
      WsClient.Closed closed = c.awaitClose();
      assertThat(closed.code()).isEqualTo(4403);
      assertThat(closed.reason()).contains("revoked").doesNotContain(t.revokedKey);
    }
  }

  @Test
  void restNeedsTheSameKey() throws Exception {
    URI snap = URI.create(t.gateway.httpUri() + "/v1/snap/kraken/BTC-USD");
    assertThat(get(snap, Map.of()).statusCode()).isEqualTo(401);
    assertThat(get(snap, Map.of("X-API-Key", "ssmd_wrong")).statusCode()).isEqualTo(401);
    assertThat(get(snap, Map.of("X-API-Key", t.revokedKey)).statusCode()).isEqualTo(403);
    assertThat(get(snap, Map.of("X-API-Key", t.key)).statusCode()).isEqualTo(404); // authenticated, nothing seen yet
  }

  @Test
  void revokingAKeyInTheKeysFileClosesItsOpenSessionsWith4403AndLeavesOthersOpen(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys.yaml");
    ApiKeyStore cli = ApiKeyStore.load(file);
    String alice = cli.add("alice", List.of(), Clock.systemUTC());
    String bob = cli.add("bob", List.of(), Clock.systemUTC());
    PrometheusRegistry registry = new PrometheusRegistry();
    try (MemoryTransport transport = MemoryTransport.start(PublishListener.NONE);
        Gateway gw = Gateway.start(TestGateway.options(), List.of(new FeedSource("kraken", "test", transport)), ApiKeyStore.load(file),
            Optional.empty(), registry);
        WsClient byHeader = WsClient.connect(gw.wsUri(), Map.of("X-API-Key", alice));
        WsClient byMessage = WsClient.connect(gw.wsUri(), Map.of());
        WsClient other = WsClient.connect(gw.wsUri(), Map.of("X-API-Key", bob))) {
      byMessage.send("{\"op\":\"auth\",\"key\":\"" + alice + "\"}");
      for (WsClient c : List.of(byHeader, byMessage, other)) {
        assertThat(c.next().path("type").asText()).isEqualTo("welcome");
      }
      assertThat(metric(registry, "ssmd_gateway_disconnects_total{reason=\"revoked\"}")).isZero();

      // what `ssmd gateway key revoke alice` does: another process rewrites the file
      ApiKeyStore.load(file).revoke("alice", Clock.systemUTC());
      long t0 = System.nanoTime();
      for (WsClient c : List.of(byHeader, byMessage)) {
        WsClient.Closed closed = c.awaitClose();
        assertThat(closed.code()).isEqualTo(4403);
        assertThat(closed.reason()).contains("alice").contains("revoked").doesNotContain(alice);
      }
      // the file is re-read at most every second and checked every half second; generous for a loaded machine
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      other.assertUsable(7);
      for (int i = 0; i < 100 && metric(registry, "ssmd_gateway_disconnects_total{reason=\"revoked\"}") < 2; i++) {
        Thread.sleep(50);
      }
      assertThat(metric(registry, "ssmd_gateway_disconnects_total{reason=\"revoked\"}")).isEqualTo(2);
      assertThat(gw.clients()).extracting(ClientStats::key).containsExactly("bob");
      assertThat(WsClient.refusedStatus(gw.wsUri(), Map.of("X-API-Key", alice))).isEqualTo(403);

      // a key deleted from the file outright is no more valid than a revoked one
      java.nio.file.Files.writeString(file, "keys: []\n");
      assertThat(other.awaitClose().code()).isEqualTo(4403);
    }
  }

  static double metric(PrometheusRegistry registry, String series) throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    new io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter(false).write(out, registry.scrape());
    for (String line : out.toString().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    return Double.NaN;
  }

  static HttpResponse<String> get(URI uri, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
    headers.forEach(b::header);
    return WsClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
