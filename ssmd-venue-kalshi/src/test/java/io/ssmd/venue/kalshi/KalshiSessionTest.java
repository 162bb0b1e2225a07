package io.ssmd.venue.kalshi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.ssmd.connector.Routed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KalshiSessionTest {
  private static final KalshiVenueOptions OPTIONS = KalshiVenueOptions.defaults("key", "pem");

  static byte[] fixture(String name) {
    try (InputStream in = KalshiSessionTest.class.getResourceAsStream("/kalshi/" + name)) {
      return in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new AssertionError("missing fixture " + name, e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Routed only(List<Routed> r) {
    assertThat(r).hasSize(1);
    return r.get(0);
  }

  @ParameterizedTest
  @CsvSource({
    "trade.json, trade, HIGHNY-22DEC23-B53.5",
    "ticker.json, ticker, FED-23DEC-T3.00",
    "orderbook_snapshot.json, orderbook, FED-23DEC-T3.00",
    "orderbook_delta.json, orderbook, FED-23DEC-T3.00",
    "market_lifecycle_v2.json, lifecycle, INXD-23SEP14-B4487",
    "event_lifecycle.json, event_lifecycle, KXQUICKSETTLE-25SEP16H1200",
    "event_fee_update.json, event_lifecycle, KXFEE-26MAR01",
    "trade_legacy_cents.json, trade, HIGHNY-22DEC23-B53.5"
  })
  void routesDataFramesToTypeAndTickerWithTheRawBytes(String file, String type, String ticker) {
    KalshiSession s = new KalshiSession(OPTIONS, new RecordingContext(true));
    byte[] frame = fixture(file);
    Routed r = only(s.onFrame(frame));
    assertThat(r).isInstanceOf(Routed.Publish.class);
    Routed.Publish p = (Routed.Publish) r;
    assertThat(p.type()).isEqualTo(type);
    assertThat(p.ticker()).isEqualTo(ticker);
    assertThat(p.payload()).isSameAs(frame);
  }

  @ParameterizedTest
  @CsvSource({"subscribed.json, subscribed", "unsubscribed.json, unsubscribed", "ok_update.json, ok", "ok_list.json, ok"})
  void treatsAcknowledgementsAsControl(String file, String kind) {
    KalshiSession s = new KalshiSession(OPTIONS, new RecordingContext(true));
    assertThat(only(s.onFrame(fixture(file)))).isEqualTo(new Routed.Control(kind));
  }

  @ParameterizedTest
  @CsvSource({"malformed.txt, malformed", "unknown_type.json, unknown_type", "trade_without_ticker.json, unroutable"})
  void rejectsBadFramesWithTheirErrorType(String file, String errorType) {
    KalshiSession s = new KalshiSession(OPTIONS, new RecordingContext(true));
    Routed r = only(s.onFrame(fixture(file)));
    assertThat(r).isInstanceOf(Routed.Rejected.class);
    assertThat(((Routed.Rejected) r).errorType()).isEqualTo(errorType);
  }

  @Test
  void neverThrowsOnGarbage() {
    KalshiSession s = new KalshiSession(OPTIONS, new RecordingContext(true));
    List<String> odd =
        List.of("", "null", "42", "[]", "[{\"type\":\"trade\"}]", "{}", "{\"type\":7}", "{\"type\":\"orderbook_delta\",\"sid\":\"x\",\"seq\":{},\"msg\":[]}",
            "{\"type\":\"orderbook_snapshot\",\"sid\":1,\"seq\":1,\"msg\":{\"market_ticker\":\"A\",\"yes_dollars_fp\":\"nope\"}}",
            "{\"type\":\"error\",\"msg\":null}", "{\"type\":\"subscribed\",\"msg\":{\"sid\":\"NaN\"}}", "\uFEFF{", "{\"type\":\"ok\",\"id\":\"abc\"}");
    for (String o : odd) {
      assertThatCode(() -> assertThat(s.onFrame(bytes(o))).isNotEmpty()).as(o).doesNotThrowAnyException();
    }
    Random rnd = new Random(7);
    for (int i = 0; i < 500; i++) {
      byte[] b = new byte[rnd.nextInt(64)];
      rnd.nextBytes(b);
      assertThatCode(() -> s.onFrame(b)).doesNotThrowAnyException();
    }
  }

  @Test
  void venueErrorsAreRejectedAndReported() {
    RecordingContext ctx = new RecordingContext(true);
    KalshiSession s = new KalshiSession(OPTIONS, ctx);
    Routed r = only(s.onFrame(fixture("error_market_not_found.json")));
    assertThat(r).isInstanceOf(Routed.Rejected.class);
    assertThat(((Routed.Rejected) r).errorType()).isEqualTo("venue_error");
    assertThat(ctx.venueErrors).singleElement().satisfies(e -> {
      assertThat(e.market()).isEqualTo("16");
      assertThat(e.detail()).contains("Market not found").contains("INVALID-MARKET");
    });
  }

  @Test
  void subscribesInBatchesWithIncreasingIdsExplicitUseYesPriceAndLifecycleOnThePrimaryOnly() {
    RecordingContext primary = new RecordingContext(true);
    KalshiSession s = new KalshiSession(OPTIONS.withLimits(200, 2), primary);
    s.subscribe(List.of("A", "B", "C"));
    List<JsonNode> cmds = primary.commands();
    assertThat(cmds).extracting(c -> c.path("id").asLong()).containsExactly(1L, 2L, 3L);
    assertThat(cmds.get(0).at("/params/channels").toString()).isEqualTo("[\"market_lifecycle_v2\"]");
    assertThat(cmds.get(0).at("/params/market_tickers").isMissingNode()).isTrue();
    assertThat(cmds.get(1).path("cmd").asText()).isEqualTo("subscribe");
    assertThat(cmds.get(1).at("/params/channels").toString()).isEqualTo("[\"ticker\",\"trade\",\"orderbook_delta\"]");
    assertThat(cmds.get(1).at("/params/market_tickers").toString()).isEqualTo("[\"A\",\"B\"]");
    assertThat(cmds.get(1).at("/params/use_yes_price").isBoolean()).isTrue();
    assertThat(cmds.get(1).at("/params/use_yes_price").asBoolean()).isFalse();
    assertThat(cmds.get(2).at("/params/market_tickers").toString()).isEqualTo("[\"C\"]");

    RecordingContext other = new RecordingContext(false);
    new KalshiSession(OPTIONS.withUseYesPrice(true), other).subscribe(List.of("A"));
    assertThat(other.commands()).singleElement().satisfies(c -> {
      assertThat(c.at("/params/channels").toString()).doesNotContain("lifecycle");
      assertThat(c.at("/params/use_yes_price").asBoolean()).isTrue();
    });
  }

  /** Acknowledges subscribe command {@code id} with one sid per channel, starting at {@code firstSid}. */
  private static void ack(KalshiSession s, long id, long firstSid, String... channels) {
    long sid = firstSid;
    for (String ch : channels) {
      s.onFrame(bytes("{\"id\":" + id + ",\"type\":\"subscribed\",\"msg\":{\"channel\":\"" + ch + "\",\"sid\":" + sid++ + "}}"));
    }
  }

  @Test
  void addsLaterMarketsToKnownSidsAndRemovesMarketsWithDeleteMarketsOnly() {
    RecordingContext ctx = new RecordingContext(false);
    KalshiSession s = new KalshiSession(OPTIONS, ctx);
    s.subscribe(List.of("A", "B"));
    ack(s, 1, 1, "ticker", "trade", "orderbook_delta");
    ctx.clear();
    s.subscribe(List.of("B", "C"));
    List<JsonNode> adds = ctx.commands();
    assertThat(adds).hasSize(3).allSatisfy(c -> {
      assertThat(c.path("cmd").asText()).isEqualTo("update_subscription");
      assertThat(c.at("/params/action").asText()).isEqualTo("add_markets");
      assertThat(c.at("/params/market_tickers").toString()).isEqualTo("[\"C\"]");
    });
    assertThat(adds).extracting(c -> c.at("/params/sids/0").asLong()).containsExactly(1L, 2L, 3L);

    ctx.clear();
    s.unsubscribe(List.of("A", "C"));
    List<JsonNode> dels = ctx.commands();
    assertThat(dels).hasSize(3).allSatisfy(c -> {
      assertThat(c.path("cmd").asText()).isEqualTo("update_subscription");
      assertThat(c.at("/params/action").asText()).isEqualTo("delete_markets");
      assertThat(c.at("/params/market_tickers").toString()).isEqualTo("[\"A\",\"C\"]");
    });
    assertThat(s.markets()).containsExactly("B");
  }

  @Test
  void marketsUnsubscribedWhileTheSubscribeIsInFlightAreDeletedOnAcknowledgement() {
    RecordingContext ctx = new RecordingContext(false);
    KalshiSession s = new KalshiSession(OPTIONS.withChannels(List.of("orderbook_delta"), List.of()), ctx);
    s.subscribe(List.of("A", "B"));
    s.unsubscribe(List.of("B"));
    assertThat(ctx.commands()).hasSize(1);
    ack(s, 1, 9, "orderbook_delta");
    JsonNode del = ctx.commands().get(1);
    assertThat(del.at("/params/action").asText()).isEqualTo("delete_markets");
    assertThat(del.at("/params/sids/0").asLong()).isEqualTo(9);
    assertThat(del.at("/params/market_tickers").toString()).isEqualTo("[\"B\"]");
  }

  @Test
  void aRefusedSubscribeIsResentWithoutTheUnknownMarket() {
    RecordingContext ctx = new RecordingContext(false);
    KalshiSession s = new KalshiSession(OPTIONS.withChannels(List.of("trade"), List.of()), ctx);
    s.subscribe(List.of("A", "NOPE", "B"));
    s.onFrame(bytes("{\"id\":1,\"type\":\"error\",\"msg\":{\"code\":16,\"msg\":\"Market not found\",\"market_ticker\":\"NOPE\"}}"));
    JsonNode retry = ctx.commands().get(1);
    assertThat(retry.path("id").asLong()).isEqualTo(2);
    assertThat(retry.at("/params/market_tickers").toString()).isEqualTo("[\"A\",\"B\"]");
    assertThat(s.markets()).containsExactlyInAnyOrder("A", "B");
    // a late acceptance of the refused command is a duplicate sid: unsubscribe that sid only
    s.onFrame(bytes("{\"id\":1,\"type\":\"subscribed\",\"msg\":{\"channel\":\"trade\",\"sid\":4}}"));
    JsonNode unsub = ctx.commands().get(2);
    assertThat(unsub.path("cmd").asText()).isEqualTo("unsubscribe");
    assertThat(unsub.at("/params/sids").toString()).isEqualTo("[4]");

    // an error after the acknowledgement (partial success) only forgets the market
    ctx.clear();
    s.subscribe(List.of("C", "BAD"));
    ack(s, 4, 5, "trade");
    s.onFrame(bytes("{\"id\":4,\"type\":\"error\",\"msg\":{\"code\":16,\"msg\":\"Market not found\",\"market_ticker\":\"BAD\"}}"));
    assertThat(ctx.commands()).hasSize(1);
    assertThat(s.markets()).containsExactlyInAnyOrder("A", "B", "C");
  }

  private static String snapshot(long sid, long seq, String market, String yes) {
    return "{\"type\":\"orderbook_snapshot\",\"sid\":" + sid + ",\"seq\":" + seq + ",\"msg\":{\"market_ticker\":\"" + market
        + "\",\"yes_dollars_fp\":" + yes + ",\"no_dollars_fp\":[[\"0.4000\",\"5.00\"]]}}";
  }

  private static String delta(long sid, long seq, String market, String price, String delta) {
    return "{\"type\":\"orderbook_delta\",\"sid\":" + sid + ",\"seq\":" + seq + ",\"msg\":{\"market_ticker\":\"" + market
        + "\",\"price_dollars\":\"" + price + "\",\"delta_fp\":\"" + delta + "\",\"side\":\"yes\",\"ts\":\"2026-03-20T10:00:00Z\",\"ts_ms\":1774000800000}}";
  }

  @Test
  void aSeqGapResubscribesTheSidsMarketsOnThatSidAndTheNewSnapshotReplacesTheBook() {
    RecordingContext ctx = new RecordingContext(false);
    KalshiSession s = new KalshiSession(OPTIONS.withChannels(List.of("trade", "orderbook_delta"), List.of()), ctx);
    s.subscribe(List.of("A", "B"));
    ack(s, 1, 1, "trade", "orderbook_delta");
    s.onFrame(bytes(snapshot(2, 1, "A", "[[\"0.1000\",\"10.00\"],[\"0.2000\",\"20.00\"]]")));
    s.onFrame(bytes(snapshot(2, 2, "B", "[[\"0.3000\",\"1.00\"]]")));
    s.onFrame(bytes(delta(2, 3, "A", "0.2000", "5.50")));
    assertThat(s.book("A").yes()).containsEntry(200_000L, 2550L).containsEntry(100_000L, 1000L);
    // duplicates and older seqs are published but not applied
    Routed dup = only(s.onFrame(bytes(delta(2, 3, "A", "0.2000", "5.50"))));
    assertThat(dup).isInstanceOf(Routed.Publish.class);
    assertThat(s.book("A").yes()).containsEntry(200_000L, 2550L);
    assertThat(ctx.gaps).isEmpty();
    ctx.clear();

    Routed gapFrame = only(s.onFrame(bytes(delta(2, 5, "A", "0.1000", "1.00"))));
    assertThat(gapFrame).isInstanceOf(Routed.Publish.class);
    assertThat(ctx.gaps).singleElement().satisfies(g -> {
      assertThat(g.market()).isEqualTo("sid:2");
      assertThat(g.detail()).contains("seq 4").contains("sid 2");
    });
    assertThat(ctx.resyncs).containsExactly(new RecordingContext.Event("sid:2", "seq_gap"));
    List<JsonNode> cmds = ctx.commands();
    assertThat(cmds).extracting(c -> c.at("/params/action").asText()).containsExactly("delete_markets", "add_markets");
    assertThat(cmds).allSatisfy(c -> {
      assertThat(c.at("/params/sids").toString()).isEqualTo("[2]");
      assertThat(c.at("/params/market_tickers").toString()).isEqualTo("[\"A\",\"B\"]");
    });
    assertThat(s.book("A")).isNull();
    // deltas before the fresh snapshot are not applied to a book
    s.onFrame(bytes(delta(2, 6, "A", "0.1000", "1.00")));
    assertThat(s.book("A")).isNull();
    s.onFrame(bytes(snapshot(2, 7, "A", "[[\"0.0500\",\"3.00\"]]")));
    assertThat(s.book("A").yes()).containsExactly(java.util.Map.entry(50_000L, 300L));
    assertThat(ctx.gaps).hasSize(1);
  }

  @Test
  void aGapOnASingleMarketSidNamesTheMarket() {
    RecordingContext ctx = new RecordingContext(false);
    KalshiSession s = new KalshiSession(OPTIONS.withChannels(List.of("orderbook_delta"), List.of()), ctx);
    s.subscribe(List.of("A"));
    ack(s, 1, 3, "orderbook_delta");
    s.onFrame(bytes(snapshot(3, 1, "A", "[[\"0.1000\",\"10.00\"]]")));
    s.onFrame(bytes(delta(3, 3, "A", "0.1000", "1.00")));
    assertThat(ctx.resyncs).containsExactly(new RecordingContext.Event("A", "seq_gap"));
  }

  @Test
  void booksAreDepthLimited() {
    KalshiSession s = new KalshiSession(OPTIONS.withBookDepth(3).withChannels(List.of("orderbook_delta"), List.of()), new RecordingContext(false));
    s.subscribe(List.of("A"));
    ack(s, 1, 1, "orderbook_delta");
    String ladder = "[" + String.join(",", IntStream.rangeClosed(1, 9).mapToObj(i -> "[\"0.0" + i + "00\",\"1.00\"]").toList()) + "]";
    s.onFrame(bytes(snapshot(1, 1, "A", ladder)));
    assertThat(s.book("A").yes().keySet()).containsExactly(90_000L, 80_000L, 70_000L);
    s.onFrame(bytes(delta(1, 2, "A", "0.0100", "4.00")));
    assertThat(s.book("A").yes()).hasSize(3).doesNotContainKey(10_000L);
    s.onFrame(bytes(delta(1, 3, "A", "0.9500", "4.00")));
    assertThat(s.book("A").yes().keySet()).containsExactly(950_000L, 90_000L, 80_000L);
    List<Routed> r = new ArrayList<>(s.onFrame(bytes(delta(1, 4, "A", "0.9500", "-4.00"))));
    assertThat(r).singleElement().isInstanceOf(Routed.Publish.class);
    assertThat(s.book("A").yes()).doesNotContainKey(950_000L);
  }
}
