package io.ssmd.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.connector.Connector;
import io.ssmd.connector.ConnectorMetrics;
import io.ssmd.connector.ConnectorStatus;
import io.ssmd.observability.HealthServer;
import io.ssmd.observability.ReadinessCheck;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Transport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One or more connectors publishing into one transport, with their metrics and the
 * {@code /health}, {@code /ready}, {@code /metrics} server: the body of {@code ssmd run connector}
 * (one capture) and of {@code ssmd up} (one per venue, sharing the memory transport).
 */
final class CaptureRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureRuntime.class);

  private final PrometheusRegistry registry;
  private final Transport transport;
  private final List<Connector> connectors = new ArrayList<>();
  private final List<Capture> captures;
  private final HealthServer health;

  /**
   * @param transportFactory opens the transport with the listener that counts acknowledgements per feed
   * @param healthPort port of the health server (0 = any free port)
   */
  CaptureRuntime(List<Capture> captures, Function<PublishListener, Transport> transportFactory, int healthPort) {
    this.captures = List.copyOf(captures);
    this.registry = new PrometheusRegistry();
    Map<String, PublishListener> byFeed = new HashMap<>();
    Map<String, ConnectorMetrics> metrics = new HashMap<>();
    for (Capture c : captures) {
      ConnectorMetrics m = ConnectorMetrics.create(registry, c.feed());
      metrics.put(c.feed(), m);
      byFeed.put(c.feed(), m.publishListener());
    }
    this.transport = transportFactory.apply(new FeedDispatch(byFeed));
    try {
      for (Capture c : captures) {
        connectors.add(new Connector(c.connectorOptions(), c.venue(), transport, metrics.get(c.feed())));
      }
      List<ReadinessCheck> checks = new ArrayList<>();
      checks.add(() -> transport.connected() ? List.of() : List.of("transport not connected"));
      for (Connector conn : connectors) {
        checks.add(conn::notReadyReasons);
      }
      this.health = HealthServer.start(healthPort, registry, ReadinessCheck.all(checks));
    } catch (RuntimeException e) {
      transport.close();
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

  List<ConnectorStatus> status() {
    return connectors.stream().map(Connector::status).toList();
  }

  Transport transport() {
    return transport;
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
    for (Connector c : connectors) {
      try {
        c.close();
      } catch (RuntimeException e) {
        LOG.warn("closing {} connector: {}", c.feed(), e.toString());
      }
    }
    transport.close();
    health.close();
  }

  /** Routes publish outcomes to the metrics of the feed named by the subject's second token. */
  private record FeedDispatch(Map<String, PublishListener> byFeed) implements PublishListener {
    @Override
    public void acked(Envelope envelope, long streamSeq, boolean duplicate) {
      PublishListener l = byFeed.get(feedOf(envelope));
      if (l != null) {
        l.acked(envelope, streamSeq, duplicate);
      }
    }

    @Override
    public void dropped(Envelope envelope, String reason) {
      PublishListener l = byFeed.get(feedOf(envelope));
      if (l != null) {
        l.dropped(envelope, reason);
      } else {
        LOG.warn("dropped a frame of no known feed on {}: {}", envelope.subject(), reason);
      }
    }

    private static String feedOf(Envelope e) {
      String s = e.subject();
      int a = s.indexOf('.');
      int b = a < 0 ? -1 : s.indexOf('.', a + 1);
      return b < 0 ? "" : s.substring(a + 1, b);
    }
  }
}
