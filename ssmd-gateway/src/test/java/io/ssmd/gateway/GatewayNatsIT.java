package io.ssmd.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.testkit.NatsServerProcess;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Transport;
import io.ssmd.transport.nats.NatsTransport;
import io.ssmd.transport.nats.NatsTransportOptions;
import io.ssmd.transport.nats.StreamAdmin;
import io.ssmd.transport.nats.StreamSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gateway on a real JetStream stream: live from NEW, stream sequences and capture times carried through; metrics at 0 from start. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayNatsIT {

  @Test
  void servesAJetStreamFeedFromNewWithStreamSequencesAndCaptureTimes() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.start(); StreamAdmin admin = StreamAdmin.connect(nats.url())) {
      StreamSpec spec = StreamSpec.forFeed("gw", "kraken", Duration.ofHours(1), 1, Duration.ofMinutes(2), -1);
      assertThat(admin.apply(spec, false).ok()).isTrue();
      try (Transport in = NatsTransport.connect(NatsTransportOptions.defaults(nats.url(), spec.name(), List.of("gw.kraken.json.>")),
          PublishListener.NONE)) {
        // published before the gateway starts: not live, so not delivered (subscription at NEW)
        in.publish(envelope("trade", "BTC/USD", TestGateway.trade("BTC/USD", "1", 0), 0));
        assertThat(in.flush(Duration.ofSeconds(10))).isTrue();
        ApiKeyStore keys = ApiKeyStore.of(List.of());
        String key = keys.add("alice", List.of(), Clock.systemUTC());
        PrometheusRegistry registry = new PrometheusRegistry();
        try (Gateway gw = Gateway.start(TestGateway.options(), List.of(new FeedSource("kraken", "gw", in)), keys, Optional.empty(), registry)) {
          String metrics = scrape(registry);
          assertThat(metrics).contains("ssmd_gateway_clients_connected 0.0")
              .contains("ssmd_gateway_messages_sent_total{type=\"trade\"} 0.0")
              .contains("ssmd_gateway_dropped_total{reason=\"slow_consumer\"} 0.0")
              .contains("ssmd_gateway_disconnects_total{reason=\"slow_consumer\"} 0.0")
              .contains("ssmd_gateway_auth_failures_total{reason=\"revoked\"} 0.0")
              .contains("ssmd_gateway_transport_messages_total{feed=\"kraken\"} 0.0");
          assertThat(gw.readiness().notReadyReasons()).isEmpty();
          try (WsClient c = WsClient.connect(gw.wsUri(), key)) {
            c.next();
            c.send("{\"id\":1,\"op\":\"subscribe\",\"symbols\":[\"kraken:*\"]}");
            assertThat(c.next().path("type").asText()).isEqualTo("ack");
            long capturedAt = 1_763_805_600_123_456_789L;
            in.publish(envelope("ticker", "ETH/USD", TestGateway.ticker("ETH/USD", "3000.5", "3000.6", 1), capturedAt));
            in.publish(envelope("trade", "BTC/USD", TestGateway.trade("BTC/USD", "2", 2), capturedAt + 1000));
            JsonNode ticker = c.next();
            JsonNode trade = c.next();
            assertThat(ticker.path("type").asText()).isEqualTo("ticker");
            assertThat(ticker.path("symbol").asText()).isEqualTo("ETH-USD");
            assertThat(ticker.path("received_at").asLong()).isEqualTo(capturedAt / 1000);
            assertThat(ticker.path("seq").asLong()).isEqualTo(2); // stream sequence: the first message is seq 1
            assertThat(trade.path("seq").asLong()).isEqualTo(3);
            assertThat(trade.path("data").path("data").get(0).path("n").asInt()).isEqualTo(2);
          }
          // the sent counter moves when Jetty reports the write done, which may be just after the client read it
          String after = scrape(registry);
          for (int i = 0; i < 100 && !after.contains("ssmd_gateway_messages_sent_total{type=\"trade\"} 1.0"); i++) {
            Thread.sleep(50);
            after = scrape(registry);
          }
          assertThat(after).contains("ssmd_gateway_transport_messages_total{feed=\"kraken\"} 2.0")
              .contains("ssmd_gateway_messages_sent_total{type=\"trade\"} 1.0");
        }
      }
    }
  }

  private static Envelope envelope(String type, String symbol, String frame, long receivedAtNanos) {
    String subject = "gw.kraken.json." + type + "." + symbol.replace('/', '-');
    return new Envelope(subject, frame.getBytes(StandardCharsets.UTF_8), subject + "-" + frame.hashCode(), receivedAtNanos, "c1", 0);
  }

  private static String scrape(PrometheusRegistry registry) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }
}
