package io.ssmd.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kalshi.KalshiAuth;
import io.ssmd.sim.kalshi.KalshiSim;
import io.ssmd.sim.kalshi.KalshiSimOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssmd secmaster sync|list|show} as a process, against the Kalshi simulator's REST API and an embedded PostgreSQL. */
@Timeout(120)
class SecmasterProcessIT {
  @TempDir Path dir;

  @Test
  void syncsTheVenueThenListsAndShowsAndAResyncChangesNothing() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    KalshiAuth.DevKey key = KalshiAuth.generate();
    KalshiSim sim = new KalshiSim(KalshiSimOptions.defaults(Map.of(key.keyId(), key.publicKey())).withMarkets(10)
        .withReferenceMarkets(2_000), new Journal(0), scheduler);
    try (SimServer server = new SimServer(sim, "127.0.0.1", 0, 1 << 20).start()) {
      Path env = dir.resolve("kalshi-sm.yaml");
      Files.writeString(env, """
          name: kalshi-sm
          feed: kalshi
          schema: v2
          endpoint: %s
          rest_endpoint: %s/trade-api/v2
          transport: {type: memory}
          """.formatted(server.wsUri(), server.httpUri()));
      String[] common = {"--data-dir", dir.resolve("pg").toString(), "--feeds-dir", Ssmd.REPO.resolve("exchanges/feeds").toString()};

      Ssmd.Result first = Ssmd.run(dir, null, concat(new String[] {"secmaster", "sync", env.toString()}, common));
      assertThat(first.exit()).as(first.err()).isZero();
      assertThat(first.out()).contains("kalshi_markets=TableCounts[received=2000, inserted=2000");

      Ssmd.Result again = Ssmd.run(dir, null, concat(new String[] {"secmaster", "sync", env.toString()}, common));
      assertThat(again.exit()).as(again.err()).isZero();
      assertThat(again.out()).contains("kalshi_markets=TableCounts[received=2000, inserted=0, updated=0, unchanged=2000");

      Ssmd.Result list = Ssmd.run(dir, null, concat(new String[] {"secmaster", "list", env.toString(), "--search", "SIM-MKT-00"}, common));
      assertThat(list.exit()).as(list.err()).isZero();
      assertThat(list.out()).contains("SIM-MKT-001").contains("TICKER");

      Ssmd.Result show = Ssmd.run(dir, null, concat(new String[] {"secmaster", "show", env.toString(), "SIM-MKT-003"}, common));
      assertThat(show.exit()).as(show.err()).isZero();
      assertThat(show.out()).contains("\"ticker\" : \"SIM-MKT-003\"");

      Ssmd.Result missing = Ssmd.run(dir, null, concat(new String[] {"secmaster", "show", env.toString(), "NOPE"}, common));
      assertThat(missing.exit()).isEqualTo(1);
      assertThat(missing.err()).contains("no market NOPE");
    } finally {
      scheduler.shutdownNow();
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
