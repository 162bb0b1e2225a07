package io.ssmd.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.data.Archives.Msg;
import io.ssmd.transport.Delivered;
import io.ssmd.transport.Headers;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.memory.MemoryTransport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Replay} over archives written in the archiver's format. */
class ReplayTest {
  static final LocalDate DAY = LocalDate.parse("2026-03-14");
  static final long T0 = Replay.micros(Instant.parse("2026-03-14T14:00:00Z"));
  static final String BTC_TRADE = "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\",\"price\":45285.2,\"qty\":0.001,\"ord_type\":\"market\",\"trade_id\":1,\"timestamp\":\"2026-03-14T14:00:00.000001Z\"}]}";
  static final String ETH_TICKER = "{\"channel\":\"ticker\",\"type\":\"update\",\"data\":[{\"symbol\":\"ETH/USD\",\"bid\":3499.52,\"bid_qty\":740.0,\"ask\":3499.6,\"ask_qty\":1.5,\"last\":3499.6}]}";
  static final String BTC_BOOK = "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[{\"price\":45284,\"qty\":0.8}],\"asks\":[],\"checksum\":1}]}";
  static final String ASSET = "4825016274533119024765810336571629031734688294712106583190385221049771943300";
  static final String PM_TRADE = "{\"asset_id\":\"" + ASSET + "1\",\"event_type\":\"last_trade_price\",\"market\":\"0xabc\",\"price\":\"0.52\",\"side\":\"BUY\",\"size\":\"10\",\"timestamp\":\"1763800000700\"}";
  static final String PM_CHANGE = "{\"market\":\"0xabc\",\"price_changes\":[{\"asset_id\":\"" + ASSET + "1\",\"price\":\"0.51\",\"size\":\"100\",\"side\":\"BUY\"},{\"asset_id\":\"" + ASSET + "2\",\"price\":\"0.49\",\"size\":\"5\",\"side\":\"SELL\"}],\"timestamp\":\"1763800000300\",\"event_type\":\"price_change\"}";

  @TempDir Path root;
  final List<Msg> kraken = new ArrayList<>();
  final List<Msg> polymarket = new ArrayList<>();

  @BeforeEach
  void archive() throws Exception {
    kraken.add(new Msg(BTC_TRADE, T0 + 1_000, 1));
    kraken.add(new Msg(ETH_TICKER, T0 + 3_000, 2));
    Archives.write(root, "kraken", DAY, "1400.jsonl.gz", List.copyOf(kraken));
    List<Msg> second = List.of(new Msg(BTC_BOOK, T0 + 61_000_000, 3), new Msg("not json at all", T0 + 62_000_000, 4));
    kraken.addAll(second);
    Archives.write(root, "kraken", DAY, "1401.jsonl.gz", second);
    polymarket.add(new Msg(PM_TRADE, T0 + 2_000, 10));
    polymarket.add(new Msg(PM_CHANGE, T0 + 61_500_000, 11));
    Archives.write(root, "polymarket", DAY, "1400.jsonl.gz", polymarket);
  }

  private String replay(Replay.Options o) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Replay.Summary s = Replay.run(o, out);
    assertThat(s.problems()).isEmpty();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static List<String> lines(String s) {
    return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n", -1)).subList(0, s.split("\n", -1).length - 1);
  }

  @Test
  void rawReplayGivesTheCapturedBytesInFileAndLineOrder() throws Exception {
    String out = replay(Replay.Options.of(root, DAY, List.of("kraken")));
    assertThat(lines(out)).containsExactly(BTC_TRADE, ETH_TICKER, BTC_BOOK, "not json at all");
  }

  @Test
  void feedsAreMergedByReceiveTime() throws Exception {
    String out = replay(Replay.Options.of(root, DAY, List.of("kraken", "polymarket")));
    assertThat(lines(out)).containsExactly(BTC_TRADE, PM_TRADE, ETH_TICKER, BTC_BOOK, PM_CHANGE, "not json at all");
  }

  @Test
  void filtersBySymbolAndReceiveWindow() throws Exception {
    assertThat(lines(replay(Replay.Options.of(root, DAY, List.of("kraken")).withSymbol("BTC/USD")))).containsExactly(BTC_TRADE, BTC_BOOK);
    // the subject token spelling selects the same pair
    assertThat(lines(replay(Replay.Options.of(root, DAY, List.of("kraken")).withSymbol("BTC-USD")))).containsExactly(BTC_TRADE, BTC_BOOK);
    // a Polymarket asset id selects the frames that carry it (the routing ticker is the market)
    assertThat(lines(replay(Replay.Options.of(root, DAY, List.of("polymarket")).withSymbol(ASSET + "2")))).containsExactly(PM_CHANGE);
    assertThat(lines(replay(Replay.Options.of(root, DAY, List.of("polymarket")).withSymbol("0xabc")))).containsExactly(PM_TRADE, PM_CHANGE);
    Instant from = BookRebuilder.instant(T0 + 3_000);
    Instant to = BookRebuilder.instant(T0 + 61_000_000);
    assertThat(lines(replay(Replay.Options.of(root, DAY, List.of("kraken", "polymarket")).withWindow(from, to))))
        .containsExactly(ETH_TICKER);
  }

  @Test
  void normalizedReplayWritesOneStableShapeWithPricesAsStrings() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Replay.Summary s = Replay.run(Replay.Options.of(root, DAY, List.of("kraken", "polymarket")).withNormalized(true), out);
    List<String> lines = lines(out.toString(StandardCharsets.UTF_8));
    ObjectMapper m = new ObjectMapper();
    List<JsonNode> nodes = new ArrayList<>();
    for (String l : lines) {
      nodes.add(m.readTree(l));
    }
    assertThat(nodes).extracting(n -> n.get("kind").asText())
        .containsExactly("trade", "trade", "quote", "book_delta", "book_delta", "book_delta");
    JsonNode trade = nodes.get(0);
    assertThat(trade.get("feed").asText()).isEqualTo("kraken");
    assertThat(trade.get("instrument").asText()).isEqualTo("BTC/USD");
    assertThat(trade.get("price").isTextual()).isTrue();
    assertThat(trade.get("price").asText()).isEqualTo("45285.2");
    assertThat(trade.get("received_ts").asLong()).isEqualTo(T0 + 1_000);
    assertThat(trade.get("nats_seq").asLong()).isEqualTo(1);
    assertThat(trade.get("exchange_ts").asLong()).isPositive();
    assertThat(trade.get("aggressor").asText()).isEqualTo("bid");
    assertThat(new java.math.BigDecimal(nodes.get(2).get("bid_size").asText())).isEqualByComparingTo("740");
    assertThat(nodes.get(3).get("checksum").asLong()).isEqualTo(1);
    assertThat(nodes.get(3).has("sequence")).isTrue();
    assertThat(s.framesEmitted()).isEqualTo(5);
    assertThat(s.eventsWritten()).isEqualTo(6);
    assertThat(s.rejected()).containsEntry("malformed", 1L);
    assertThat(s.linesRead()).isEqualTo(6);
  }

  @Test
  void normalizedReplayOfOneAssetKeepsOnlyItsEvents() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Replay.run(Replay.Options.of(root, DAY, List.of("polymarket")).withSymbol(ASSET + "2").withNormalized(true), out);
    List<String> lines = lines(out.toString(StandardCharsets.UTF_8));
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("\"instrument\":\"" + ASSET + "2\"").contains("\"side\":\"ask\"");
  }

  @Test
  void damagedFilesAreReportedAtTheEndWithoutStoppingTheReplay() throws Exception {
    Path day = root.resolve("kraken").resolve(DAY.toString());
    byte[] good = Files.readAllBytes(day.resolve("1401.jsonl.gz"));
    Files.write(day.resolve("1401.jsonl.gz"), Arrays.copyOf(good, good.length - 12)); // truncated
    Files.writeString(day.resolve("1402.jsonl.gz"), "this is not gzip");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Replay.Summary s = Replay.run(Replay.Options.of(root, DAY, List.of("kraken", "polymarket")), out);
    assertThat(lines(out.toString(StandardCharsets.UTF_8))).startsWith(BTC_TRADE, PM_TRADE, ETH_TICKER).contains(PM_CHANGE);
    assertThat(s.problems()).hasSize(2);
    assertThat(s.problems().get(0)).startsWith("kraken/2026-03-14/1401.jsonl.gz");
    assertThat(s.problems().get(1)).startsWith("kraken/2026-03-14/1402.jsonl.gz").contains("not a gzip file");
  }

  @Test
  void speedPacesByReceiveTimeDifferences() throws Exception {
    List<Msg> paced = List.of(new Msg(BTC_TRADE, T0, 1), new Msg(BTC_TRADE, T0 + 200_000, 2), new Msg(BTC_TRADE, T0 + 400_000, 3));
    Archives.write(root, "kalshi", DAY, "1400.jsonl.gz", paced);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Replay.Summary s = Replay.run(Replay.Options.of(root, DAY, List.of("kalshi")).withSpeed(2), out);
    // 400 ms of capture at 2x takes 200 ms
    assertThat(s.elapsed()).isBetween(Duration.ofMillis(190), Duration.ofMillis(2000));
    assertThat(s.framesEmitted()).isEqualTo(3);
    Replay.Summary fast = Replay.run(Replay.Options.of(root, DAY, List.of("kalshi")), new ByteArrayOutputStream());
    assertThat(fast.elapsed()).isLessThan(Duration.ofMillis(190));
  }

  @Test
  void replayOntoATransportRoutesLikeTheConnectorWithReplayMessageIds() throws Exception {
    List<Delivered> got = new CopyOnWriteArrayList<>();
    try (MemoryTransport t = MemoryTransport.start(PublishListener.NONE)) {
      Replay.Summary s = Replay.run(Replay.Options.of(root, DAY, List.of("kraken")), t, "prod", Duration.ofSeconds(5));
      AutoCloseable sub = t.subscribe("prod.>", got::add);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (got.size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      sub.close();
      assertThat(s.framesEmitted()).isEqualTo(3);
      assertThat(s.unroutable()).isEqualTo(1); // the non-JSON line: the venue would not publish it
    }
    assertThat(got).extracting(Delivered::subject)
        .containsExactly("prod.kraken.json.trade.BTC-USD", "prod.kraken.json.ticker.ETH-USD", "prod.kraken.json.orderbook.BTC-USD");
    assertThat(got.get(0).headers()).containsEntry(Headers.MSG_ID, "replay-kraken-1");
    assertThat(got.get(0).headers()).containsEntry(Headers.RECEIVED_AT, String.valueOf((T0 + 1_000) * 1000));
    assertThat(new String(got.get(2).payload(), StandardCharsets.UTF_8)).isEqualTo(BTC_BOOK);
  }

  @Test
  void badOptionsNameEveryProblem() {
    assertThatThrownBy(() -> new Replay.Options(root, null, List.of("kraken", "bitmex"), " ", Instant.EPOCH, Instant.EPOCH, -1, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("date is required")
        .hasMessageContaining("unknown feed 'bitmex'")
        .hasMessageContaining("speed must be")
        .hasMessageContaining("must be before")
        .hasMessageContaining("symbol must not be blank");
  }

  @Test
  void aMissingDayReplaysNothing() throws Exception {
    Replay.Summary s = Replay.run(Replay.Options.of(root, DAY.plusDays(1), List.of("kraken")), new ByteArrayOutputStream());
    assertThat(s.linesRead()).isZero();
  }
}
