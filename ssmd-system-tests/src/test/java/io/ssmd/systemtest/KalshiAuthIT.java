package io.ssmd.systemtest;

import static io.ssmd.systemtest.CaptureEndToEndIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.connector.Connector;
import io.ssmd.connector.ConnectorMetrics;
import io.ssmd.connector.ConnectorOptions;
import io.ssmd.connector.ConnectorStatus;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kalshi.KalshiAuth;
import io.ssmd.sim.kalshi.KalshiSim;
import io.ssmd.sim.kalshi.KalshiSimOptions;
import io.ssmd.transport.memory.MemoryTransport;
import io.ssmd.venue.kalshi.KalshiVenue;
import io.ssmd.venue.kalshi.KalshiVenueOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kalshi credentials end to end: the simulator verifies the RSA-PSS signed handshake; a wrong key
 * id or a wrong private key is refused with HTTP 401, which the connector reports as an auth error
 * and retries only after the slow auth backoff; the right key (PKCS#8 or PKCS#1) connects.
 */
@Timeout(60)
class KalshiAuthIT {
  private static final Duration AUTH_BACKOFF = Duration.ofSeconds(2);

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
  private final KalshiAuth.DevKey registered = KalshiAuth.generate();
  private SimServer server;
  private MemoryTransport transport;
  private Connector connector;
  private PrometheusRegistry registry;

  @BeforeEach
  void startSim() throws Exception {
    server = new SimServer(new KalshiSim(KalshiSimOptions.defaults(Map.of(registered.keyId(), registered.publicKey()))
        .withMarkets(3).withMessagesPerSecond(50), new Journal(0), scheduler), "127.0.0.1", 0, 1 << 20).start();
  }

  @AfterEach
  void stop() throws Exception {
    if (connector != null) {
      connector.close();
    }
    if (transport != null) {
      transport.close();
    }
    server.close();
    scheduler.shutdownNow();
  }

  private Connector connect(String keyId, String pem) {
    registry = new PrometheusRegistry();
    ConnectorMetrics metrics = ConnectorMetrics.create(registry, "kalshi");
    transport = MemoryTransport.start(metrics.publishListener());
    ConnectorOptions options = ConnectorOptions.builder("auth", server.wsUri())
        .backoff(Duration.ofMillis(20), Duration.ofMillis(100))
        .authBackoff(AUTH_BACKOFF)
        .build();
    connector = new Connector(options, new KalshiVenue(KalshiVenueOptions.defaults(keyId, pem)), transport, metrics);
    connector.start(((KalshiSim) server.venue()).marketTickers());
    return connector;
  }

  @Test
  void anUnknownKeyIdIsRefusedAndReportedAsAnAuthErrorWithSlowBackoff() throws Exception {
    KalshiAuth.DevKey stranger = KalshiAuth.generate();
    assertRefusedSlowly(connect(stranger.keyId(), KalshiAuth.pkcs8Pem(stranger.privateKey())));
  }

  @Test
  void aSignatureFromTheWrongPrivateKeyIsRefused() throws Exception {
    KalshiAuth.DevKey other = KalshiAuth.generate();
    assertRefusedSlowly(connect(registered.keyId(), KalshiAuth.pkcs8Pem(other.privateKey())));
  }

  @Test
  void theRegisteredKeyConnectsAsPkcs8AndAsPkcs1() throws Exception {
    for (String pem : new String[] {KalshiAuth.pkcs8Pem(registered.privateKey()), KalshiAuth.pkcs1Pem(registered.privateKey())}) {
      Connector c = connect(registered.keyId(), pem);
      await("connected and publishing", () -> c.status().connectedCount() == 1 && c.status().messagesPublished() > 5);
      assertThat(Metrics.counter(registry, ConnectorMetrics.ERRORS, "error_type", "auth")).isZero();
      c.close();
      transport.close();
      connector = null;
      transport = null;
    }
  }

  private void assertRefusedSlowly(Connector c) throws InterruptedException {
    await("auth error reported", () -> Metrics.counter(registry, ConnectorMetrics.ERRORS, "error_type", "auth") >= 1);
    Thread.sleep(AUTH_BACKOFF.toMillis() + 1500);
    double attempts = Metrics.counter(registry, ConnectorMetrics.ERRORS, "error_type", "auth");
    // 3.5 s with a 2 s auth backoff allows 2 attempts (3 at a boundary); the connect backoff alone would allow dozens
    assertThat(attempts).isBetween(1.0, 3.0);
    ConnectorStatus.Connection conn = c.status().connections().get(0);
    assertThat(conn.connected()).isFalse();
    assertThat(conn.lastError()).containsIgnoringCase("auth").contains("401").doesNotContain("PRIVATE KEY");
    assertThat(c.status().messagesPublished()).isZero();
  }
}
