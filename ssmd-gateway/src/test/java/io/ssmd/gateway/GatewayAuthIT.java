package io.ssmd.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

  static HttpResponse<String> get(URI uri, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
    headers.forEach(b::header);
    return WsClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
