package io.ssmd.secmaster.kraken;

import io.ssmd.secmaster.VenueHttp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.EmbeddedDatabase;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kraken.KrakenSim;
import io.ssmd.sim.kraken.KrakenSimOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link KrakenSync} against the Kraken simulator's {@code AssetPairs} and a real PostgreSQL. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KrakenSimSyncIT {

  private static final int PAIRS = 500;

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private Database database;
  private SimServer server;
  private KrakenSim sim;

  @BeforeEach
  void start() throws Exception {
    database = Database.embedded(EmbeddedDatabase.start());
    sim = new KrakenSim(KrakenSimOptions.defaults().withMessagesPerSecond(0).withReferencePairs(PAIRS), new Journal(10_000), scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 16 << 20).start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    scheduler.shutdownNow();
    database.close();
  }

  private KrakenSync sync() {
    return new KrakenSync(database.dataSource(), server.httpUri(),
        new KrakenSync.Options(Duration.ZERO, 4, Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(10)));
  }

  @Test
  void syncsEveryPairUnderItsV2SymbolAndAResyncWritesNothing() throws Exception {
    KrakenSyncReport first = sync().sync();

    assertThat(first.rejected()).isEmpty();
    assertThat(first.pairs()).isEqualTo(new KrakenSyncReport.Counts(PAIRS, 0, 0, 0));
    try (Connection c = database.connection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT symbol, rest_name, wsname, price_precision, qty_precision FROM kraken_pairs"
            + " WHERE symbol IN ('BTC/USD', 'DOGE/USD') ORDER BY symbol")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("rest_name")).isEqualTo("XXBTZUSD");
      assertThat(rs.getString("wsname")).isEqualTo("XBT/USD");
      assertThat(rs.getInt("price_precision")).isEqualTo(1);
      assertThat(rs.getInt("qty_precision")).isEqualTo(8);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("rest_name")).isEqualTo("XDGUSD");
      assertThat(rs.getString("wsname")).isEqualTo("XDG/USD");
    }

    assertThat(sync().sync().pairs()).isEqualTo(new KrakenSyncReport.Counts(0, 0, PAIRS, 0));

    sim.setPairStatus("SOL/USD", "cancel_only");
    KrakenSyncReport changed = sync().sync();
    assertThat(changed.pairs()).isEqualTo(new KrakenSyncReport.Counts(0, 1, PAIRS - 1, 0));
    try (Connection c = database.connection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT kind, ticker FROM change_events WHERE feed = 'kraken' AND kind = 'CHANGED'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(2)).isEqualTo("SOL/USD");
      assertThat(rs.next()).isFalse();
    }
  }

  /** The {@code instrument} snapshot frame, read from the simulator's WS v2 endpoint. */
  private com.fasterxml.jackson.databind.JsonNode instrumentSnapshot() throws Exception {
    java.util.concurrent.CompletableFuture<String> snapshot = new java.util.concurrent.CompletableFuture<>();
    StringBuilder partial = new StringBuilder();
    java.net.http.WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(server.wsUri(), new java.net.http.WebSocket.Listener() {
          @Override
          public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              String frame = partial.toString();
              partial.setLength(0);
              if (frame.contains("\"channel\":\"instrument\"") && frame.contains("\"type\":\"snapshot\"")) {
                snapshot.complete(frame);
              }
            }
            w.request(1);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    try {
      ws.sendText("{\"method\":\"subscribe\",\"params\":{\"channel\":\"instrument\"}}", true).get(5, TimeUnit.SECONDS);
      return VenueHttp.JSON.readTree(snapshot.get(20, TimeUnit.SECONDS));
    } finally {
      ws.abort();
    }
  }

  @Test
  void instrumentChannelPairsAgreeWithRestSoTheOverlayChangesNothing() throws Exception {
    sync().sync();
    java.util.List<KrakenInstrumentPair> ws = KrakenInstrumentPair.fromFrame(instrumentSnapshot());
    assertThat(ws).hasSize(PAIRS);

    KrakenSyncReport overlaid = sync().sync(ws);

    // REST precisions and rules mapped to v2 must equal what the instrument channel announces
    assertThat(overlaid.pairs()).isEqualTo(new KrakenSyncReport.Counts(0, 0, PAIRS, 0));
  }

  @Test
  void retriesTheSimulatorsRateLimitAndServerErrors() throws Exception {
    sim.failNextRequests(1, 429);
    sim.failNextRequests(1, 502);

    KrakenSyncReport report = sync().sync();

    assertThat(report.retries()).isEqualTo(2);
    assertThat(report.pairs().inserted()).isEqualTo(PAIRS);
  }
}
