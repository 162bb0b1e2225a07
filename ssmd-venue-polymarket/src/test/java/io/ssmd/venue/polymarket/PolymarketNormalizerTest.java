package io.ssmd.venue.polymarket;

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
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PolymarketNormalizer} against the recorded frames in {@code src/test/resources/polymarket/}. */
class PolymarketNormalizerTest {
  private static final String ASSET1 = "48250162745331190247658103365716290317346882947121065831903852210497719433001";
  private static final String ASSET2 = "48250162745331190247658103365716290317346882947121065831903852210497719433002";
  private static final String MARKET = "0x7c1f3a9e5b2d4c6a8e0f1b3d5a7c9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d";
  private final PolymarketNormalizer normalizer = new PolymarketNormalizer();

  static byte[] fixture(String name) {
    try (InputStream in = PolymarketNormalizerTest.class.getResourceAsStream("/polymarket/" + name)) {
      return in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new AssertionError("missing fixture " + name, e);
    }
  }

  private List<MarketEvent> events(String fixture) {
    Normalized n = normalizer.normalize(fixture(fixture), 9, 3);
    assertThat(n).as(fixture).isInstanceOf(Normalized.Events.class);
    return ((Normalized.Events) n).events();
  }

  @Test
  void lastTradePriceBecomesATrade() {
    Trade t = (Trade) events("last_trade_price.json").get(0);
    assertThat(t.header().instrument()).isEqualTo(ASSET1);
    assertThat(t.header().exchangeTimeMicros()).isEqualTo(1763800000700_000L);
    assertThat(t.price()).isEqualByComparingTo("0.52");
    assertThat(t.size()).isEqualByComparingTo("219.217767");
    assertThat(t.aggressor()).isEqualTo(Side.BID);
    assertThat(t.tradeId()).startsWith("0x6c1d");
  }

  @Test
  void bestBidAskBecomesAQuote() {
    Quote q = (Quote) events("best_bid_ask.json").get(0);
    assertThat(q.bidPrice()).isEqualByComparingTo("0.5");
    assertThat(q.askPrice()).isEqualByComparingTo("0.52");
    assertThat(q.bidSize()).isNull();
    assertThat(q.lastPrice()).isNull();
  }

  @Test
  void priceChangeBecomesOneAggregateDeltaPerChange() {
    List<MarketEvent> e = events("price_change.json");
    assertThat(e).hasSize(2);
    BookDelta a = (BookDelta) e.get(0);
    assertThat(a.header().instrument()).isEqualTo(ASSET1);
    assertThat(a.side()).isEqualTo(Side.BID);
    assertThat(a.price()).isEqualByComparingTo("0.51");
    assertThat(a.size()).isEqualByComparingTo("100");
    assertThat(a.isIncrement()).isFalse();
    BookDelta b = (BookDelta) e.get(1);
    assertThat(b.header().instrument()).isEqualTo(ASSET2);
    assertThat(b.side()).isEqualTo(Side.ASK);
    List<MarketEvent> legacy = events("price_change_legacy.json");
    assertThat(legacy).hasSize(2).allSatisfy(x -> assertThat(x.header().instrument()).isEqualTo(ASSET1));
    assertThat(((BookDelta) legacy.get(1)).size()).isEqualByComparingTo("0");
  }

  @Test
  void bookBecomesASortedSnapshot() {
    BookSnapshot s = (BookSnapshot) events("book.json").get(0);
    assertThat(s.bids()).extracting(Level::price).usingElementComparator(BigDecimal::compareTo)
        .containsExactly(new BigDecimal("0.50"), new BigDecimal("0.49"), new BigDecimal("0.48"));
    assertThat(s.asks()).extracting(Level::price).usingElementComparator(BigDecimal::compareTo)
        .containsExactly(new BigDecimal("0.52"), new BigDecimal("0.53"), new BigDecimal("0.54"));
    BookSnapshot old = (BookSnapshot) events("book_buys_sells.json").get(0);
    assertThat(old.bids()).hasSize(1);
    assertThat(old.asks()).hasSize(1);
    assertThat(events("book_array.json")).hasSize(2).extracting(x -> x.header().instrument()).containsExactly(ASSET1, ASSET2);
  }

  @Test
  void lifecycleEventsNameEveryAssetOfTheMarket() {
    List<MarketEvent> created = events("new_market.json");
    assertThat(created).extracting(x -> x.header().instrument()).containsExactly(ASSET1, ASSET2);
    Lifecycle l = (Lifecycle) created.get(0);
    assertThat(l.event()).isEqualTo("new_market");
    assertThat(l.detail()).contains(MARKET).doesNotContain("event_message");
    assertThat(((Lifecycle) events("market_resolved.json").get(0)).detail()).contains("winning_asset_id");
    Lifecycle tick = (Lifecycle) events("tick_size_change.json").get(0);
    assertThat(tick.header().instrument()).isEqualTo(ASSET1);
    assertThat(tick.detail()).contains("\"new_tick_size\":\"0.001\"");
  }

  @Test
  void controlTrafficIsSkippedAndGarbageRejected() {
    assertThat(normalizer.normalize("PONG".getBytes(StandardCharsets.UTF_8), 0, 0)).isInstanceOf(Normalized.Skipped.class);
    assertThat(normalizer.normalize("[]".getBytes(StandardCharsets.UTF_8), 0, 0)).isInstanceOf(Normalized.Skipped.class);
    assertThat(((Normalized.Rejected) normalizer.normalize(fixture("unknown_type.json"), 0, 0)).reason()).isEqualTo("unknown_type");
    assertThat(((Normalized.Rejected) normalizer.normalize("{\"event_type\":\"book\"".getBytes(StandardCharsets.UTF_8), 0, 0)).reason())
        .isEqualTo("malformed");
    Normalized.Rejected bad = (Normalized.Rejected) normalizer.normalize(
        ("{\"event_type\":\"last_trade_price\",\"asset_id\":\"1\",\"price\":\"abc\",\"size\":\"1\",\"side\":\"BUY\"}").getBytes(StandardCharsets.UTF_8), 0, 0);
    assertThat(bad.reason()).isEqualTo("bad_number");
    assertThat(bad.detail()).contains("abc");
  }
}
