package io.ssmd.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.connector.ChangeFollower;
import io.ssmd.connector.Connector;
import io.ssmd.connector.ConnectorMetrics;
import io.ssmd.connector.ConnectorStatus;
import io.ssmd.observability.HealthServer;
import io.ssmd.observability.ReadinessCheck;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One or more connectors, each publishing into its feed's transport (as each feed has its own
 * stream), with their metrics and the {@code /health}, {@code /ready}, {@code /metrics} server:
 * the body of {@code ssmd run connector} (one capture) and of {@code ssmd up} (one per venue).
 */
final class CaptureRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureRuntime.class);

  private final PrometheusRegistry registry;
  private final Map<String, Transport> transports = new java.util.LinkedHashMap<>();
  private final List<Connector> connectors = new ArrayList<>();
  private final List<Capture> captures;
  private final List<ChangeFollower> followers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final HealthServer health;

  /**
   * @param transportFactory opens a feed's transport with the listener that counts its acknowledgements
   * @param healthPort port of the health server (0 = any free port)
   */
  CaptureRuntime(List<Capture> captures, BiFunction<Capture, PublishListener, Transport> transportFactory, int healthPort) {
    this.captures = List.copyOf(captures);
    this.registry = new PrometheusRegistry();
    try {
      for (Capture c : captures) {
        ConnectorMetrics m = ConnectorMetrics.create(registry, c.feed());
        Transport t = transportFactory.apply(c, m.publishListener());
        transports.put(c.feed(), t);
        connectors.add(new Connector(c.connectorOptions(), c.venue(), t, m));
      }
      List<ReadinessCheck> checks = new ArrayList<>();
      transports.forEach((feed, t) -> checks.add(() -> t.connected() ? List.of() : List.of(feed + " transport not connected")));
      for (Connector conn : connectors) {
        checks.add(conn::notReadyReasons);
      }
      this.health = HealthServer.start(healthPort, registry, ReadinessCheck.all(checks));
    } catch (RuntimeException e) {
      transports.values().forEach(Transport::close);
      throw e;
    }
  }

  /** Connects every connector and subscribes its markets. */
  void start() {
    for (int i = 0; i < connectors.size(); i++) {
      Capture c = captures.get(i);
      LOG.atInfo()
          .addKeyValue("feed", c.feed())
          .addKeyValue("endpoint", c.endpoint().toString())
          .addKeyValue("markets", c.markets().size())
          .log("starting {} connector", c.feed());
      connectors.get(i).start(c.markets());
    }
  }

  /**
   * Makes every connector whose capture follows the security master ({@link Capture#follow()})
   * apply the change events read from {@code changes} from now on: markets that open are added,
   * markets that close are removed. Call after {@link #start}. {@code changes} is where the
   * security master publishes ({@code {prefix}.secmaster.changes.{feed}}): the {@code
   * {PREFIX}_SECMASTER} stream ({@link Transports#openSecmaster}) or, in one process ({@code ssmd
   * up}), the memory transport the sync is given. It stays the caller's to close.
   *
   * @return the number of connectors now following
   */
  int followSecmaster(Transport changes) {
    int n = 0;
    for (int i = 0; i < connectors.size(); i++) {
      Capture c = captures.get(i);
      if (c.follow().enabled()) {
        followers.add(ChangeFollower.start(connectors.get(i), changes, c.env(), c.follow().prefixes()));
        n++;
      }
    }
    return n;
  }

  List<ConnectorStatus> status() {
    return connectors.stream().map(Connector::status).toList();
  }

  /** The transport a feed publishes into. */
  Transport transport(String feed) {
    return transports.get(feed);
  }

  PrometheusRegistry registry() {
    return registry;
  }

  int healthPort() {
    return health.port();
  }

  List<Connector> connectors() {
    return List.copyOf(connectors);
  }

  @Override
  public void close() {
    // stop following first: a change arriving during shutdown must not open connections
    followers.forEach(ChangeFollower::close);
    for (Connector c : connectors) {
      try {
        c.close();
      } catch (RuntimeException e) {
        LOG.warn("closing {} connector: {}", c.feed(), e.toString());
      }
    }
    transports.values().forEach(Transport::close);
    health.close();
  }
}
