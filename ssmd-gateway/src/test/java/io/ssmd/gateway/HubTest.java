package io.ssmd.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.data.Feeds;
import io.ssmd.transport.Delivered;
import io.ssmd.transport.Headers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Latest values kept by the hub: books from normalized Kalshi frames, bounded by max symbols. */
class HubTest {
  private long seq;

  private Hub hub(int maxSymbols) {
    return new Hub(Map.of("kalshi", Feeds.normalizer("kalshi")), new GatewayMetrics(new PrometheusRegistry(), List.of("kalshi")), maxSymbols);
  }

  private void deliver(Hub hub, String type, String ticker, String frame) {
    seq++;
    hub.onMessage("kalshi", type + "." + ticker, new Delivered("p.kalshi.json." + type + "." + ticker,
        frame.getBytes(StandardCharsets.UTF_8), Map.of(Headers.RECEIVED_AT, String.valueOf(1_000_000_000L * seq)), seq));
  }

  @Test
  void kalshiBookIsTheSnapshotWithSignedDeltasAppliedAndNoBidsAsYesAsks() throws Exception {
    Hub hub = hub(10);
    deliver(hub, "orderbook", "KX-1", "{\"type\":\"orderbook_snapshot\",\"sid\":1,\"seq\":1,\"msg\":{\"market_ticker\":\"KX-1\","
        + "\"yes_dollars_fp\":[[\"0.4500\",\"100.00\"],[\"0.4400\",\"10.00\"]],\"no_dollars_fp\":[[\"0.5300\",\"50.00\"]]}}");
    deliver(hub, "orderbook", "KX-1", "{\"type\":\"orderbook_delta\",\"sid\":1,\"seq\":2,\"msg\":{\"market_ticker\":\"KX-1\","
        + "\"price_dollars\":\"0.4500\",\"delta_fp\":\"-40.00\",\"side\":\"yes\"}}");
    deliver(hub, "orderbook", "KX-1", "{\"type\":\"orderbook_delta\",\"sid\":1,\"seq\":3,\"msg\":{\"market_ticker\":\"KX-1\","
        + "\"price_dollars\":\"0.4400\",\"delta_fp\":\"-10.00\",\"side\":\"yes\"}}");
    deliver(hub, "orderbook", "KX-1", "{\"type\":\"orderbook_delta\",\"sid\":1,\"seq\":4,\"msg\":{\"market_ticker\":\"KX-1\","
        + "\"price_dollars\":\"0.5300\",\"delta_fp\":\"5.00\",\"side\":\"no\"}}");
    JsonNode snap = WsClient.JSON.readTree(hub.snap("kalshi", "KX-1"));
    JsonNode book = snap.path("books").get(0);
    assertThat(book.path("instrument").asText()).isEqualTo("KX-1");
    assertThat(book.path("bids").toString()).isEqualTo("[[\"0.4500\",\"60.00\"]]"); // 0.44 went to zero and is gone
    assertThat(book.path("asks").toString()).isEqualTo("[[\"0.4700\",\"55.00\"]]"); // NO bid at 0.53 = YES ask at 0.47
    assertThat(book.path("seq").asLong()).isEqualTo(4);
    assertThat(book.path("received_at").asLong()).isEqualTo(4_000_000L);
    assertThat(snap.path("ticker").isNull()).isTrue();
  }

  @Test
  void latestTickerIsKeptAndSymbolsBeyondTheBoundAreNotTracked() throws Exception {
    Hub hub = hub(2);
    for (String t : List.of("A", "B", "C")) {
      deliver(hub, "ticker", t, "{\"type\":\"ticker\",\"sid\":2,\"msg\":{\"market_ticker\":\"" + t + "\",\"price_dollars\":\"0.5000\","
          + "\"yes_bid_dollars\":\"0.4900\",\"yes_ask_dollars\":\"0.5100\"}}");
    }
    deliver(hub, "ticker", "A", "{\"type\":\"ticker\",\"sid\":2,\"msg\":{\"market_ticker\":\"A\",\"price_dollars\":\"0.6000\"}}");
    assertThat(hub.symbols("kalshi", 10)).containsExactly("A", "B");
    assertThat(hub.snap("kalshi", "C")).isNull();
    JsonNode a = WsClient.JSON.readTree(hub.snap("kalshi", "A"));
    assertThat(a.path("ticker").path("data").path("msg").path("price_dollars").asText()).isEqualTo("0.6000");
    assertThat(a.path("ticker").path("events").get(0).path("last_price").asText()).isEqualTo("0.6000");
    assertThat(a.path("ticker").path("snapshot").asBoolean()).isTrue();
  }

  @Test
  void nonJsonPayloadsAreNotForwarded() {
    assertThat(Hub.isJson("{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(Hub.isJson("PONG".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(Hub.isJson("{\"a\":1} {".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(Hub.isJson("{\"a\":".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(Hub.isJson(new byte[0])).isFalse();
  }
}
