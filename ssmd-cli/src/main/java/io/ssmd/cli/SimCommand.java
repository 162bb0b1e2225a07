package io.ssmd.cli;

import io.ssmd.sim.SimServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ssmd sim}: local Kalshi, Kraken and Polymarket venues speaking their public protocols. */
@Command(
    name = "sim",
    description = {
      "Run simulated venues speaking the real Kalshi WS v2, Kraken WS v2 and Polymarket CLOB protocols.",
      "Faults: curl -X POST http://HOST:PORT/_sim/fault/{drop|abort|stall|skip_seq|bad_checksum|bbo_mismatch|malformed|oversize|unknown_type}",
      "Status: curl http://HOST:PORT/_sim/status"
    },
    mixinStandardHelpOptions = true)
final class SimCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--kalshi-port", defaultValue = "9101", description = "Kalshi port (default: ${DEFAULT-VALUE}).")
  int kalshiPort;

  @Option(names = "--kraken-port", defaultValue = "9102", description = "Kraken port (default: ${DEFAULT-VALUE}).")
  int krakenPort;

  @Option(names = "--polymarket-port", defaultValue = "9103", description = "Polymarket port (default: ${DEFAULT-VALUE}).")
  int polymarketPort;

  @Option(names = "--markets", defaultValue = "10", description = "Markets per venue (default: ${DEFAULT-VALUE}).")
  int markets;

  @Option(names = "--rate", defaultValue = "100", description = "Data messages per second per venue (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--key-dir", defaultValue = "data/sim/kalshi", description = "Kalshi dev key (api_key, private_key), created if missing (default: ${DEFAULT-VALUE}).")
  Path keyDir;

  @Override
  public Integer call() throws Exception {
    if (markets < 1 || rate <= 0) {
      throw new UsageException("--markets must be >= 1 and --rate > 0");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    SimulatedVenues sims = SimulatedVenues.start(
        new SimulatedVenues.Options(host, kalshiPort, krakenPort, polymarketPort, markets, rate, keyDir));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sims.close();
      stopped.countDown();
    }, "shutdown"));
    for (SimServer s : sims.servers()) {
      System.err.printf("%-10s %s   (control %s/_sim/)%n", s.venue().name(), s.wsUri(), s.httpUri());
    }
    System.err.println("kalshi key: " + sims.keyDir() + "/{api_key,private_key}  (key id " + sims.kalshiKey().keyId() + ")");
    System.err.println("Ctrl-C stops.");
    stopped.await();
    return Main.EXIT_OK;
  }
}
