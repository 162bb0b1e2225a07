package io.ssmd.gateway;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.memory.MemoryTransport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** A gateway on loopback over a memory transport carrying the kraken feed, with one valid and one revoked key. */
final class TestGateway implements AutoCloseable {
  static final String ENV = "test";
  final MemoryTransport transport = MemoryTransport.start(PublishListener.NONE);
  final ApiKeyStore keys = ApiKeyStore.of(List.of());
  final String key;
  final String revokedKey;
  final String polyOnlyKey;
  final PrometheusRegistry registry = new PrometheusRegistry();
  final Gateway gateway;
  private final AtomicLong ids = new AtomicLong();

  TestGateway(GatewayOptions options, Optional<MarketSource> markets) {
    key = keys.add("alice", List.of(), Clock.systemUTC());
    revokedKey = keys.add("mallory", List.of(), Clock.systemUTC());
    keys.revoke("mallory", Clock.systemUTC());
    polyOnlyKey = keys.add("poly", List.of("polymarket"), Clock.systemUTC());
    gateway = Gateway.start(options, List.of(new FeedSource("kraken", ENV, transport)), keys, markets, registry);
  }

  TestGateway() {
    this(options(), Optional.empty());
  }

  static GatewayOptions options() {
    return GatewayOptions.defaults().withHost("127.0.0.1").withPort(0).withAuthTimeout(Duration.ofSeconds(2));
  }

  URI ws() {
    return gateway.wsUri();
  }

  URI ws(String query) {
    return URI.create(gateway.wsUri() + "?" + query);
  }

  /** Publishes a raw kraken frame for {@code symbol} ({@code BTC/USD}) as the connector would. */
  void publish(String type, String symbol, String frame) {
    String subject = Subjects.subject(ENV, "kraken", type, symbol);
    long now = WsClient.nowNanos();
    transport.publish(new Envelope(subject, frame.getBytes(StandardCharsets.UTF_8), "m" + ids.incrementAndGet(), now, "c1", 0));
  }

  static String ticker(String symbol, String bid, String ask, long n) {
    return "{\"channel\":\"ticker\",\"type\":\"update\",\"data\":[{\"symbol\":\"" + symbol + "\",\"bid\":" + bid + ",\"bid_qty\":1.5,\"ask\":"
        + ask + ",\"ask_qty\":2.0,\"last\":" + bid + ",\"n\":" + n + "}]}";
  }

  static String trade(String symbol, String price, long n) {
    return "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"" + symbol + "\",\"side\":\"buy\",\"price\":" + price
        + ",\"qty\":0.25,\"ord_type\":\"market\",\"trade_id\":" + n + ",\"timestamp\":\"2026-11-22T10:00:00.000000Z\",\"n\":" + n + "}]}";
  }

  static String bookSnapshot(String symbol, long n) {
    return "{\"channel\":\"book\",\"type\":\"snapshot\",\"data\":[{\"symbol\":\"" + symbol + "\",\"bids\":[{\"price\":100.5,\"qty\":1.0},"
        + "{\"price\":100.4,\"qty\":2.0}],\"asks\":[{\"price\":100.6,\"qty\":3.0},{\"price\":100.7,\"qty\":4.0}],\"checksum\":1,\"n\":" + n + "}]}";
  }

  static String bookUpdate(String symbol, String side, String price, String qty, long n) {
    return "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"" + symbol + "\",\"" + side + "\":[{\"price\":" + price
        + ",\"qty\":" + qty + "}],\"checksum\":2,\"timestamp\":\"2026-11-22T10:00:00.000000Z\",\"n\":" + n + "}]}";
  }

  @Override
  public void close() {
    gateway.close();
    transport.close();
  }
}
