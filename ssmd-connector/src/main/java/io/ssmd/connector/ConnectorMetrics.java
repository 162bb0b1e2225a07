package io.ssmd.connector;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.PublishListener;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connector metrics of one feed (DESIGN §5). Every metric name, label key and label vocabulary is
 * declared here. All series of the feed are created at 0 when this object is created, so an
 * alert on {@code rate(...) == 0} fires on a feed that never produced anything.
 *
 * <p>The metric families are registered once per {@link PrometheusRegistry} and shared by every
 * feed in it ({@code ssmd up} runs several connectors in one process): {@link #create} for a second
 * feed adds its series to the same families.
 *
 * <p>{@code ssmd_connector_lag_seconds{feed}} is the capture-to-acknowledgement latency of the most
 * recently acknowledged message: ack time minus {@code Ssmd-Received-At}. A feed that receives
 * nothing shows in {@code ssmd_connector_last_message_age_seconds}; a transport that stops
 * acknowledging shows as a flat {@code messages_published_total} while {@code messages_received_total} grows.
 */
public final class ConnectorMetrics {
  public static final String MESSAGES_RECEIVED = "ssmd_connector_messages_received_total";
  public static final String MESSAGES_PUBLISHED = "ssmd_connector_messages_published_total";
  public static final String LAG_SECONDS = "ssmd_connector_lag_seconds";
  public static final String ERRORS = "ssmd_connector_errors_total";
  public static final String CONNECTIONS = "ssmd_connector_connections";
  public static final String RECONNECTS = "ssmd_connector_reconnects_total";
  public static final String GAPS = "ssmd_connector_gaps_total";
  public static final String RESYNCS = "ssmd_connector_resyncs_total";
  public static final String DROPPED = "ssmd_connector_dropped_total";
  public static final String LAST_MESSAGE_AGE_SECONDS = "ssmd_connector_last_message_age_seconds";
  public static final String SUBSCRIBED_MARKETS = "ssmd_connector_subscribed_markets";
  public static final String SUBSCRIPTION_CHANGES = "ssmd_connector_subscription_changes_total";
  public static final String CHANGE_EVENTS = "ssmd_connector_change_events_total";

  public static final String LABEL_FEED = "feed";
  public static final String LABEL_TYPE = "type";
  public static final String LABEL_ERROR_TYPE = "error_type";
  public static final String LABEL_STATE = "state";
  public static final String LABEL_REASON = "reason";
  public static final String LABEL_ACTION = "action";
  public static final String LABEL_OUTCOME = "outcome";

  /** Values of {@code action} on subscription_changes: markets added to or removed from the running connector. */
  public static final String ACTION_ADD = "add";
  public static final String ACTION_REMOVE = "remove";
  public static final List<String> SUBSCRIPTION_ACTIONS = List.of(ACTION_ADD, ACTION_REMOVE);

  /**
   * Values of {@code outcome} on change_events (security-master changes read by a {@link
   * ChangeFollower}): {@code add}/{@code remove} asked the connector to change, {@code ignored}
   * needs no change (rename, not open yet), {@code out_of_scope} is outside follow_prefixes or
   * another feed, {@code malformed} could not be read.
   */
  public static final String OUTCOME_ADD = "add";
  public static final String OUTCOME_REMOVE = "remove";
  public static final String OUTCOME_IGNORED = "ignored";
  public static final String OUTCOME_OUT_OF_SCOPE = "out_of_scope";
  public static final String OUTCOME_MALFORMED = "malformed";
  public static final List<String> CHANGE_OUTCOMES =
      List.of(OUTCOME_ADD, OUTCOME_REMOVE, OUTCOME_IGNORED, OUTCOME_OUT_OF_SCOPE, OUTCOME_MALFORMED);

  /** Published message types (DESIGN §3). */
  public static final List<String> PUBLISH_TYPES = List.of("trade", "ticker", "orderbook", "lifecycle", "event_lifecycle");
  /** Values of {@code type} on messages_received: the publish types plus {@code control}. */
  public static final List<String> RECEIVED_TYPES =
      List.of("trade", "ticker", "orderbook", "lifecycle", "event_lifecycle", "control");

  public static final String ERROR_MALFORMED = "malformed";
  public static final String ERROR_UNKNOWN_TYPE = "unknown_type";
  public static final String ERROR_UNROUTABLE = "unroutable";
  public static final String ERROR_VENUE = "venue_error";
  public static final String ERROR_OVERSIZE = "oversize";
  public static final String ERROR_HANDLER = "handler";
  public static final String ERROR_AUTH = "auth";
  public static final String ERROR_CONNECT = "connect";
  public static final String ERROR_PUBLISH_DROPPED = "publish_dropped";
  public static final List<String> ERROR_TYPES =
      List.of(ERROR_MALFORMED, ERROR_UNKNOWN_TYPE, ERROR_UNROUTABLE, ERROR_VENUE, ERROR_OVERSIZE,
          ERROR_HANDLER, ERROR_AUTH, ERROR_CONNECT, ERROR_PUBLISH_DROPPED);

  public static final String STATE_CONNECTING = "connecting";
  public static final String STATE_CONNECTED = "connected";
  public static final String STATE_BACKOFF = "backoff";
  public static final List<String> CONNECTION_STATES = List.of(STATE_CONNECTING, STATE_CONNECTED, STATE_BACKOFF);

  public static final String RECONNECT_CLOSED = "closed";
  public static final String RECONNECT_ERROR = "error";
  public static final String RECONNECT_PONG_TIMEOUT = "pong_timeout";
  public static final String RECONNECT_NO_DATA = "no_data";
  public static final String RECONNECT_AUTH = "auth";
  public static final String RECONNECT_CONNECT_FAILED = "connect_failed";
  public static final List<String> RECONNECT_REASONS =
      List.of(RECONNECT_CLOSED, RECONNECT_ERROR, RECONNECT_PONG_TIMEOUT, RECONNECT_NO_DATA, RECONNECT_AUTH,
          RECONNECT_CONNECT_FAILED);

  /** Resync reasons of {@link SessionContext#resync}; anything else is counted as {@code other}. */
  public static final List<String> RESYNC_REASONS = List.of("seq_gap", "checksum", "bbo_mismatch", "venue_error", "other");

  /** Drop reasons known up front; a transport's other reasons are added up to a bound, then {@code other}. */
  public static final List<String> DROP_REASONS = List.of(ERROR_OVERSIZE, "buffer_full", "publish_failed", "closed", "other");

  private static final int MAX_DROP_REASONS = 16;
  private static final Map<PrometheusRegistry, Families> FAMILIES = new WeakHashMap<>();

  private final String feed;
  private final Families families;
  private final long createdNanos = System.nanoTime();
  private final Map<Integer, LongAdder> publishedByShard = new ConcurrentHashMap<>();
  private final Set<String> dropReasons = ConcurrentHashMap.newKeySet();
  private final LongAdder published = new LongAdder();
  private volatile long lastMessageNanos = createdNanos;
  private volatile double lagSeconds;
  private volatile Connector connector;

  private ConnectorMetrics(String feed, Families families) {
    this.feed = feed;
    this.families = families;
    for (String type : RECEIVED_TYPES) {
      families.received.initLabelValues(feed, type);
    }
    families.published.initLabelValues(feed);
    for (String type : ERROR_TYPES) {
      families.errors.initLabelValues(feed, type);
    }
    for (String reason : RECONNECT_REASONS) {
      families.reconnects.initLabelValues(feed, reason);
    }
    families.gaps.initLabelValues(feed);
    for (String reason : RESYNC_REASONS) {
      families.resyncs.initLabelValues(feed, reason);
    }
    for (String action : SUBSCRIPTION_ACTIONS) {
      families.subscriptionChanges.initLabelValues(feed, action);
    }
    for (String outcome : CHANGE_OUTCOMES) {
      families.changeEvents.initLabelValues(feed, outcome);
    }
    dropReasons.addAll(DROP_REASONS);
    for (String reason : DROP_REASONS) {
      families.dropped.initLabelValues(feed, reason);
    }
  }

  /**
   * The metrics of {@code feed} in {@code registry}, creating the families on first use and the
   * feed's series at 0. Calling it again for the same registry and feed returns the same object.
   */
  public static ConnectorMetrics create(PrometheusRegistry registry, String feed) {
    Objects.requireNonNull(registry, "registry");
    if (feed == null || feed.isBlank()) {
      throw new IllegalArgumentException("feed: required, e.g. 'kalshi'");
    }
    synchronized (FAMILIES) {
      Families families = FAMILIES.computeIfAbsent(registry, Families::new);
      return families.feeds.computeIfAbsent(feed, f -> new ConnectorMetrics(f, families));
    }
  }

  public String feed() {
    return feed;
  }

  /**
   * The listener to construct the transport with: counts acknowledged messages in {@code
   * messages_published_total} and measures the lag, counts drops. Messages of any feed whose
   * metrics live in the same registry are attributed to that feed (by the subject's feed token),
   * so one transport shared by several connectors needs only one listener.
   */
  public PublishListener publishListener() {
    return families.listener;
  }

  /** Messages acknowledged by the transport for this feed so far. */
  public long publishedCount() {
    return published.sum();
  }

  // ---- recorders used by the session base ----

  void bind(Connector connector) {
    this.connector = connector;
  }

  void received(String type) {
    families.received.labelValues(feed, type).inc();
  }

  void dataReceived(long nanoTime) {
    lastMessageNanos = nanoTime;
  }

  void error(String errorType) {
    families.errors.labelValues(feed, ERROR_TYPES.contains(errorType) ? errorType : ERROR_UNROUTABLE).inc();
  }

  void reconnect(String reason) {
    families.reconnects.labelValues(feed, reason).inc();
  }

  void gap() {
    families.gaps.labelValues(feed).inc();
  }

  void resync(String reason) {
    families.resyncs.labelValues(feed, RESYNC_REASONS.contains(reason) ? reason : "other").inc();
  }

  void dropped(String reason) {
    String label = reason == null ? "other" : reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    if (!dropReasons.contains(label)) {
      // The transport's reason strings are not ours to bound; cap the label set instead.
      label = dropReasons.size() < MAX_DROP_REASONS && dropReasons.add(label) ? label : "other";
    }
    families.dropped.labelValues(feed, label).inc();
  }

  void subscriptionChanged(String action, int markets) {
    if (markets > 0) {
      families.subscriptionChanges.labelValues(feed, action).inc(markets);
    }
  }

  void changeEvent(String outcome) {
    families.changeEvents.labelValues(feed, CHANGE_OUTCOMES.contains(outcome) ? outcome : OUTCOME_MALFORMED).inc();
  }

  long publishedOnShard(int shard) {
    LongAdder adder = publishedByShard.get(shard);
    return adder == null ? 0 : adder.sum();
  }

  private void acked(Envelope envelope) {
    published.increment();
    families.published.labelValues(feed).inc();
    publishedByShard.computeIfAbsent(envelope.shard(), s -> new LongAdder()).increment();
    Instant now = Instant.now();
    long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    lagSeconds = Math.max(0, nowNanos - envelope.receivedAtNanos()) / 1e9;
  }

  private void droppedByTransport(String reason) {
    families.errors.labelValues(feed, ERROR_PUBLISH_DROPPED).inc();
    dropped(reason);
  }

  /** The families of one registry and the feeds registered in it. */
  private static final class Families {
    final Map<String, ConnectorMetrics> feeds = new ConcurrentHashMap<>();
    final Counter received;
    final Counter published;
    final Counter errors;
    final Counter reconnects;
    final Counter gaps;
    final Counter resyncs;
    final Counter dropped;
    final Counter subscriptionChanges;
    final Counter changeEvents;
    final PublishListener listener;

    Families(PrometheusRegistry registry) {
      received = Counter.builder().name(MESSAGES_RECEIVED)
          .help("Messages received from the venue, by routed type (control: acks, heartbeats, pongs)")
          .labelNames(LABEL_FEED, LABEL_TYPE).register(registry);
      published = Counter.builder().name(MESSAGES_PUBLISHED)
          .help("Messages acknowledged by the transport").labelNames(LABEL_FEED).register(registry);
      errors = Counter.builder().name(ERRORS)
          .help("Errors by type: frames rejected by the venue router, handler failures, auth, connect, publish drops")
          .labelNames(LABEL_FEED, LABEL_ERROR_TYPE).register(registry);
      reconnects = Counter.builder().name(RECONNECTS)
          .help("Connections lost or failed and retried, by reason").labelNames(LABEL_FEED, LABEL_REASON).register(registry);
      gaps = Counter.builder().name(GAPS)
          .help("Sequence gaps detected by the venue session").labelNames(LABEL_FEED).register(registry);
      resyncs = Counter.builder().name(RESYNCS)
          .help("Market resynchronisations (resubscribe, new snapshot), by reason")
          .labelNames(LABEL_FEED, LABEL_REASON).register(registry);
      dropped = Counter.builder().name(DROPPED)
          .help("Frames or messages that will never be published, by reason").labelNames(LABEL_FEED, LABEL_REASON)
          .register(registry);
      subscriptionChanges = Counter.builder().name(SUBSCRIPTION_CHANGES)
          .help("Markets added to or removed from the running connector (addMarkets/removeMarkets; repeats of a known state are not counted)")
          .labelNames(LABEL_FEED, LABEL_ACTION).register(registry);
      changeEvents = Counter.builder().name(CHANGE_EVENTS)
          .help("Security-master change events read by the connector, by what they asked for")
          .labelNames(LABEL_FEED, LABEL_OUTCOME).register(registry);
      GaugeWithCallback.builder().name(LAG_SECONDS)
          .help("Seconds from WebSocket receive to transport acknowledgement of the last acknowledged message")
          .labelNames(LABEL_FEED)
          .callback(cb -> feeds.values().forEach(m -> cb.call(m.lagSeconds, m.feed)))
          .register(registry);
      GaugeWithCallback.builder().name(LAST_MESSAGE_AGE_SECONDS)
          .help("Seconds since the last published-type message was received (since start-up if none)")
          .labelNames(LABEL_FEED)
          .callback(cb -> {
            long now = System.nanoTime();
            feeds.values().forEach(m -> cb.call((now - m.lastMessageNanos) / 1e9, m.feed));
          })
          .register(registry);
      GaugeWithCallback.builder().name(CONNECTIONS)
          .help("WebSocket connections by state").labelNames(LABEL_FEED, LABEL_STATE)
          .callback(cb -> feeds.values().forEach(m -> {
            Connector c = m.connector;
            Map<String, Integer> counts = c == null ? Map.of() : c.connectionStates();
            for (String state : CONNECTION_STATES) {
              cb.call(counts.getOrDefault(state, 0), m.feed, state);
            }
          }))
          .register(registry);
      GaugeWithCallback.builder().name(SUBSCRIBED_MARKETS)
          .help("Markets assigned to this connector's connections").labelNames(LABEL_FEED)
          .callback(cb -> feeds.values().forEach(m -> {
            Connector c = m.connector;
            cb.call(c == null ? 0 : c.marketCount(), m.feed);
          }))
          .register(registry);
      listener = new PublishListener() {
        @Override
        public void acked(Envelope envelope, long streamSeq, boolean duplicate) {
          ConnectorMetrics m = feeds.get(feedOf(envelope.subject()));
          if (m != null) {
            m.acked(envelope);
          }
        }

        @Override
        public void dropped(Envelope envelope, String reason) {
          ConnectorMetrics m = feeds.get(feedOf(envelope.subject()));
          if (m != null) {
            m.droppedByTransport(reason);
          }
        }
      };
    }

    /** The feed token of {@code {env}.{feed}.json.{type}.{ticker}}. */
    private static String feedOf(String subject) {
      int first = subject.indexOf('.');
      int second = first < 0 ? -1 : subject.indexOf('.', first + 1);
      return second < 0 ? "" : subject.substring(first + 1, second);
    }
  }
}
