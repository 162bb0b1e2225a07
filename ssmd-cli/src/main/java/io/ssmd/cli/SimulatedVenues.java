package io.ssmd.cli;

import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kalshi.KalshiAuth;
import io.ssmd.sim.kalshi.KalshiSim;
import io.ssmd.sim.kalshi.KalshiSimOptions;
import io.ssmd.sim.kraken.KrakenSim;
import io.ssmd.sim.kraken.KrakenSimOptions;
import io.ssmd.sim.polymarket.PolymarketSim;
import io.ssmd.sim.polymarket.PolymarketSimOptions;
import io.ssmd.sim.polymarket.PolymarketUniverse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The three simulated venues of {@code ssmd sim} and {@code ssmd up}, each on its own port, with
 * a Kalshi dev key kept in {@code keyDir} (written on first use) so connectors can sign in.
 */
final class SimulatedVenues implements AutoCloseable {

  /**
   * @param ports kalshi, kraken, polymarket ports (0 = any free port)
   * @param markets markets per venue (Polymarket: markets, each with two outcome tokens)
   * @param rate data messages per second per venue
   */
  record Options(String host, int kalshiPort, int krakenPort, int polymarketPort, int markets, double rate, Path keyDir) {}

  private final ScheduledExecutorService scheduler;
  private final List<SimServer> servers = new ArrayList<>();
  private final KalshiAuth.DevKey kalshiKey;
  private final Options options;
  final SimServer kalshi;
  final SimServer kraken;
  final SimServer polymarket;

  private SimulatedVenues(Options o) throws Exception {
    this.options = o;
    this.scheduler = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "sim-generator");
      t.setDaemon(true);
      return t;
    });
    try {
      this.kalshiKey = KalshiAuth.loadOrGenerate(o.keyDir(), false);
      long maxFrame = 64L << 20;
      kalshi = add(new SimServer(new KalshiSim(
          KalshiSimOptions.defaults(Map.of(kalshiKey.keyId(), kalshiKey.publicKey()))
              .withMarkets(o.markets()).withMessagesPerSecond((int) Math.max(1, o.rate())),
          new Journal(0), scheduler), o.host(), o.kalshiPort(), maxFrame));
      kraken = add(new SimServer(new KrakenSim(
          KrakenSimOptions.defaults().withMarkets(o.markets()).withMessagesPerSecond(o.rate()),
          new Journal(0), scheduler), o.host(), o.krakenPort(), maxFrame));
      polymarket = add(new SimServer(new PolymarketSim(
          PolymarketSimOptions.defaults().withMarkets(o.markets()).withMessagesPerSecond(o.rate()),
          new Journal(0), scheduler), o.host(), o.polymarketPort(), maxFrame));
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  static SimulatedVenues start(Options o) throws Exception {
    return new SimulatedVenues(o);
  }

  private SimServer add(SimServer s) throws Exception {
    servers.add(s);
    try {
      s.start();
    } catch (IOException e) {
      throw new UsageException("cannot listen on " + options.host() + ":" + s.port() + " for the " + s.venue().name()
          + " simulator: " + e.getMessage() + " (choose other ports)");
    }
    return s;
  }

  KalshiAuth.DevKey kalshiKey() {
    return kalshiKey;
  }

  Path keyDir() {
    return options.keyDir();
  }

  List<SimServer> servers() {
    return List.copyOf(servers);
  }

  /** The markets each simulated venue lists, as a connector subscribes them. */
  List<String> markets(String feed) {
    return switch (feed) {
      case "kalshi" -> ((KalshiSim) kalshi.venue()).marketTickers();
      case "kraken" -> ((KrakenSim) kraken.venue()).symbols();
      case "polymarket" -> PolymarketUniverse.assetIds(2 * options.markets());
      default -> throw new IllegalArgumentException("no simulator for feed " + feed);
    };
  }

  SimServer server(String feed) {
    return switch (feed) {
      case "kalshi" -> kalshi;
      case "kraken" -> kraken;
      case "polymarket" -> polymarket;
      default -> throw new IllegalArgumentException("no simulator for feed " + feed);
    };
  }

  @Override
  public void close() {
    for (SimServer s : servers) {
      try {
        s.close();
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(SimulatedVenues.class).warn("stopping {} simulator: {}", s.venue().name(), e.toString());
      }
    }
    scheduler.shutdownNow();
  }
}
