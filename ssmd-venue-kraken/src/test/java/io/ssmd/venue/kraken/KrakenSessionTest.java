package io.ssmd.venue.kraken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.connector.Routed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KrakenSessionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RecordingContext ctx;
  private KrakenSession session;

  @BeforeEach
  void open() {
    ctx = new RecordingContext();
    session = new KrakenVenue(KrakenVenueOptions.defaults()).open(ctx);
  }

  static byte[] fixture(String name) {
    try (InputStream in = KrakenSessionTest.class.getResourceAsStream("/kraken/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name);
      }
      String s = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return s.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<Routed> route(String fixture) {
    return session.onFrame(fixture(fixture));
  }

  private static Routed only(List<Routed> r) {
    assertThat(r).hasSize(1);
    return r.get(0);
  }

  private void subscribed(String... symbols) {
    session.subscribe(List.of(symbols));
    route("instrument_snapshot.json");
  }

  @Test
  void subscribesInstrumentOnceThenEachChannelInBatches() throws Exception {
    session = new KrakenVenue(KrakenVenueOptions.defaults().withSymbolsPerRequest(2).withBookDepth(25)).open(ctx);
    session.subscribe(List.of("BTC/USD", "ETH/USD", "SOL/USD"));
    session.subscribe(List.of("XRP/USD"));
    List<JsonNode> reqs = ctx.sent.stream().map(KrakenSessionTest::json).toList();
    assertThat(reqs.stream().filter(r -> r.path("params").path("channel").asText().equals("instrument"))).hasSize(1);
    assertThat(reqs.get(0).path("params").path("channel").asText()).isEqualTo("instrument");
    // 3 channels x 2 batches, then 3 channels x 1 batch
    assertThat(reqs).hasSize(1 + 6 + 3);
    JsonNode book = reqs.stream().filter(r -> r.path("params").path("channel").asText().equals("book")).findFirst().orElseThrow();
    assertThat(book.path("method").asText()).isEqualTo("subscribe");
    assertThat(book.path("params").path("depth").asInt()).isEqualTo(25);
    assertThat(book.path("params").path("symbol").isArray()).isTrue();
    assertThat(book.path("params").path("symbol")).hasSize(2);
    assertThat(reqs).extracting(r -> r.path("req_id").asLong()).doesNotHaveDuplicates();
  }

  @Test
  void routesDataChannelsToTypeAndPairWithTheRawBytes() {
    subscribed("BTC/USD", "ETH/USD");
    byte[] raw = fixture("trade_update_btc.json");
    Routed r = only(session.onFrame(raw));
    assertThat(r).isInstanceOf(Routed.Publish.class);
    Routed.Publish p = (Routed.Publish) r;
    assertThat(p.type()).isEqualTo("trade");
    assertThat(p.ticker()).isEqualTo("BTC/USD");
    assertThat(p.payload()).isEqualTo(raw);
    Routed.Publish ticker = (Routed.Publish) only(route("ticker_snapshot_eth.json"));
    assertThat(ticker.type()).isEqualTo("ticker");
    assertThat(ticker.ticker()).isEqualTo("ETH/USD");
    assertThat(ticker.payload()).isEqualTo(fixture("ticker_snapshot_eth.json"));
    Routed.Publish book = (Routed.Publish) only(route("book_snapshot_btc.json"));
    assertThat(book.type()).isEqualTo("orderbook");
    assertThat(book.ticker()).isEqualTo("BTC/USD");
  }

  @Test
  void controlTrafficIsNotPublished() {
    assertThat(only(route("heartbeat.json"))).isEqualTo(new Routed.Control("heartbeat"));
    assertThat(only(route("status.json"))).isEqualTo(new Routed.Control("status"));
    assertThat(only(route("pong.json"))).isEqualTo(Routed.PONG);
    assertThat(only(route("subscribe_ack_book.json"))).isEqualTo(new Routed.Control("ack"));
    assertThat(only(route("instrument_snapshot.json"))).isEqualTo(new Routed.Control("instrument"));
    assertThat(ctx.venueErrors).isEmpty();
  }

  @Test
  void rejectsBadInputWithoutThrowing() {
    assertThat(only(route("malformed.txt"))).isInstanceOfSatisfying(Routed.Rejected.class, r -> assertThat(r.errorType()).isEqualTo("malformed"));
    assertThat(only(route("ohlc_update.json"))).isInstanceOfSatisfying(Routed.Rejected.class, r -> assertThat(r.errorType()).isEqualTo("unknown_type"));
    assertThat(only(route("trade_update_empty.json"))).isInstanceOfSatisfying(Routed.Rejected.class, r -> assertThat(r.errorType()).isEqualTo("unroutable"));
    assertThat(only(session.onFrame("[1,2]".getBytes(StandardCharsets.UTF_8)))).isInstanceOfSatisfying(Routed.Rejected.class, r -> assertThat(r.errorType()).isEqualTo("unknown_type"));
    assertThat(only(session.onFrame(new byte[0]))).isInstanceOfSatisfying(Routed.Rejected.class, r -> assertThat(r.errorType()).isEqualTo("malformed"));
    assertThat(only(session.onFrame("{\"x\":1}".getBytes(StandardCharsets.UTF_8)))).isInstanceOf(Routed.Rejected.class);
    assertThat(only(session.onFrame("{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":\"oops\"}]}".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(Routed.Publish.class);
  }

  @Test
  void venueErrorsAreRejectedAndReported() {
    Routed r = only(route("subscribe_error_unknown_pair.json"));
    assertThat(r).isInstanceOfSatisfying(Routed.Rejected.class, x -> {
      assertThat(x.errorType()).isEqualTo("venue_error");
      assertThat(x.detail()).contains("Currency pair not supported BTC/XYZ");
    });
    assertThat(ctx.venueErrors).containsExactly("subscribe: Currency pair not supported BTC/XYZ (BTC/XYZ)");
  }

  @Test
  void toleratesChangedTradeFieldsAndStillPublishes() {
    subscribed("BTC/USD");
    assertThat(only(route("trade_update_btc_changed_fields.json"))).isInstanceOf(Routed.Publish.class);
  }

  @Test
  void verifiesChecksumsOfSnapshotAndUpdatesIncludingTruncation() {
    subscribed("BTC/USD");
    route("book_snapshot_btc.json");
    route("book_update_btc.json");
    route("book_update_btc_after_truncation.json");
    assertThat(session.integrity().checksumsVerified()).isEqualTo(3);
    assertThat(session.integrity().checksumMismatches()).isZero();
    assertThat(ctx.resyncs).isEmpty();
  }

  @Test
  void countsChecksumsUnverifiedUntilPrecisionsAreKnown() {
    session.subscribe(List.of("BTC/USD"));
    route("book_snapshot_btc.json");
    route("book_update_btc.json");
    assertThat(session.integrity().checksumUnverified()).isEqualTo(2);
    // the book was maintained meanwhile, so verification starts with the next message
    route("instrument_snapshot.json");
    route("book_update_btc_after_truncation.json");
    assertThat(session.integrity().checksumsVerified()).isEqualTo(1);
    assertThat(session.integrity().checksumMismatches()).isZero();
  }

  @Test
  void mismatchResubscribesOnlyThatBookAndIsRateLimited() {
    subscribed("BTC/USD", "ETH/USD");
    route("book_snapshot_btc.json");
    route("book_update_btc.json");
    route("book_update_btc_after_truncation.json");
    ctx.sent.clear();
    route("book_update_btc_bad_checksum.json");
    assertThat(session.integrity().checksumMismatches()).isEqualTo(1);
    assertThat(ctx.resyncs).containsExactly("BTC/USD: checksum");
    assertThat(ctx.sent).hasSize(2);
    JsonNode unsub = json(ctx.sent.get(0));
    JsonNode sub = json(ctx.sent.get(1));
    assertThat(unsub.path("method").asText()).isEqualTo("unsubscribe");
    assertThat(sub.path("method").asText()).isEqualTo("subscribe");
    for (JsonNode r : List.of(unsub, sub)) {
      assertThat(r.path("params").path("channel").asText()).isEqualTo("book");
      assertThat(r.path("params").path("symbol")).hasSize(1);
      assertThat(r.path("params").path("symbol").get(0).asText()).isEqualTo("BTC/USD");
    }
    // updates while the resync is in flight are published but not verified
    assertThat(only(route("book_update_btc.json"))).isInstanceOf(Routed.Publish.class);
    assertThat(session.integrity().checksumUnverified()).isEqualTo(1);

    // the fresh snapshot REPLACES the book: the state before the mismatch is gone
    route("book_snapshot_btc.json");
    assertThat(session.integrity().checksumsVerified()).isEqualTo(4);
    route("book_update_btc_after_truncation.json"); // expects update 1 applied first: mismatch
    assertThat(session.integrity().checksumMismatches()).isEqualTo(2);
    assertThat(ctx.resyncs).hasSize(1);
    assertThat(session.integrity().resyncsSuppressed()).isEqualTo(1);

    ctx.nanos += TimeUnit.SECONDS.toNanos(6);
    route("book_update_btc_bad_checksum.json");
    assertThat(ctx.resyncs).hasSize(2);
    assertThat(session.integrity().resyncs()).isEqualTo(2);
  }

  @Test
  void reportsTradeIdGapsPerSymbol() {
    subscribed("BTC/USD");
    route("trade_update_btc.json"); // 4665845, 4665846
    assertThat(ctx.gaps).isEmpty();
    route("trade_update_btc_gap.json"); // 4665849
    assertThat(ctx.gaps).containsExactly("BTC/USD: trade_id 4665847..4665848 missing");
    route("trade_update_btc_changed_fields.json"); // 4665850 continues
    assertThat(ctx.gaps).hasSize(1);
    assertThat(session.integrity().tradeGaps()).isEqualTo(1);
  }

  @Test
  void unsubscribeSendsPerChannelAndForgetsState() {
    subscribed("BTC/USD");
    route("book_snapshot_btc.json");
    ctx.sent.clear();
    session.unsubscribe(List.of("BTC/USD"));
    assertThat(ctx.sent).hasSize(3).allSatisfy(s -> assertThat(json(s).path("method").asText()).isEqualTo("unsubscribe"));
    route("book_update_btc_bad_checksum.json");
    assertThat(ctx.resyncs).isEmpty();
  }

  @Test
  void venueKeepsAliveWithJsonPingAndNeedsNoHeaders() {
    KrakenVenue v = new KrakenVenue(KrakenVenueOptions.defaults().withMaxMarketsPerConnection(7).withPingInterval(Duration.ofSeconds(3)));
    assertThat(v.feed()).isEqualTo("kraken");
    assertThat(v.maxMarketsPerConnection()).isEqualTo(7);
    assertThat(v.keepAlive().interval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(json(v.keepAlive().textPing()).path("method").asText()).isEqualTo("ping");
    assertThat(v.handshakeHeaders(java.net.URI.create("wss://ws.kraken.com/v2"))).isEmpty();
    assertThat(KrakenVenueOptions.defaults().maxMarketsPerConnection()).isEqualTo(100);
    assertThat(KrakenVenueOptions.defaults().bookDepth()).isEqualTo(10);
  }

  @Test
  void optionsNameEveryProblem() {
    assertThatThrownBy(() -> new KrakenVenueOptions(List.of("candles", "book"), 7, 0, Duration.ZERO, 0, Duration.ofSeconds(-1), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("candles")
        .hasMessageContaining("bookDepth")
        .hasMessageContaining("maxMarketsPerConnection")
        .hasMessageContaining("pingInterval")
        .hasMessageContaining("symbolsPerRequest")
        .hasMessageContaining("resyncMinInterval");
  }

  static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
