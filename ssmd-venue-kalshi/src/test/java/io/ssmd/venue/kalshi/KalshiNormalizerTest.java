package io.ssmd.venue.kalshi;

import static io.ssmd.venue.kalshi.KalshiSessionTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.market.MarketEvent;
import io.ssmd.market.MarketEvent.BookDelta;
import io.ssmd.market.MarketEvent.BookSnapshot;
import io.ssmd.market.MarketEvent.Level;
import io.ssmd.market.MarketEvent.Lifecycle;
import io.ssmd.market.MarketEvent.Quote;
import io.ssmd.market.MarketEvent.Side;
import io.ssmd.market.MarketEvent.Trade;
import io.ssmd.market.Normalized;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link KalshiNormalizer} against the recorded frames in {@code src/test/resources/kalshi/}. */
class KalshiNormalizerTest {
  private final KalshiNormalizer normalizer = new KalshiNormalizer();

  private MarketEvent only(String fixture) {
    Normalized n = normalizer.normalize(fixture(fixture), 1_700_000_000_000_000L, 42);
    assertThat(n).as(fixture).isInstanceOf(Normalized.Events.class);
    List<MarketEvent> events = ((Normalized.Events) n).events();
    assertThat(events).hasSize(1);
    MarketEvent e = events.get(0);
    assertThat(e.header().feed()).isEqualTo("kalshi");
    assertThat(e.header().receivedAtMicros()).isEqualTo(1_700_000_000_000_000L);
    assertThat(e.header().natsSeq()).isEqualTo(42);
    return e;
  }

  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  @Test
  void tradeUsesFixedPointFieldsAndTakerSide() {
    Trade t = (Trade) only("trade.json");
    assertThat(t.header().instrument()).isEqualTo("HIGHNY-22DEC23-B53.5");
    assertThat(t.header().exchangeTimeMicros()).isEqualTo(1669149841000_000L);
    assertThat(t.tradeId()).isEqualTo("d91bc706-ee49-470d-82d8-11418bda6fed");
    assertThat(t.price()).isEqualByComparingTo("0.36");
    assertThat(t.size()).isEqualByComparingTo("136");
    assertThat(t.aggressor()).isEqualTo(Side.ASK);
  }

  @Test
  void legacyCentFramesAreStillRead() {
    Trade t = (Trade) only("trade_legacy_cents.json");
    assertThat(t.price()).isEqualByComparingTo("0.36");
    assertThat(t.size()).isEqualByComparingTo("136");
    assertThat(t.header().exchangeTimeMicros()).isEqualTo(1669149841_000_000L);
    Quote q = (Quote) only("ticker_legacy_cents.json");
    assertThat(q.bidPrice()).isEqualByComparingTo("0.45");
    assertThat(q.askPrice()).isEqualByComparingTo("0.53");
    assertThat(q.lastPrice()).isEqualByComparingTo("0.48");
    assertThat(q.bidSize()).isNull();
  }

  @Test
  void tickerBecomesAQuoteWithSizes() {
    Quote q = (Quote) only("ticker.json");
    assertThat(q.header().instrument()).isEqualTo("FED-23DEC-T3.00");
    assertThat(q.header().exchangeTimeMicros()).isEqualTo(1669149841123_000L);
    assertThat(List.of(q.bidPrice(), q.bidSize(), q.askPrice(), q.askSize(), q.lastPrice()))
        .usingElementComparator(BigDecimal::compareTo)
        .containsExactly(d("0.45"), d("300"), d("0.53"), d("150"), d("0.48"));
  }

  @Test
  void snapshotMapsNoBidsToAsksAtOneMinusPrice() {
    BookSnapshot s = (BookSnapshot) only("orderbook_snapshot.json");
    assertThat(s.bids()).extracting(Level::price).usingElementComparator(BigDecimal::compareTo).containsExactly(d("0.22"), d("0.08"));
    assertThat(s.bids()).extracting(Level::size).usingElementComparator(BigDecimal::compareTo).containsExactly(d("333"), d("300"));
    // NO bids at 0.56 and 0.54 are YES asks at 0.44 and 0.46, best (lowest) first
    assertThat(s.asks()).extracting(Level::price).usingElementComparator(BigDecimal::compareTo).containsExactly(d("0.44"), d("0.46"));
    assertThat(s.asks()).extracting(Level::size).usingElementComparator(BigDecimal::compareTo).containsExactly(d("146"), d("20"));
    assertThat(s.checksum()).isNull();
  }

  @Test
  void deltaIsASignedIncrementWithTheSidSequence() {
    BookDelta d = (BookDelta) only("orderbook_delta.json");
    assertThat(d.side()).isEqualTo(Side.BID);
    assertThat(d.price()).isEqualByComparingTo("0.96");
    assertThat(d.size()).isEqualByComparingTo("-54");
    assertThat(d.isIncrement()).isTrue();
    assertThat(d.sequence()).isEqualTo(2L);
    BookDelta no = (BookDelta) ((Normalized.Events) normalizer.normalize(
        "{\"type\":\"orderbook_delta\",\"sid\":2,\"seq\":3,\"msg\":{\"market_ticker\":\"M\",\"price_dollars\":\"0.3100\",\"delta_fp\":\"5.50\",\"side\":\"no\"}}"
            .getBytes(StandardCharsets.UTF_8), 1, 1)).events().get(0);
    assertThat(no.side()).isEqualTo(Side.ASK);
    assertThat(no.price()).isEqualByComparingTo("0.69");
    assertThat(no.size()).isEqualByComparingTo("5.5");
  }

  @Test
  void lifecycleMessagesKeepTheirEventAndDetail() {
    Lifecycle l = (Lifecycle) only("market_lifecycle_v2.json");
    assertThat(l.header().instrument()).isEqualTo("INXD-23SEP14-B4487");
    assertThat(l.event()).isEqualTo("determined");
    assertThat(l.detail()).contains("\"result\":\"yes\"").doesNotContain("market_ticker");
    Lifecycle e = (Lifecycle) only("event_lifecycle.json");
    assertThat(e.header().instrument()).isEqualTo("KXQUICKSETTLE-25SEP16H1200");
    assertThat(e.event()).isEqualTo("event_lifecycle");
    assertThat(((Lifecycle) only("event_fee_update.json")).event()).isEqualTo("event_fee_update");
  }

  @Test
  void controlTrafficIsSkipped() {
    for (String f : List.of("subscribed.json", "unsubscribed.json", "ok_list.json", "ok_update.json", "error_market_not_found.json")) {
      assertThat(normalizer.normalize(fixture(f), 0, 0)).as(f).isInstanceOf(Normalized.Skipped.class);
    }
  }

  @Test
  void garbageIsRejectedWithAReason() {
    assertThat(rejected("malformed.txt").reason()).isEqualTo("malformed");
    assertThat(rejected("unknown_type.json").reason()).isEqualTo("unknown_type");
    assertThat(rejected("trade_without_ticker.json").reason()).isEqualTo("missing_field");
    Normalized.Rejected bad = rejected("orderbook_delta_bad_number.json");
    assertThat(bad.reason()).isEqualTo("bad_number");
    assertThat(bad.detail()).contains("price_dollars").contains("0.96x");
    assertThat(normalizer.normalize(new byte[] {(byte) 0xff, 0, 1}, 0, 0)).isInstanceOf(Normalized.Rejected.class);
    assertThat(normalizer.normalize("[1,2]".getBytes(StandardCharsets.UTF_8), 0, 0)).isInstanceOf(Normalized.Rejected.class);
  }

  private Normalized.Rejected rejected(String fixture) {
    Normalized n = normalizer.normalize(fixture(fixture), 0, 0);
    assertThat(n).as(fixture).isInstanceOf(Normalized.Rejected.class);
    return (Normalized.Rejected) n;
  }
}
