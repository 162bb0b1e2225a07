package io.ssmd.agent;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * Agent metrics. Every name and label key is declared here; the series of every feed and signal
 * given at creation exist at 0 from start-up, so an alert on {@code rate(...) == 0} fires on an
 * agent that never saw an event. Families are registered once per registry ({@code ssmd up} may
 * embed an agent beside other components in one registry).
 */
public final class AgentMetrics {
  public static final String EVENTS = "ssmd_agent_events_total";
  public static final String FIRINGS = "ssmd_agent_signal_firings_total";
  public static final String ERRORS = "ssmd_agent_signal_errors_total";
  public static final String EVICTIONS = "ssmd_agent_state_evictions_total";
  public static final String SUPPRESSED = "ssmd_agent_signal_suppressed_total";
  public static final String REJECTED = "ssmd_agent_frames_rejected_total";
  public static final String PUBLISH_REFUSED = "ssmd_agent_publish_refused_total";

  public static final String LABEL_FEED = "feed";
  public static final String LABEL_SIGNAL = "signal";

  private static final Map<PrometheusRegistry, AgentMetrics> BY_REGISTRY = new WeakHashMap<>();

  private final Counter events;
  private final Counter firings;
  private final Counter errors;
  private final Counter evictions;
  private final Counter suppressed;
  private final Counter rejected;
  private final Counter publishRefused;

  private AgentMetrics(PrometheusRegistry registry) {
    events = Counter.builder().name(EVENTS).help("Normalized market events the agent evaluated, by feed")
        .labelNames(LABEL_FEED).register(registry);
    firings = Counter.builder().name(FIRINGS).help("Signal firings emitted, by signal")
        .labelNames(LABEL_SIGNAL).register(registry);
    errors = Counter.builder().name(ERRORS).help("Exceptions thrown by a signal while evaluating an event, by signal")
        .labelNames(LABEL_SIGNAL).register(registry);
    evictions = Counter.builder().name(EVICTIONS).help("Per-symbol state entries evicted to keep a signal's memory bounded")
        .labelNames(LABEL_SIGNAL).register(registry);
    suppressed = Counter.builder().name(SUPPRESSED).help("Firings held back by a signal's cooldown")
        .labelNames(LABEL_SIGNAL).register(registry);
    rejected = Counter.builder().name(REJECTED).help("Frames the venue normalizer rejected (not evaluated), by feed")
        .labelNames(LABEL_FEED).register(registry);
    publishRefused = Counter.builder().name(PUBLISH_REFUSED)
        .help("Firings the output transport refused (its buffer was full), by signal").labelNames(LABEL_SIGNAL).register(registry);
  }

  /** The agent families of {@code registry}, with the series of these feeds and signals at 0. */
  public static AgentMetrics create(PrometheusRegistry registry, Collection<String> feeds, Collection<String> signals) {
    Objects.requireNonNull(registry, "registry");
    AgentMetrics m;
    synchronized (BY_REGISTRY) {
      m = BY_REGISTRY.computeIfAbsent(registry, AgentMetrics::new);
    }
    for (String f : feeds) {
      m.events.initLabelValues(f);
      m.rejected.initLabelValues(f);
    }
    for (String s : signals) {
      m.firings.initLabelValues(s);
      m.errors.initLabelValues(s);
      m.evictions.initLabelValues(s);
      m.suppressed.initLabelValues(s);
      m.publishRefused.initLabelValues(s);
    }
    return m;
  }

  void event(String feed) {
    events.labelValues(feed).inc();
  }

  void rejected(String feed) {
    rejected.labelValues(feed).inc();
  }

  void firing(String signal) {
    firings.labelValues(signal).inc();
  }

  void error(String signal) {
    errors.labelValues(signal).inc();
  }

  void evicted(String signal, long n) {
    evictions.labelValues(signal).inc(n);
  }

  void suppressed(String signal) {
    suppressed.labelValues(signal).inc();
  }

  void publishRefused(String signal) {
    publishRefused.labelValues(signal).inc();
  }

  /** Current value of a counter series, for summaries and tests. */
  public long value(String name, String label) {
    Counter c = switch (name) {
      case EVENTS -> events;
      case FIRINGS -> firings;
      case ERRORS -> errors;
      case EVICTIONS -> evictions;
      case SUPPRESSED -> suppressed;
      case REJECTED -> rejected;
      case PUBLISH_REFUSED -> publishRefused;
      default -> throw new IllegalArgumentException("not an agent metric: " + name);
    };
    return (long) c.labelValues(label).get();
  }
}
