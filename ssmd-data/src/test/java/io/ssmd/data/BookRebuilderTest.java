package io.ssmd.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ssmd.data.Archives.Msg;
import io.ssmd.data.BookRebuilder.Result;
import io.ssmd.data.BookRebuilder.Verdict;
import io.ssmd.market.MarketEvent.Level;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BookRebuilder} on hand-written Kalshi and Polymarket archives. */
class BookRebuilderTest {
  static final LocalDate DAY = LocalDate.parse("2026-03-14");
  static final long T0 = Replay.micros(Instant.parse("2026-03-14T14:03:12Z"));
  static final String ASSET = "71321045679252212594626385532706912750332728571942532289631379312455583992563";

  @TempDir Path root;

  static String snap(long sid, long seq, String market, String yes, String no) {
    return "{\"type\":\"orderbook_snapshot\",\"sid\":" + sid + ",\"seq\":" + seq + ",\"msg\":{\"market_ticker\":\"" + market
        + "\",\"yes_dollars_fp\":" + yes + ",\"no_dollars_fp\":" + no + "}}";
  }

  static String delta(long sid, long seq, String market, String price, String delta, String side) {
    return "{\"type\":\"orderbook_delta\",\"sid\":" + sid + ",\"seq\":" + seq + ",\"msg\":{\"market_ticker\":\"" + market
        + "\",\"price_dollars\":\"" + price + "\",\"delta_fp\":\"" + delta + "\",\"side\":\"" + side + "\"}}";
  }

  static Instant at(long micros) {
    return BookRebuilder.instant(micros);
  }

  private static List<String> levels(List<Level> l) {
    return l.stream().map(x -> x.price().stripTrailingZeros().toPlainString() + "x" + x.size().stripTrailingZeros().toPlainString()).toList();
  }

  private void kalshiDay() throws Exception {
    Archives.write(root, "kalshi", DAY, "1400.jsonl.gz", List.of(
        new Msg(snap(4, 1, "KX-A", "[[\"0.4000\",\"10.00\"],[\"0.4200\",\"5.00\"]]", "[[\"0.5500\",\"7.00\"]]"), T0, 1),
        new Msg(delta(4, 2, "KX-A", "0.4200", "3.00", "yes"), T0 + 100_000, 2),
        new Msg(delta(4, 3, "KX-B", "0.1000", "1.00", "yes"), T0 + 110_000, 3),
        new Msg("{\"type\":\"ticker\",\"sid\":2,\"msg\":{\"market_ticker\":\"KX-A\",\"price_dollars\":\"0.4300\"}}", T0 + 115_000, 4),
        new Msg(delta(4, 4, "KX-A", "0.5500", "-7.00", "no"), T0 + 120_000, 5),
        // seq 5 and 6 on sid 4 were lost (e.g. a line removed from the archive)
        new Msg(delta(4, 7, "KX-B", "0.1100", "1.00", "yes"), T0 + 123_000, 8),
        new Msg(delta(4, 8, "KX-A", "0.4000", "-10.00", "yes"), T0 + 200_000, 9),
        new Msg(snap(4, 9, "KX-A", "[[\"0.4100\",\"2.00\"]]", "[[\"0.5000\",\"1.00\"]]"), T0 + 500_000, 10),
        new Msg(delta(4, 10, "KX-A", "0.4100", "1.50", "yes"), T0 + 600_000, 11)));
  }

  @Test
  void kalshiBookIsSnapshotPlusDeltasWithNoBidsAsAsks() throws Exception {
    kalshiDay();
    Result r = BookRebuilder.rebuild(BookRebuilder.Options.of(root, "kalshi", "KX-A", DAY, at(T0 + 120_000)));
    assertThat(levels(r.bids())).containsExactly("0.42x8", "0.4x10");
    assertThat(r.asks()).isEmpty(); // the only NO bid (0.55, an ask at 0.45) was taken away
    assertThat(r.verdict()).isEqualTo(Verdict.VERIFIED);
    assertThat(r.verdictDetail()).contains("seq contiguous on sid 4").contains("to seq 4");
    assertThat(r.messagesApplied()).isEqualTo(3);
    assertThat(r.lastAppliedNatsSeq()).isEqualTo(5);
    assertThat(r.unverifiable()).isEmpty();
  }

  @Test
  void kalshiSeqGapOnTheMarketsSidBreaksTheBookUntilItsNextSnapshot() throws Exception {
    kalshiDay();
    Result broken = BookRebuilder.rebuild(BookRebuilder.Options.of(root, "kalshi", "KX-A", DAY, at(T0 + 300_000)));
    assertThat(broken.verdict()).isEqualTo(Verdict.BROKEN);
    assertThat(broken.unverifiable()).hasSize(1);
    assertThat(broken.unverifiable().get(0).toString()).isEqualTo("seq gap on sid 4 after seq 4 at 14:03:12.123; not resynced");
    // the delta after the gap is not applied: the book is what it was before it
    assertThat(levels(broken.bids())).containsExactly("0.42x8", "0.4x10");

    Result healed = BookRebuilder.rebuild(BookRebuilder.Options.of(root, "kalshi", "KX-A", DAY, at(T0 + 600_000)));
    assertThat(healed.verdict()).isEqualTo(Verdict.VERIFIED);
    assertThat(levels(healed.bids())).containsExactly("0.41x3.5");
    assertThat(levels(healed.asks())).containsExactly("0.5x1");
    assertThat(healed.unverifiable()).extracting(Object::toString)
        .containsExactly("seq gap on sid 4 after seq 4 at 14:03:12.123; resynced by snapshot at 14:03:12.500");
  }

  @Test
  void noSnapshotBeforeTheMomentIsUnverifiedAndEmpty() throws Exception {
    kalshiDay();
    Result r = BookRebuilder.rebuild(BookRebuilder.Options.of(root, "kalshi", "KX-A", DAY, at(T0 - 1)));
    assertThat(r.verdict()).isEqualTo(Verdict.UNVERIFIED);
    assertThat(r.verdictDetail()).contains("no book snapshot for KX-A");
    assertThat(r.bids()).isEmpty();
  }

  private void polymarketDay() throws Exception {
    String m = "0xabc";
    Archives.write(root, "polymarket", DAY, "1400.jsonl.gz", List.of(
        new Msg("{\"event_type\":\"book\",\"asset_id\":\"" + ASSET + "\",\"market\":\"" + m
            + "\",\"bids\":[{\"price\":\".48\",\"size\":\"30\"},{\"price\":\".50\",\"size\":\"15\"}],\"asks\":[{\"price\":\".52\",\"size\":\"25\"}],\"timestamp\":\"1\"}",
            T0, 1),
        new Msg("{\"market\":\"" + m + "\",\"price_changes\":[{\"asset_id\":\"" + ASSET
            + "\",\"price\":\"0.51\",\"size\":\"100\",\"side\":\"BUY\",\"best_bid\":\"0.51\",\"best_ask\":\"0.52\"}],\"event_type\":\"price_change\"}",
            T0 + 100_000, 2),
        new Msg("{\"event_type\":\"best_bid_ask\",\"market\":\"" + m + "\",\"asset_id\":\"" + ASSET
            + "\",\"best_bid\":\"0.5\",\"best_ask\":\"0.52\"}", T0 + 200_000, 3),
        new Msg("{\"market\":\"" + m + "\",\"price_changes\":[{\"asset_id\":\"" + ASSET
            + "\",\"price\":\"0.53\",\"size\":\"4\",\"side\":\"SELL\",\"best_bid\":\"0.51\",\"best_ask\":\"0.52\"}],\"event_type\":\"price_change\"}",
            T0 + 300_000, 4),
        new Msg("{\"event_type\":\"book\",\"asset_id\":\"" + ASSET + "\",\"market\":\"" + m
            + "\",\"bids\":[{\"price\":\".49\",\"size\":\"1\"}],\"asks\":[],\"timestamp\":\"2\"}", T0 + 400_000, 5)));
  }

  @Test
  void polymarketPriceChangesSetAggregatesAndBestPricesVerifyThem() throws Exception {
    polymarketDay();
    Result r = BookRebuilder.rebuild(BookRebuilder.Options.of(root, "polymarket", ASSET, DAY, at(T0 + 100_000)));
    assertThat(r.verdict()).isEqualTo(Verdict.VERIFIED);
    assertThat(levels(r.bids())).containsExactly("0.51x100", "0.5x15", "0.48x30");
    assertThat(levels(r.asks())).containsExactly("0.52x25");
  }

  @Test
  void polymarketBestBidAskDisagreementBreaksTheBookUntilTheNextBook() throws Exception {
    polymarketDay();
    Result r = BookRebuilder.rebuild(BookRebuilder.Options.of(root, "polymarket", ASSET, DAY, at(T0 + 300_000)));
    assertThat(r.verdict()).isEqualTo(Verdict.BROKEN);
    assertThat(r.verdictDetail()).contains("best bid/ask mismatch (venue 0.5/0.52, rebuilt 0.51/0.52");
    Result healed = BookRebuilder.rebuild(BookRebuilder.Options.of(root, "polymarket", ASSET, DAY, at(T0 + 400_000)));
    assertThat(healed.verdict()).isEqualTo(Verdict.VERIFIED);
    assertThat(levels(healed.bids())).containsExactly("0.49x1");
    assertThat(healed.unverifiable()).extracting(Object::toString).singleElement().asString()
        .contains("at 14:03:12.200; resynced by book at 14:03:12.400");
  }

  @Test
  void resultIsWrittenAsJson() throws Exception {
    kalshiDay();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BookRebuilder.run(BookRebuilder.Options.of(root, "kalshi", "KX-A", DAY, at(T0 + 600_000)), out);
    String json = out.toString(StandardCharsets.UTF_8);
    assertThat(json).contains("\"verdict\" : \"VERIFIED\"").contains("\"0.4100\"").contains("resynced by snapshot");
    assertThat(new BigDecimal("0.4100")).isEqualByComparingTo("0.41");
  }

  @Test
  void badOptionsNameEveryProblem() {
    assertThatThrownBy(() -> new BookRebuilder.Options(root, "nyse", "", DAY, null, 0, null))
        .hasMessageContaining("feed must be one of").hasMessageContaining("symbol is required")
        .hasMessageContaining("at is required").hasMessageContaining("depth must be >= 1");
  }
}
