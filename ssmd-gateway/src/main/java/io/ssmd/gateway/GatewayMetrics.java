package io.ssmd.gateway;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gateway metrics (DESIGN §5). Every name, label key and label vocabulary is declared here; every
 * series with a bounded vocabulary exists at 0 from start-up. {@code subscriptions_active{symbol}}
 * is labelled by the subscribed pattern (as the design names it): a series appears with the first
 * client subscribing to a pattern and is removed when the last one leaves, so its cardinality is
 * bounded by what clients hold, not by history.
 */
public final class GatewayMetrics {
  public static final String CLIENTS_CONNECTED = "ssmd_gateway_clients_connected";
  public static final String MESSAGES_SENT = "ssmd_gateway_messages_sent_total";
  public static final String SUBSCRIPTIONS_ACTIVE = "ssmd_gateway_subscriptions_active";
  public static final String DROPPED = "ssmd_gateway_dropped_total";
  public static final String DISCONNECTS = "ssmd_gateway_disconnects_total";
  public static final String AUTH_FAILURES = "ssmd_gateway_auth_failures_total";
  public static final String TRANSPORT_MESSAGES = "ssmd_gateway_transport_messages_total";
  public static final String COMMAND_ERRORS = "ssmd_gateway_command_errors_total";

  public static final String LABEL_TYPE = "type";
  public static final String LABEL_SYMBOL = "symbol";
  public static final String LABEL_REASON = "reason";
  public static final String LABEL_FEED = "feed";
  public static final String LABEL_CODE = "code";

  /** Message types sent to clients: the transport types, {@code book} (snapshots) and {@code control} (acks, errors, pongs, notices). */
  public static final List<String> SENT_TYPES = List.of("trade", "ticker", "orderbook", "lifecycle", "event_lifecycle", "book", "control");
  public static final List<String> DROP_REASONS = List.of(Reasons.SLOW_CONSUMER, Reasons.UNPARSABLE);
  public static final List<String> DISCONNECT_REASONS =
      List.of(Reasons.CLIENT_CLOSED, Reasons.SLOW_CONSUMER, Reasons.AUTH, Reasons.REVOKED, Reasons.ERROR, Reasons.SHUTDOWN);
  public static final List<String> AUTH_REASONS = List.of(Reasons.MISSING, Reasons.INVALID, Reasons.REVOKED, Reasons.TIMEOUT);

  /** Label values of the reason labels. */
  public static final class Reasons {
    public static final String SLOW_CONSUMER = "slow_consumer";
    /** A transport payload that is not JSON cannot be embedded in a client message. */
    public static final String UNPARSABLE = "unparsable";
    public static final String CLIENT_CLOSED = "client_closed";
    public static final String AUTH = "auth";
    public static final String ERROR = "error";
    public static final String SHUTDOWN = "shutdown";
    public static final String MISSING = "missing";
    public static final String INVALID = "invalid";
    /** A refused key that was revoked; as a disconnect reason, an open session whose key was revoked since. */
    public static final String REVOKED = "revoked";
    public static final String TIMEOUT = "timeout";

    private Reasons() {}
  }

  final Gauge clients;
  final Counter sent;
  final Gauge subscriptions;
  final Counter dropped;
  final Counter disconnects;
  final Counter authFailures;
  final Counter transport;
  final Counter commandErrors;
  private final Map<String, AtomicInteger> patternCounts = new ConcurrentHashMap<>();

  GatewayMetrics(PrometheusRegistry registry, List<String> feeds) {
    clients = Gauge.builder().name(CLIENTS_CONNECTED).help("WebSocket clients connected (authenticated or not yet)").register(registry);
    sent = Counter.builder().name(MESSAGES_SENT).help("Messages written to clients, by type").labelNames(LABEL_TYPE).register(registry);
    subscriptions = Gauge.builder().name(SUBSCRIPTIONS_ACTIVE).help("Clients subscribed, by subscribed symbol pattern")
        .labelNames(LABEL_SYMBOL).register(registry);
    dropped = Counter.builder().name(DROPPED).help("Messages not delivered to a client, by reason").labelNames(LABEL_REASON)
        .register(registry);
    disconnects = Counter.builder().name(DISCONNECTS).help("Client connections ended, by reason").labelNames(LABEL_REASON)
        .register(registry);
    authFailures = Counter.builder().name(AUTH_FAILURES).help("Refused authentications, by reason").labelNames(LABEL_REASON)
        .register(registry);
    transport = Counter.builder().name(TRANSPORT_MESSAGES).help("Messages read from the transport, by feed").labelNames(LABEL_FEED)
        .register(registry);
    commandErrors = Counter.builder().name(COMMAND_ERRORS).help("Client commands answered with an error, by error code")
        .labelNames(LABEL_CODE).register(registry);
    clients.set(0);
    SENT_TYPES.forEach(t -> sent.labelValues(t));
    DROP_REASONS.forEach(r -> dropped.labelValues(r));
    DISCONNECT_REASONS.forEach(r -> disconnects.labelValues(r));
    AUTH_REASONS.forEach(r -> authFailures.labelValues(r));
    feeds.forEach(f -> transport.labelValues(f));
    ErrorCode.ALL.forEach(c -> commandErrors.labelValues(c));
  }

  void sent(String type) {
    sent.labelValues(type).inc();
  }

  void subscribed(String pattern) {
    int n = patternCounts.computeIfAbsent(pattern, p -> new AtomicInteger()).incrementAndGet();
    subscriptions.labelValues(pattern).set(n);
  }

  void unsubscribed(String pattern) {
    patternCounts.computeIfPresent(pattern, (p, c) -> {
      int n = c.decrementAndGet();
      if (n <= 0) {
        subscriptions.remove(p);
        return null;
      }
      subscriptions.labelValues(p).set(n);
      return c;
    });
  }
}
