package io.ssmd.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssmd up} and {@code ssmd feed route} as a user runs them. */
@Timeout(120)
class CliProcessIT {
  @TempDir Path dir;

  @Test
  void upShowsLiveDataFromAllThreeVenuesAndStopsCleanly() throws Exception {
    Ssmd.Result r = Ssmd.run(dir, null, "up", "--duration", "8s", "--health-port", "0", "--status-interval", "1s",
        "--sim-ports", "0,0,0", "--gateway-port", "0", "--temporal-port", "0", "--exchanges-dir", Ssmd.REPO.resolve("exchanges").toString(),
        "--data-dir", dir.resolve("data").toString(), "--feeds-dir", Ssmd.REPO.resolve("exchanges/feeds").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("ssmd up: 3 simulated venues").contains("ssmd up: stopped");
    List<String> status = r.out().lines().filter(l -> l.startsWith("kalshi ")).toList();
    assertThat(status).hasSizeGreaterThanOrEqualTo(5);
    assertThat(status.get(status.size() - 1))
        .matches("kalshi [0-9,]+ msg/s conn 1/1 reconn 0 gaps 0 resyncs 0 \\| kraken [0-9,]+ msg/s conn 1/1 .* \\| polymarket .*");
    Matcher m = Pattern.compile("total published: (\\d+) \\(kalshi (\\d+), kraken (\\d+), polymarket (\\d+)\\)").matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    for (int g = 2; g <= 4; g++) {
      assertThat(Long.parseLong(m.group(g))).as("published by feed %d", g - 1).isGreaterThan(100);
    }
    List<String> log = Files.readAllLines(dir.resolve("data/logs/ssmd.log"));
    assertThat(log).anySatisfy(l -> assertThat(l).contains("\"msg\":\"connected to kalshi\"").contains("\"component\":\"up\""));
    assertThat(dir.resolve("data/sim/kalshi/private_key")).exists();
    // ssmd up archives what it captures: a finished file and a manifest per feed, lines = published
    Matcher a = Pattern.compile("archived: kalshi (\\d+), kraken (\\d+), polymarket (\\d+) line").matcher(r.out());
    assertThat(a.find()).as(r.out()).isTrue();
    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    for (String feed : List.of("kalshi", "kraken", "polymarket")) {
      Path day = dir.resolve("data").resolve(feed).resolve(today);
      assertThat(day.resolve("manifest.json")).exists();
      try (var files = Files.list(day)) {
        assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".jsonl.gz")).noneMatch(n -> n.endsWith(".tmp"));
      }
    }
    Ssmd.Result replay = Ssmd.run(dir, null, "data", "replay", "--date", today, "--root", dir.resolve("data").toString(), "--feed", "kraken");
    assertThat(replay.exit()).as(replay.err()).isZero();
    assertThat((long) replay.out().lines().count()).isEqualTo(Long.parseLong(a.group(2)));
    assertThat(String.join("\n", log)).doesNotContain("PRIVATE KEY");
  }

  @Test
  void feedRoutePrintsTheSubjectOfEachFrameOrWhyItIsNotPublished() throws Exception {
    Path frames = dir.resolve("frames.jsonl");
    Files.writeString(frames, String.join("\n",
        "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\",\"price\":97000.1,\"qty\":0.01,\"ord_type\":\"market\",\"trade_id\":42,\"timestamp\":\"2026-11-22T10:00:00.000000Z\"}]}",
        "{\"channel\":\"heartbeat\"}",
        "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"ETH/USD\",\"bids\":[],\"asks\":[{\"price\":3000.1,\"qty\":1.5}],\"checksum\":1,\"timestamp\":\"2026-11-22T10:00:00.000000Z\"}]}",
        "not json at all",
        ""));
    Ssmd.Result r = Ssmd.run(dir, frames, "feed", "route", "--feed", "kraken", "--env", "prod");
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> out = r.out().lines().toList();
    assertThat(out).hasSize(4);
    assertThat(out.subList(0, 3)).containsExactly(
        "prod.kraken.json.trade.BTC-USD", "not published: control (heartbeat)", "prod.kraken.json.orderbook.ETH-USD");
    assertThat(out.get(3)).startsWith("not published: malformed (");
    assertThat(r.err()).contains("2 published, 2 not published");

    Path kalshi = dir.resolve("kalshi.jsonl");
    Files.writeString(kalshi, String.join("\n",
        "{\"type\":\"trade\",\"sid\":2,\"msg\":{\"trade_id\":\"t1\",\"market_ticker\":\"KXBTCD-26NOV22-T95000\",\"yes_price_dollars\":\"0.4200\",\"count_fp\":\"3.00\",\"taker_side\":\"yes\",\"ts\":1795000000}}",
        "{\"type\":\"event_lifecycle\",\"sid\":9,\"msg\":{\"event_ticker\":\"KXBTCD-26NOV22\"}}",
        "{\"id\":1,\"type\":\"subscribed\",\"msg\":{\"channel\":\"trade\",\"sid\":2}}",
        "{\"id\":3,\"type\":\"error\",\"msg\":{\"code\":16,\"msg\":\"Market not found\"}}",
        ""));
    Ssmd.Result k = Ssmd.run(dir, kalshi, "feed", "route", "--feed", "kalshi");
    assertThat(k.exit()).as(k.err()).isZero();
    List<String> lines = k.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("prod.kalshi.json.trade.KXBTCD-26NOV22-T95000");
    assertThat(lines.get(1)).isEqualTo("prod.kalshi.json.event_lifecycle.KXBTCD-26NOV22");
    assertThat(lines.get(2)).startsWith("not published: control");
    assertThat(lines.get(3)).startsWith("not published: venue_error");
  }
}
