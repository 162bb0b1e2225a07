package io.ssmd.agent;

import static io.ssmd.agent.Ev.at;
import static io.ssmd.agent.LiveEqualsBacktestIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.testkit.NatsServerProcess;
import io.ssmd.transport.Delivered;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Transport;
import io.ssmd.transport.nats.NatsTransport;
import io.ssmd.transport.nats.NatsTransportOptions;
import io.ssmd.transport.nats.StreamAdmin;
import io.ssmd.transport.nats.StreamSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The live agent on a real nats-server: reads Kraken frames from the {@code NT_KRAKEN} stream and
 * publishes firings into {@code NT_SIGNALS} ({@code nt.signals.>}); subjects and JSON are checked,
 * including a stale firing decided by the watermark timer while the feed is silent.
 */
@Timeout(60)
class AgentNatsIT {
  private static final String SIGNALS = """
      signals:
        - {name: move, kind: price_move, symbols: "kraken:BTC/USD", window: 10s, threshold: 10, mode: abs}
        - {name: stale, kind: stale_feed, symbols: "*", after: 1s}
      """;

  private static Envelope trade(String symbol, double seconds, String price, int n) {
    String frame = "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"" + symbol + "\",\"side\":\"buy\",\"price\":" + price
        + ",\"qty\":0.5,\"ord_type\":\"market\",\"trade_id\":" + n + ",\"timestamp\":\"2025-11-23T00:00:00.000000Z\"}]}";
    String subject = "nt.kraken.json.trade." + symbol.replace('/', '-');
    return new Envelope(subject, frame.getBytes(StandardCharsets.UTF_8), "m" + n, at(seconds) * 1000, "c1", 0);
  }

  @Test
  void firingsArePublishedIntoTheSignalsStreamWithTheirSubjectsAndJson() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.start(); StreamAdmin admin = StreamAdmin.connect(nats.url())) {
      StreamSpec feed = StreamSpec.forFeed("nt", "kraken", Duration.ofHours(1), 1, Duration.ofMinutes(2), -1);
      StreamSpec signals = StreamSpec.forSignals("nt", Duration.ofHours(1), 1, Duration.ofMinutes(2), -1);
      assertThat(signals.name()).isEqualTo("NT_SIGNALS");
      assertThat(admin.apply(feed, false).ok()).isTrue();
      assertThat(admin.apply(signals, false).ok()).isTrue();
      try (Transport in = NatsTransport.connect(NatsTransportOptions.defaults(nats.url(), feed.name(), List.of("nt.kraken.json.>")),
              PublishListener.NONE);
          Transport out = NatsTransport.connect(NatsTransportOptions.signals(nats.url(), "nt"), PublishListener.NONE)) {
        PrometheusRegistry registry = new PrometheusRegistry();
        Agent agent = Agent.start(AgentOptions.defaults(SignalsFile.parse("nt.yaml", SIGNALS)).withFromFirst(true)
            .withTick(Duration.ofMillis(100)).withWatermarkGrace(Duration.ofMillis(200)),
            List.of(new AgentInput("nt", "kraken", in, out)), registry);
        assertThat(agent.readiness().notReadyReasons()).isEmpty();
        in.publish(trade("ETH/USD", 0, "10", 1));
        in.publish(trade("BTC/USD", 0.5, "100", 2));
        in.publish(trade("BTC/USD", 1.0, "105", 3));
        in.publish(trade("BTC/USD", 1.5, "111", 4));
        assertThat(in.flush(Duration.ofSeconds(10))).isTrue();

        List<Delivered> got = new CopyOnWriteArrayList<>();
        try (AutoCloseable sub = out.subscribe("nt.signals.>", Transport.FIRST, got::add)) {
          await("three firings in NT_SIGNALS", () -> got.size() >= 3);
          Thread.sleep(300);
        }
        agent.close();
        assertThat(got).extracting(Delivered::subject)
            .containsExactly("nt.signals.stale.ETH-USD", "nt.signals.move.BTC-USD", "nt.signals.stale.BTC-USD");
        List<String> json = got.stream().map(d -> new String(d.payload(), StandardCharsets.UTF_8)).toList();
        assertThat(json.get(0)).isEqualTo("{\"signal\":\"stale\",\"kind\":\"stale_feed\",\"feed\":\"kraken\",\"ticker\":\"ETH/USD\",\"ts\":"
            + at(1) + ",\"value\":\"1\",\"threshold\":\"1\",\"details\":{\"last_event_us\":\"" + at(0) + "\",\"scope\":\"symbol\"}}");
        assertThat(json.get(1)).isEqualTo("{\"signal\":\"move\",\"kind\":\"price_move\",\"feed\":\"kraken\",\"ticker\":\"BTC/USD\",\"ts\":"
            + at(1.5) + ",\"value\":\"11\",\"threshold\":\"10\",\"details\":{\"direction\":\"up\",\"from\":\"100\",\"mode\":\"abs\","
            + "\"to\":\"111\",\"window_us\":\"10000000\"}}");
        // decided by the timer (the feed went silent), stamped with the event time the silence reached 1 s
        assertThat(json.get(2)).contains("\"ticker\":\"BTC/USD\",\"ts\":" + at(2.5) + ",");
        assertThat(got.get(2).headers()).containsEntry("Nats-Msg-Id", "sig-stale-kraken-BTC-USD-" + at(2.5));
        assertThat(agent.metrics().value(AgentMetrics.EVENTS, "kraken")).isEqualTo(4);
        assertThat(agent.metrics().value(AgentMetrics.FIRINGS, "stale")).isEqualTo(2);
        assertThat(agent.published()).isEqualTo(3);
      }
    }
  }
}
