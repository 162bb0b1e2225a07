package io.ssmd.venue.kraken;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.connector.Routed;
import io.ssmd.sim.Fault;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kraken.KrakenSim;
import io.ssmd.sim.kraken.KrakenSimOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link KrakenSession} against the Kraken simulator over a real WebSocket, without the connector base. */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class KrakenSessionIT {
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final Journal journal = new Journal(2_000_000);
  private KrakenSim sim;
  private SimServer server;

  @BeforeEach
  void startSim() throws Exception {
    sim = new KrakenSim(KrakenSimOptions.defaults().withMarkets(12).withMessagesPerSecond(1500), journal, scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 16 * 1024 * 1024).start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    scheduler.shutdownNow();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  /** Waits until the journal stops growing (nothing subscribed any more). */
  static long settled(Journal journal) throws InterruptedException {
    long last = -1;
    while (journal.count() != last) {
      last = journal.count();
      Thread.sleep(300);
    }
    return last;
  }

  private static Map<String, Integer> multiset(List<String> keys) {
    Map<String, Integer> m = new HashMap<>();
    keys.forEach(k -> m.merge(k, 1, Integer::sum));
    return m;
  }

  @Test
  void routesEveryMessageExactlyOnceVerifiesEveryPairsChecksumAndHealsABadChecksum() throws Exception {
    List<String> symbols = sim.symbols();
    try (SessionDriver d = new SessionDriver(server.wsUri(), KrakenVenueOptions.defaults().withSymbolsPerRequest(5))) {
      d.onSessionThread(() -> d.session.subscribe(symbols));
      // every pair, including DOGE (7 price decimals) and the synthetic ones, verifies cleanly
      await("checksums verified on every pair", () -> d.session.integrity().checksumsVerified() > 2000);
      assertThat(d.session.integrity().checksumMismatches()).isZero();
      assertThat(d.published()).extracting(Routed.Publish::ticker).containsAll(symbols);

      long ethSnapshotsBefore = snapshots(d, "ETH/USD");
      sim.inject(Fault.of(Fault.Kind.BAD_CHECKSUM, "market", "ETH/USD"));
      await("resync of ETH/USD", () -> !d.ctx.resyncs.isEmpty());
      assertThat(d.ctx.resyncs).containsExactly("ETH/USD: checksum");
      await("fresh ETH/USD snapshot", () -> snapshots(d, "ETH/USD") > ethSnapshotsBefore);
      long verified = d.session.integrity().checksumsVerified();
      await("verifying after the resync", () -> d.session.integrity().checksumsVerified() > verified + 500);
      IntegrityStats stats = d.session.integrity();
      assertThat(stats.checksumMismatches()).isEqualTo(1);
      assertThat(stats.resyncs()).isEqualTo(1);
      // only the ETH/USD book was resubscribed: one snapshot per other pair
      for (String s : symbols) {
        assertThat(snapshots(d, s)).as(s).isEqualTo(s.equals("ETH/USD") ? 2 : 1);
      }
      assertThat(d.ctx.gaps).isEmpty();
      assertThat(d.ctx.venueErrors).isEmpty();
      assertThat(d.rejected()).isEmpty();

      d.onSessionThread(() -> d.session.unsubscribe(symbols));
      settled(journal);
      await("all journaled frames routed", () -> d.published().size() >= journal.entries().size());
      List<String> sent = journal.entries().stream().map(e -> e.type() + " " + e.ticker() + " " + e.text()).toList();
      List<String> routed = d.published().stream()
          .map(p -> p.type() + " " + p.ticker() + " " + new String(p.payload(), StandardCharsets.UTF_8)).toList();
      assertThat(multiset(routed)).isEqualTo(multiset(sent));
      // idle now: Kraken's heartbeat arrives and is control traffic
      await("heartbeat", () -> d.results.stream().anyMatch(r -> r.routed().equals(new Routed.Control("heartbeat"))));
      assertThat(d.results).extracting(r -> r.routed()).contains(new Routed.Control("status"), new Routed.Control("instrument"));
    }
  }

  @Test
  void deeperBooksStayTruncatedAndVerify() throws Exception {
    KrakenVenueOptions o = KrakenVenueOptions.defaults().withChannels(List.of("book")).withBookDepth(25);
    try (SessionDriver d = new SessionDriver(server.wsUri(), o)) {
      d.onSessionThread(() -> d.session.subscribe(List.of("BTC/USD", "XRP/USD", "SIM2/USD")));
      await("checksums verified", () -> d.session.integrity().checksumsVerified() > 1000);
      assertThat(d.session.integrity().checksumMismatches()).isZero();
      assertThat(d.published()).extracting(Routed.Publish::type).containsOnly("orderbook");
    }
  }

  @Test
  void answersItsOwnPingWithPongControl() throws Exception {
    try (SessionDriver d = new SessionDriver(server.wsUri(), KrakenVenueOptions.defaults())) {
      d.onSessionThread(() -> d.ctx.send(new KrakenVenue(KrakenVenueOptions.defaults()).keepAlive().textPing()));
      await("pong", () -> d.results.stream().anyMatch(r -> r.routed().equals(Routed.PONG)));
    }
  }

  private static long snapshots(SessionDriver d, String symbol) {
    return d.results.stream()
        .filter(r -> r.routed() instanceof Routed.Publish p && p.type().equals("orderbook") && p.ticker().equals(symbol))
        .filter(r -> r.frame().contains("\"type\":\"snapshot\""))
        .count();
  }
}
