package io.ssmd.agent;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.data.Feeds;
import io.ssmd.market.MarketEvent;
import io.ssmd.market.Normalized;
import io.ssmd.market.Normalizer;
import io.ssmd.observability.RateLimitedLogger;
import io.ssmd.observability.ReadinessCheck;
import io.ssmd.transport.Delivered;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.Headers;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live signal agent: subscribes to {@code {prefix}.{feed}.json.>} of each input, normalizes
 * each frame with the feed's venue normalizer (event time = the {@code Ssmd-Received-At} header,
 * the capture receive time the archive keeps as {@code _received_at}), evaluates the signals in one
 * {@link SignalEngine} and publishes every firing as JSON on {@code {prefix}.signals.{signal}.{ticker}}.
 *
 * <p>Embedding ({@code ssmd up}): {@code Agent.start(options, inputs, registry)}, serve {@link
 * #readiness()} and the registry on a {@code HealthServer}, {@link #close()} on shutdown. The agent
 * does not own the transports.
 *
 * <p>A watermark timer (every {@link AgentOptions#tick()}) advances the event time of a feed that
 * has gone silent: last event time + wall time since it arrived − {@link
 * AgentOptions#watermarkGrace()}. Only {@code stale_feed}-like signals react to it, and they fire
 * with the event-time moment the silence began + their threshold, which is what a backtest
 * computes when the next event after the silence arrives.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  private static final RateLimitedLogger RATE_LOG = new RateLimitedLogger(LOG);

  private final AgentOptions options;
  private final Map<String, AgentInput> inputs;
  private final AgentMetrics metrics;
  private final SignalEngine engine;
  private final List<AutoCloseable> subscriptions = new ArrayList<>();
  private final Map<String, Long> lastArrivalNanos = new ConcurrentHashMap<>();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final ScheduledExecutorService timer;

  private Agent(AgentOptions options, Map<String, AgentInput> inputs, PrometheusRegistry registry) {
    this.options = options;
    this.inputs = inputs;
    this.metrics = AgentMetrics.create(registry, inputs.keySet(), options.signals().stream().map(SignalDefinition::name).toList());
    this.engine = new SignalEngine(options.signals(), metrics, this::publish);
    this.timer = options.tick().isZero() ? null : Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "agent-watermark");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts evaluating. Each feed may appear once (signal state and watermarks are per feed).
   *
   * @throws IllegalArgumentException when a feed is given twice or there is no input
   */
  public static Agent start(AgentOptions options, List<AgentInput> inputs, PrometheusRegistry registry) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(registry, "registry");
    Map<String, AgentInput> byFeed = new LinkedHashMap<>();
    for (AgentInput in : inputs) {
      if (byFeed.put(in.feed(), in) != null) {
        throw new IllegalArgumentException("feed " + in.feed() + " is given twice; run one agent per environment of the same feed");
      }
    }
    if (byFeed.isEmpty()) {
      throw new IllegalArgumentException("the agent needs at least one input feed (--env)");
    }
    Agent a = new Agent(options, byFeed, registry);
    a.subscribe();
    return a;
  }

  /** One environment's feed in and firings out on the same transport (the memory transport of {@code ssmd up}). */
  public static Agent start(AgentOptions options, String subjectPrefix, Map<String, Transport> in, Transport out,
      PrometheusRegistry registry) {
    List<AgentInput> list = new ArrayList<>();
    in.forEach((feed, t) -> list.add(new AgentInput(subjectPrefix, feed, t, out)));
    return start(options, list, registry);
  }

  private void subscribe() {
    for (AgentInput in : inputs.values()) {
      Normalizer normalizer = Feeds.normalizer(in.feed());
      String pattern = Subjects.sanitize(in.subjectPrefix()) + '.' + Subjects.sanitize(in.feed()) + ".json.>";
      subscriptions.add(in.in().subscribe(pattern, options.fromFirst() ? Transport.FIRST : Transport.NEW,
          d -> onMessage(in.feed(), normalizer, d)));
      LOG.info("agent reading {} ({} signal(s))", pattern, options.signals().size());
    }
    if (timer != null) {
      long ms = Math.max(1, options.tick().toMillis());
      timer.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  private void onMessage(String feed, Normalizer normalizer, Delivered d) {
    String at = d.headers() == null ? null : d.headers().get(Headers.RECEIVED_AT);
    long micros;
    try {
      micros = Long.parseLong(Objects.requireNonNull(at, "no header")) / 1000;
    } catch (RuntimeException e) {
      // without the capture time there is no event time to evaluate it at (and no way to match a backtest)
      metrics.rejected(feed);
      RATE_LOG.warn("no-received-at-" + feed, "{} message {} has no valid {} header; not evaluated", feed, d.subject(),
          Headers.RECEIVED_AT);
      return;
    }
    Normalized n = normalizer.normalize(d.payload(), micros, d.seq());
    switch (n) {
      case Normalized.Events e -> {
        for (MarketEvent ev : e.events()) {
          engine.onEvent(ev);
        }
        lastArrivalNanos.put(feed, System.nanoTime());
      }
      case Normalized.Skipped s -> {
        // control traffic: nothing to evaluate
      }
      case Normalized.Rejected r -> {
        metrics.rejected(feed);
        RATE_LOG.warn("rejected-" + feed + "-" + r.reason(), "{} frame on {} not normalized ({}: {})", feed, d.subject(), r.reason(),
            r.detail());
      }
    }
  }

  /** The timer: advance silent feeds' event time by the wall time since their last event, less the grace. */
  private void tick() {
    try {
      long now = System.nanoTime();
      long grace = options.watermarkGrace().toNanos() / 1000;
      for (Map.Entry<String, Long> e : lastArrivalNanos.entrySet()) {
        Long wm = engine.watermark(e.getKey());
        if (wm == null) {
          continue;
        }
        long silentMicros = (now - e.getValue()) / 1000;
        if (silentMicros > grace) {
          engine.advance(e.getKey(), wm + silentMicros - grace);
        }
      }
    } catch (RuntimeException ex) {
      LOG.warn("agent watermark tick failed: {}", ex.toString());
    }
  }

  private void publish(Firing f) {
    AgentInput in = inputs.get(f.feed());
    if (in == null) {
      // a Java signal fired for a feed the agent does not read: publish under the first input's environment
      in = inputs.values().iterator().next();
    }
    byte[] json = f.toJson().getBytes(StandardCharsets.UTF_8);
    Envelope env = new Envelope(f.subject(in.subjectPrefix()), json, f.msgId(), Math.multiplyExact(f.ts(), 1000L), "agent", 0);
    if (in.out().publish(env)) {
      published.incrementAndGet();
    } else {
      refused.incrementAndGet();
      metrics.publishRefused(f.signal());
    }
  }

  /** Ready when every input and output transport is connected. */
  public ReadinessCheck readiness() {
    return () -> {
      List<String> reasons = new ArrayList<>();
      for (AgentInput in : inputs.values()) {
        if (!in.in().connected()) {
          reasons.add(in.feed() + " input transport is not connected");
        }
        if (!in.out().connected()) {
          reasons.add(in.feed() + " signals transport is not connected");
        }
      }
      return reasons;
    };
  }

  /** The engine (events and firings counted so far, watermarks). */
  public SignalEngine engine() {
    return engine;
  }

  public AgentMetrics metrics() {
    return metrics;
  }

  /** Firings handed to an output transport, and refused by it. */
  public long published() {
    return published.get();
  }

  public long refused() {
    return refused.get();
  }

  /** Stops reading and the timer, then waits up to {@code timeout} for outputs to acknowledge the firings. */
  public boolean close(Duration timeout) {
    if (timer != null) {
      timer.shutdownNow();
    }
    for (AutoCloseable s : subscriptions) {
      try {
        s.close();
      } catch (Exception e) {
        LOG.warn("closing an agent subscription failed: {}", e.toString());
      }
    }
    boolean ok = true;
    for (AgentInput in : inputs.values()) {
      ok &= in.out().flush(timeout);
    }
    return ok;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
