package io.ssmd.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.transport.Envelope;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConnectorMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();

  @Test
  void everySeriesOfTheFeedExistsAtZeroBeforeAnyData() {
    ConnectorMetrics.create(registry, "kalshi");

    for (String type : ConnectorMetrics.RECEIVED_TYPES) {
      assertThat(Metrics.value(registry, ConnectorMetrics.MESSAGES_RECEIVED, "feed", "kalshi", "type", type)).isEqualTo(0.0);
    }
    assertThat(Metrics.value(registry, ConnectorMetrics.MESSAGES_PUBLISHED, "feed", "kalshi")).isEqualTo(0.0);
    for (String type : ConnectorMetrics.ERROR_TYPES) {
      assertThat(Metrics.value(registry, ConnectorMetrics.ERRORS, "feed", "kalshi", "error_type", type)).isEqualTo(0.0);
    }
    for (String reason : ConnectorMetrics.RECONNECT_REASONS) {
      assertThat(Metrics.value(registry, ConnectorMetrics.RECONNECTS, "feed", "kalshi", "reason", reason)).isEqualTo(0.0);
    }
    for (String state : ConnectorMetrics.CONNECTION_STATES) {
      assertThat(Metrics.value(registry, ConnectorMetrics.CONNECTIONS, "feed", "kalshi", "state", state)).isEqualTo(0.0);
    }
    assertThat(Metrics.value(registry, ConnectorMetrics.GAPS, "feed", "kalshi")).isEqualTo(0.0);
    assertThat(Metrics.value(registry, ConnectorMetrics.RESYNCS, "feed", "kalshi", "reason", "seq_gap")).isEqualTo(0.0);
    assertThat(Metrics.value(registry, ConnectorMetrics.DROPPED, "feed", "kalshi", "reason", "oversize")).isEqualTo(0.0);
    assertThat(Metrics.value(registry, ConnectorMetrics.LAG_SECONDS, "feed", "kalshi")).isEqualTo(0.0);
    assertThat(Metrics.value(registry, ConnectorMetrics.SUBSCRIBED_MARKETS, "feed", "kalshi")).isEqualTo(0.0);
    assertThat(Metrics.value(registry, ConnectorMetrics.LAST_MESSAGE_AGE_SECONDS, "feed", "kalshi")).isNotNull();
  }

  @Test
  void severalFeedsShareOneRegistryAndOneListenerAttributesAcksByFeed() {
    ConnectorMetrics kalshi = ConnectorMetrics.create(registry, "kalshi");
    ConnectorMetrics kraken = ConnectorMetrics.create(registry, "kraken");
    assertThat(ConnectorMetrics.create(registry, "kalshi")).isSameAs(kalshi);

    Instant received = Instant.now().minusMillis(250);
    long receivedNanos = received.getEpochSecond() * 1_000_000_000L + received.getNano();
    Envelope krakenMessage = new Envelope("prod.kraken.json.trade.BTC-USD", new byte[] {'{', '}'}, "k-0-0-1-1", receivedNanos, "k-0-0-1", 2);
    kalshi.publishListener().acked(krakenMessage, 1, false);
    kalshi.publishListener().dropped(new Envelope("prod.kalshi.json.trade.X", new byte[0], "id", 0, "c", 0), "buffer_full");

    assertThat(Metrics.value(registry, ConnectorMetrics.MESSAGES_PUBLISHED, "feed", "kraken")).isEqualTo(1.0);
    assertThat(Metrics.value(registry, ConnectorMetrics.MESSAGES_PUBLISHED, "feed", "kalshi")).isEqualTo(0.0);
    assertThat(kraken.publishedOnShard(2)).isEqualTo(1);
    assertThat(Metrics.value(registry, ConnectorMetrics.LAG_SECONDS, "feed", "kraken")).isBetween(0.2, 5.0);
    assertThat(Metrics.value(registry, ConnectorMetrics.DROPPED, "feed", "kalshi", "reason", "buffer_full")).isEqualTo(1.0);
    assertThat(Metrics.value(registry, ConnectorMetrics.ERRORS, "feed", "kalshi", "error_type", "publish_dropped")).isEqualTo(1.0);
  }

  @Test
  void unknownTransportDropReasonsAreBounded() {
    ConnectorMetrics metrics = ConnectorMetrics.create(registry, "kalshi");
    for (int i = 0; i < 100; i++) {
      metrics.dropped("weird reason " + i);
    }
    long series = Metrics.scrape(registry).lines().filter(l -> l.startsWith(ConnectorMetrics.DROPPED + "{")).count();
    assertThat(series).isLessThanOrEqualTo(16);
  }
}
