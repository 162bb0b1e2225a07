package io.ssmd.bench;

import io.ssmd.connector.Venue;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.SimVenue;
import io.ssmd.sim.kalshi.KalshiAuth;
import io.ssmd.sim.kalshi.KalshiSim;
import io.ssmd.sim.kalshi.KalshiSimOptions;
import io.ssmd.sim.kraken.KrakenSim;
import io.ssmd.sim.kraken.KrakenSimOptions;
import io.ssmd.venue.kalshi.KalshiVenue;
import io.ssmd.venue.kalshi.KalshiVenueOptions;
import io.ssmd.venue.kraken.KrakenVenue;
import io.ssmd.venue.kraken.KrakenVenueOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

/**
 * One simulated venue on 127.0.0.1 generating data at a set rate, plus what a connector needs to
 * capture it: a {@link Venue}, the market list and (for the separate process) an environment file.
 */
abstract sealed class Workload implements AutoCloseable {
  /** The simulator's WebSocket frame limit; far above any frame it sends. */
  private static final long MAX_FRAME_BYTES = 64L << 20;

  private final ScheduledExecutorService scheduler;
  private final SimServer server;
  protected final List<String> markets;

  private Workload(ScheduledExecutorService scheduler, SimVenue sim, List<String> markets) throws Exception {
    this.scheduler = scheduler;
    this.markets = List.copyOf(markets);
    this.server = new SimServer(sim, "127.0.0.1", 0, MAX_FRAME_BYTES).start();
  }

  /**
   * Starts the simulator of {@code venue} with {@code markets} markets generating {@code rate}
   * events/s once subscribed; {@code journalCapacity} frames are kept for replay (0 keeps none).
   */
  static Workload start(String venue, int markets, int rate, int journalCapacity) throws Exception {
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "bench-sim-" + venue);
      t.setDaemon(true);
      return t;
    });
    try {
      return switch (venue) {
        case "kalshi" -> new Kalshi(scheduler, markets, rate, new Journal(journalCapacity));
        case "kraken" -> new Kraken(scheduler, markets, rate, new Journal(journalCapacity));
        default -> throw new IllegalArgumentException("unknown venue " + venue);
      };
    } catch (Exception e) {
      scheduler.shutdownNow();
      throw e;
    }
  }

  abstract String feed();

  /** A fresh connector-side venue (each {@link io.ssmd.connector.Connector} gets its own). */
  abstract Venue venue();

  /**
   * The YAML of an environment capturing this simulator into {@code natsUrl} with subject prefix
   * {@code env}; credentials, if any, are written under {@code dir}.
   */
  abstract String environmentYaml(String env, String natsUrl, Path dir) throws IOException;

  List<String> markets() {
    return markets;
  }

  SimVenue sim() {
    return server.venue();
  }

  Journal journal() {
    return server.venue().journal();
  }

  URI wsUri() {
    return server.wsUri();
  }

  @Override
  public void close() throws Exception {
    try {
      server.close();
    } finally {
      scheduler.shutdownNow();
    }
  }

  static String yamlList(List<String> items) {
    return items.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", ", "[", "]"));
  }

  /** Kalshi: signed handshake, one message per generated event (ticker, trade or orderbook delta). */
  static final class Kalshi extends Workload {
    private final KalshiAuth.DevKey key;

    private Kalshi(ScheduledExecutorService scheduler, int markets, int rate, Journal journal) throws Exception {
      this(scheduler, markets, rate, journal, KalshiAuth.generate());
    }

    private Kalshi(ScheduledExecutorService scheduler, int markets, int rate, Journal journal, KalshiAuth.DevKey key)
        throws Exception {
      super(scheduler, sim(scheduler, markets, rate, journal, key), tickers(markets));
      this.key = key;
    }

    private static KalshiSim sim(
        ScheduledExecutorService scheduler, int markets, int rate, Journal journal, KalshiAuth.DevKey key) {
      KalshiSimOptions options =
          KalshiSimOptions.defaults(Map.of(key.keyId(), key.publicKey())).withMarkets(markets).withMessagesPerSecond(rate);
      return new KalshiSim(options, journal, scheduler);
    }

    private static List<String> tickers(int markets) {
      return java.util.stream.IntStream.range(0, markets).mapToObj(KalshiSim::marketTicker).toList();
    }

    @Override
    String feed() {
      return "kalshi";
    }

    @Override
    Venue venue() {
      return new KalshiVenue(KalshiVenueOptions.defaults(key.keyId(), KalshiAuth.pkcs8Pem(key.privateKey())));
    }

    @Override
    String environmentYaml(String env, String natsUrl, Path dir) throws IOException {
      Path keyDir = dir.resolve("kalshi-key");
      KalshiAuth.write(key, keyDir, false);
      return """
          name: %s
          feed: kalshi
          schema: v2
          endpoint: %s
          keys:
            kalshi:
              type: rsa_api_key
              required: true
              fields: [api_key, private_key]
              source: "file:%s"
          transport:
            type: nats
            url: %s
            subject_prefix: %s
          subscriptions:
            markets: %s
          """.formatted(env, wsUri(), keyDir.toAbsolutePath(), natsUrl, env, yamlList(markets));
    }
  }

  /** Kraken: public data; a book event yields a book update and often a ticker update. */
  static final class Kraken extends Workload {
    private Kraken(ScheduledExecutorService scheduler, int markets, int rate, Journal journal) throws Exception {
      this(scheduler, new KrakenSim(KrakenSimOptions.defaults().withMarkets(markets).withMessagesPerSecond(rate), journal, scheduler));
    }

    private Kraken(ScheduledExecutorService scheduler, KrakenSim sim) throws Exception {
      super(scheduler, sim, sim.symbols());
    }

    @Override
    String feed() {
      return "kraken";
    }

    @Override
    Venue venue() {
      return new KrakenVenue(KrakenVenueOptions.defaults());
    }

    @Override
    String environmentYaml(String env, String natsUrl, Path dir) {
      return """
          name: %s
          feed: kraken
          schema: v2
          endpoint: %s
          transport:
            type: nats
            url: %s
            subject_prefix: %s
          subscriptions:
            markets: %s
          """.formatted(env, wsUri(), natsUrl, env, yamlList(markets));
    }
  }
}
