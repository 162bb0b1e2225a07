package io.ssmd.venue.kalshi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ssmd.connector.AuthException;
import io.ssmd.connector.KeepAlive;
import io.ssmd.sim.kalshi.KalshiAuth;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KalshiVenueTest {
  private static final KalshiAuth.DevKey KEY = KalshiAuth.generate();
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1703123456789L), ZoneOffset.UTC);

  @Test
  void signsOnlyThePathOfTheEndpointWithPkcs8AndPkcs1Keys() {
    for (String pem : List.of(KalshiAuth.pkcs8Pem(KEY.privateKey()), KalshiAuth.pkcs1Pem(KEY.privateKey()))) {
      KalshiVenue venue = new KalshiVenue(KalshiVenueOptions.defaults(KEY.keyId(), pem), CLOCK);
      Map<String, String> h = venue.handshakeHeaders(URI.create("wss://external-api-ws.kalshi.com/trade-api/ws/v2?x=1"));
      assertThat(h).containsEntry("KALSHI-ACCESS-KEY", KEY.keyId()).containsEntry("KALSHI-ACCESS-TIMESTAMP", "1703123456789");
      assertThat(KalshiAuth.verify(KEY.publicKey(), "1703123456789GET/trade-api/ws/v2", h.get("KALSHI-ACCESS-SIGNATURE"))).isTrue();
      Map<String, String> sim = venue.handshakeHeaders(URI.create("ws://127.0.0.1:4567/trade-api/ws/v2"));
      assertThat(KalshiAuth.verify(KEY.publicKey(), "1703123456789GET/trade-api/ws/v2", sim.get("KALSHI-ACCESS-SIGNATURE"))).isTrue();
    }
  }

  @Test
  void badOrMissingKeysFailWithAuthExceptionsThatHoldNoKeyMaterial() {
    String pem = KalshiAuth.pkcs8Pem(KEY.privateKey());
    String body = pem.lines().skip(1).findFirst().orElseThrow();
    String corrupt = pem.replace(body, body.substring(0, 20) + "%%%%" + body.substring(24));
    String truncated = pem.substring(0, pem.length() / 2) + "\n-----END PRIVATE KEY-----\n";
    URI uri = URI.create("wss://h/trade-api/ws/v2");
    for (KalshiVenueOptions o :
        List.of(
            KalshiVenueOptions.defaults(KEY.keyId(), null),
            KalshiVenueOptions.defaults(null, pem),
            KalshiVenueOptions.defaults(KEY.keyId(), "not a pem"),
            KalshiVenueOptions.defaults(KEY.keyId(), corrupt),
            KalshiVenueOptions.defaults(KEY.keyId(), truncated),
            KalshiVenueOptions.defaults(KEY.keyId(), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----"))) {
      assertThatThrownBy(() -> new KalshiVenue(o, CLOCK).handshakeHeaders(uri))
          .isInstanceOf(AuthException.class)
          .satisfies(e -> {
            assertThat(e.getMessage()).doesNotContain(body.substring(0, 16)).doesNotContain(truncated.substring(30, 60));
            assertThat(e.getCause()).isNull();
          });
    }
    assertThat(KalshiVenueOptions.defaults(KEY.keyId(), pem).toString()).doesNotContain(body.substring(0, 16)).contains("***");
  }

  @Test
  void declaresKeepAliveLimitsAndFeed() {
    KalshiVenue v = new KalshiVenue(KalshiVenueOptions.defaults("k", "p").withPingInterval(Duration.ofSeconds(3)));
    assertThat(v.feed()).isEqualTo("kalshi");
    assertThat(v.maxMarketsPerConnection()).isEqualTo(200);
    assertThat(v.keepAlive()).isEqualTo(KeepAlive.frames(Duration.ofSeconds(3)));
  }

  @Test
  void thePrimaryConnectionSubscribesLifecycleWhenItOpensOthersWaitForMarkets() throws Exception {
    KalshiVenue v = new KalshiVenue(KalshiVenueOptions.defaults("k", "p"));
    RecordingContext primary = new RecordingContext(true);
    v.open(primary).subscribe(List.of("A"));
    assertThat(primary.commands()).hasSize(2);
    assertThat(primary.commands().get(0).toString())
        .isEqualTo("{\"id\":1,\"cmd\":\"subscribe\",\"params\":{\"channels\":[\"market_lifecycle_v2\"]}}");
    RecordingContext other = new RecordingContext(false);
    v.open(other);
    assertThat(other.sent).isEmpty();
  }

  @Test
  void validatesOptionsNamingEveryProblem() {
    assertThatThrownBy(() -> KalshiVenueOptions.defaults("k", "p").withChannels(List.of("ticker", "fills"), List.of("event_lifecycle")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'fills'")
        .hasMessageContaining("event lifecycle messages arrive on market_lifecycle_v2");
    assertThatThrownBy(() -> KalshiVenueOptions.defaults("k", "p").withLimits(0, 300))
        .hasMessageContaining("maxMarketsPerConnection")
        .hasMessageContaining("marketsPerCommand");
  }
}
