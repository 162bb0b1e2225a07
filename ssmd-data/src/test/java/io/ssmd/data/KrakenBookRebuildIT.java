package io.ssmd.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.connector.VenueSession;
import io.ssmd.data.Archives.Msg;
import io.ssmd.data.BookRebuilder.Result;
import io.ssmd.data.BookRebuilder.Verdict;
import io.ssmd.sim.Fault;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kraken.KrakenSim;
import io.ssmd.sim.kraken.KrakenSimOptions;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Book rebuild on Kraken frames captured from {@link KrakenSim} over a real WebSocket (a plain
 * client that never resubscribes, so a bad checksum or a lost line stays visible in the archive).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KrakenBookRebuildIT {
  private static final List<Msg> captured = new ArrayList<>();
  private static long badChecksumMicros;
  private static LocalDate day;

  @TempDir Path root;

  @BeforeAll
  static void capture() throws Exception {
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    KrakenSim sim = new KrakenSim(KrakenSimOptions.defaults().withMarkets(4).withMessagesPerSecond(800), new Journal(0), scheduler);
    List<String> frames = new CopyOnWriteArrayList<>();
    List<Long> times = new CopyOnWriteArrayList<>();
    try (SimServer server = new SimServer(sim, "127.0.0.1", 0, 16 * 1024 * 1024).start()) {
      StringBuilder partial = new StringBuilder();
      WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(server.wsUri(), new WebSocket.Listener() {
        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
          partial.append(data);
          if (last) {
            times.add(Replay.micros(Instant.now()));
            frames.add(partial.toString());
            partial.setLength(0);
          }
          w.request(1);
          return null;
        }
      }).get(5, TimeUnit.SECONDS);
      ws.sendText("{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"BTC/USD\",\"ETH/USD\"],\"depth\":10,\"snapshot\":true},\"req_id\":1}", true).join();
      ws.sendText("{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":[\"BTC/USD\"]},\"req_id\":2}", true).join();
      Thread.sleep(1500);
      badChecksumMicros = Replay.micros(Instant.now());
      sim.inject(Fault.of(Fault.Kind.BAD_CHECKSUM, "market", "ETH/USD"));
      Thread.sleep(1500);
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    } finally {
      scheduler.shutdownNow();
    }
    // archive what the connector would publish, with a unique receive time per line
    VenueSession router = Feeds.router("kraken");
    long last = 0;
    long seq = 0;
    for (int i = 0; i < frames.size(); i++) {
      byte[] f = frames.get(i).getBytes(StandardCharsets.UTF_8);
      if (Feeds.route(router, f) != null) {
        last = Math.max(last + 1, times.get(i));
        captured.add(new Msg(frames.get(i), last, ++seq));
      }
    }
    day = BookRebuilder.instant(captured.get(0).receivedAtMicros()).atZone(ZoneOffset.UTC).toLocalDate();
  }

  @AfterAll
  static void clear() {
    captured.clear();
  }

  private void archive(List<Msg> msgs) throws Exception {
    int half = msgs.size() / 2;
    Archives.write(root, "kraken", day, "0000.jsonl.gz", msgs.subList(0, half));
    Archives.write(root, "kraken", day, "0001.jsonl.gz", msgs.subList(half, msgs.size()));
  }

  private Result rebuild(String symbol, long atMicros) throws Exception {
    return BookRebuilder.rebuild(BookRebuilder.Options.of(root, "kraken", symbol, day, BookRebuilder.instant(atMicros)));
  }

  private static long end() {
    return captured.get(captured.size() - 1).receivedAtMicros();
  }

  private static boolean isBook(Msg m, String symbol) {
    return m.frame().contains("\"channel\":\"book\"") && m.frame().contains("\"symbol\":\"" + symbol + "\"");
  }

  @Test
  void everyBookOfTheCaptureVerifiesByChecksum() throws Exception {
    archive(captured);
    Result btc = rebuild("BTC/USD", end());
    assertThat(btc.verdict()).as(btc.verdictDetail()).isEqualTo(Verdict.VERIFIED);
    assertThat(btc.unverifiable()).isEmpty();
    assertThat(btc.problems()).isEmpty();
    assertThat(btc.bids()).hasSize(10);
    assertThat(btc.asks()).hasSize(10);
    assertThat(btc.bids().get(0).price()).isLessThan(btc.asks().get(0).price());
    long bookMessages = captured.stream().filter(m -> isBook(m, "BTC/USD")).count();
    assertThat(btc.messagesApplied()).isEqualTo(bookMessages).isGreaterThan(50);
    // the subject spelling of the pair works too
    assertThat(rebuild("BTC-USD", end()).verdict()).isEqualTo(Verdict.VERIFIED);
  }

  @Test
  void aBadChecksumIsReportedWhereItHappened() throws Exception {
    archive(captured);
    Result eth = rebuild("ETH/USD", end());
    // the simulator's book stayed right, so the next update's checksum matches again
    assertThat(eth.unverifiable()).hasSize(1);
    BookRebuilder.Unverifiable u = eth.unverifiable().get(0);
    assertThat(u.cause()).startsWith("checksum mismatch (venue ");
    assertThat(u.fromMicros()).isGreaterThanOrEqualTo(badChecksumMicros);
    assertThat(u.resolution()).isEqualTo("checksum matches again");
    assertThat(eth.verdict()).isEqualTo(Verdict.VERIFIED);
    Result atTheBadMessage = rebuild("ETH/USD", u.fromMicros());
    assertThat(atTheBadMessage.verdict()).isEqualTo(Verdict.BROKEN);
    assertThat(atTheBadMessage.verdictDetail()).contains("checksum mismatch").contains("not resynced by");
    // BTC/USD was not touched by the fault
    assertThat(rebuild("BTC/USD", end()).unverifiable()).isEmpty();
  }

  @Test
  void aRemovedLineMakesTheBookUnverifiableFromTheNextMessage() throws Exception {
    List<Msg> damaged = new ArrayList<>(captured);
    int removed = -1;
    for (int i = damaged.size() / 3; i < damaged.size(); i++) {
      if (isBook(damaged.get(i), "BTC/USD") && damaged.get(i).frame().contains("\"type\":\"update\"")) {
        removed = i;
        break;
      }
    }
    assertThat(removed).isPositive();
    damaged.remove(removed);
    Msg next = damaged.stream().skip(removed).filter(m -> isBook(m, "BTC/USD")).findFirst().orElseThrow();
    archive(damaged);
    Result atNext = rebuild("BTC/USD", next.receivedAtMicros());
    assertThat(atNext.verdict()).isEqualTo(Verdict.BROKEN);
    assertThat(atNext.verdictDetail()).contains("checksum mismatch").contains("nats seq " + next.natsSeq());
    Result atEnd = rebuild("BTC/USD", end());
    assertThat(atEnd.unverifiable()).isNotEmpty();
    assertThat(atEnd.unverifiable().get(0).fromMicros()).isEqualTo(next.receivedAtMicros());
  }

  @Test
  void replayGivesBackTheCapturedFramesInOrder() throws Exception {
    archive(captured);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Replay.Summary s = Replay.run(Replay.Options.of(root, day, List.of("kraken")), out);
    assertThat(s.framesEmitted()).isEqualTo(captured.size());
    String expected = String.join("\n", captured.stream().map(Msg::frame).toList()) + "\n";
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
  }
}
