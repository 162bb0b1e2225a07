package io.ssmd.venue.kraken;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.market.MarketEvent;
import io.ssmd.market.MarketEvent.BookDelta;
import io.ssmd.market.MarketEvent.BookSnapshot;
import io.ssmd.market.MarketEvent.Level;
import io.ssmd.market.MarketEvent.Quote;
import io.ssmd.market.MarketEvent.Side;
import io.ssmd.market.MarketEvent.Trade;
import io.ssmd.market.Normalized;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link KrakenNormalizer} against the recorded frames in {@code src/test/resources/kraken/}. */
class KrakenNormalizerTest {
  private final KrakenNormalizer normalizer = new KrakenNormalizer();

  static byte[] fixture(String name) {
    try (InputStream in = KrakenNormalizerTest.class.getResourceAsStream("/kraken/" + name)) {
      return in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new AssertionError("missing fixture " + name, e);
    }
  }

  private List<MarketEvent> events(String fixture) {
    Normalized n = normalizer.normalize(fixture(fixture), 5, 7);
    assertThat(n).as(fixture).isInstanceOf(Normalized.Events.class);
    return ((Normalized.Events) n).events();
  }

  @Test
  void everyTradeOfAMessageBecomesATradeWithItsId() {
    List<MarketEvent> e = events("trade_update_btc.json");
    assertThat(e).hasSize(2).allSatisfy(t -> assertThat(t.header().instrument()).isEqualTo("BTC/USD"));
    Trade t = (Trade) e.get(1);
    assertThat(t.tradeId()).isEqualTo("4665846");
    assertThat(t.price()).isEqualByComparingTo("45285.5");
    assertThat(t.size()).isEqualByComparingTo("0.0105");
    assertThat(t.aggressor()).isEqualTo(Side.BID);
    assertThat(t.header().exchangeTimeMicros()).isEqualTo(java.time.Instant.parse("2026-11-22T09:05:01.000001Z").toEpochMilli() * 1000 + 1);
    assertThat(((Trade) events("trade_update_btc_gap.json").get(0)).aggressor()).isEqualTo(Side.ASK);
    assertThat(events("trade_update_empty.json")).isEmpty();
  }

  @Test
  void tickerBecomesAQuote() {
    Quote q = (Quote) events("ticker_snapshot_eth.json").get(0);
    assertThat(q.header().instrument()).isEqualTo("ETH/USD");
    assertThat(q.bidPrice()).isEqualByComparingTo("3499.52");
    assertThat(q.bidSize()).isEqualByComparingTo("740");
    assertThat(q.askPrice()).isEqualByComparingTo("3499.6");
    assertThat(q.askSize()).isEqualByComparingTo("1.36144813");
    assertThat(q.lastPrice()).isEqualByComparingTo("3499.6");
  }

  @Test
  void snapshotKeepsTheChecksumWhichTheSharedCodeReproduces() {
    BookSnapshot s = (BookSnapshot) events("book_snapshot_btc.json").get(0);
    assertThat(s.bids()).hasSize(10);
    assertThat(s.bids().get(0).price()).isEqualByComparingTo("45283.5");
    assertThat(s.asks().get(0).price()).isEqualByComparingTo("45285.2");
    assertThat(s.checksum()).isEqualTo(2534201655L);
    assertThat(KrakenChecksum.of(s.bids(), s.asks(), 1, 8)).isEqualTo(2534201655L);
    // BTC/USD is price precision 1, qty precision 8: found from the checksum alone
    assertThat(KrakenChecksum.infer(s.bids(), s.asks(), s.checksum())).isEqualTo(new KrakenChecksum.Precision(1, 8));
  }

  @Test
  void updateBecomesOneDeltaPerLevelWithTheChecksumOnTheLast() {
    List<MarketEvent> e = events("book_update_btc.json");
    assertThat(e).hasSize(4).allSatisfy(x -> assertThat(((BookDelta) x).isIncrement()).isFalse());
    BookDelta first = (BookDelta) e.get(0);
    assertThat(first.side()).isEqualTo(Side.BID);
    assertThat(first.price()).isEqualByComparingTo("45284");
    assertThat(first.size()).isEqualByComparingTo("0.8");
    assertThat(first.checksum()).isNull();
    assertThat(((BookDelta) e.get(1)).size()).isEqualByComparingTo("0");
    BookDelta last = (BookDelta) e.get(3);
    assertThat(last.side()).isEqualTo(Side.ASK);
    assertThat(last.price()).isEqualByComparingTo("45286");
    assertThat(last.size()).isEqualByComparingTo("0.4");
    assertThat(last.checksum()).isEqualTo(3447466964L);
    assertThat(last.header().exchangeTimeMicros()).isPositive();
  }

  @Test
  void controlTrafficIsSkippedAndGarbageRejected() {
    for (String f : List.of("heartbeat.json", "status.json", "instrument_snapshot.json", "pong.json", "subscribe_ack_book.json",
        "subscribe_error_unknown_pair.json")) {
      assertThat(normalizer.normalize(fixture(f), 0, 0)).as(f).isInstanceOf(Normalized.Skipped.class);
    }
    assertThat(((Normalized.Rejected) normalizer.normalize(fixture("malformed.txt"), 0, 0)).reason()).isEqualTo("malformed");
    assertThat(((Normalized.Rejected) normalizer.normalize(fixture("ohlc_update.json"), 0, 0)).reason()).isEqualTo("unknown_type");
    // renamed fields: rejected with the missing one named, never a wrong number
    Normalized.Rejected changed = (Normalized.Rejected) normalizer.normalize(fixture("trade_update_btc_changed_fields.json"), 0, 0);
    assertThat(changed.reason()).isEqualTo("missing_field");
    assertThat(changed.detail()).contains("price");
    Normalized.Rejected noSymbol = (Normalized.Rejected) normalizer.normalize(
        "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"bids\":[]}]}".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, 0);
    assertThat(noSymbol.reason()).isEqualTo("missing_field");
  }

  @Test
  void inferReturnsNullWhenNoPrecisionMatches() {
    List<Level> bids = List.of(new Level(new BigDecimal("100.5"), BigDecimal.ONE));
    assertThat(KrakenChecksum.infer(bids, List.of(), 12345L)).isNull();
  }
}
