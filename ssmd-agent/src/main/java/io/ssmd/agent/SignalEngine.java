package io.ssmd.agent;

import io.ssmd.market.MarketEvent;
import io.ssmd.observability.RateLimitedLogger;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Runs declared signals over normalized events: the one evaluation path shared by the live agent
 * ({@link Agent}) and backtests ({@link Backtest}), which is why both give the same firings for
 * the same events in the same order.
 *
 * <p>For each event: the event's feed watermark (its latest receive time) advances; every signal
 * gets {@link Signal#onWatermark} for the feed (what they fire is emitted ordered by event time),
 * then every signal whose {@code symbols} match the event gets {@link Signal#onEvent}. Signals are called one at a time (the engine is
 * synchronized), in declaration order. A signal that throws is counted in {@code
 * ssmd_agent_signal_errors_total{signal}} and logged (rate-limited); evaluation goes on.
 */
public final class SignalEngine {
  private static final RateLimitedLogger LOG = new RateLimitedLogger(LoggerFactory.getLogger(SignalEngine.class));

  private final List<Slot> slots = new ArrayList<>();
  private final AgentMetrics metrics;
  private final Consumer<Firing> sink;
  private final Map<String, Long> watermarks = new HashMap<>();
  private long events;
  private long firings;
  // firings made during a watermark pass, emitted sorted by event time when the pass ends
  private final List<Firing> collected = new ArrayList<>();
  private boolean collecting;

  /**
   * @param definitions the signals, instantiated and initialised here in order
   * @param sink receives every emitted firing, on the evaluating thread
   */
  public SignalEngine(List<SignalDefinition> definitions, AgentMetrics metrics, Consumer<Firing> sink) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.sink = Objects.requireNonNull(sink, "sink");
    for (SignalDefinition d : definitions) {
      Slot s = new Slot(d, SignalKinds.create(d), this);
      s.signal.init(s);
      slots.add(s);
    }
  }

  /**
   * Checks that a declaration makes a signal (kind known, class found, parameters valid) without
   * evaluating anything; throws {@link ParamException} naming the key otherwise.
   */
  static void validate(SignalDefinition d) {
    Slot s = new Slot(d, SignalKinds.create(d), null);
    s.signal.init(s);
  }

  /** Evaluates one event (its time is {@link MarketEvent.Header#receivedAtMicros()}). */
  public synchronized void onEvent(MarketEvent e) {
    String feed = e.header().feed();
    long ts = e.header().receivedAtMicros();
    metrics.event(feed);
    events++;
    long wm = Math.max(watermarks.getOrDefault(feed, Long.MIN_VALUE), ts);
    watermarks.put(feed, wm);
    String instrument = e.header().instrument();
    passWatermark(feed, wm);
    for (Slot s : slots) {
      if (!s.definition.symbols().matches(feed, instrument)) {
        continue;
      }
      try {
        s.signal.onEvent(e, s);
      } catch (RuntimeException ex) {
        metrics.error(s.definition.name());
        LOG.warn("signal-error-" + s.definition.name(), "signal {} failed on a {} event of {} {}: {}", s.definition.name(),
            e.kind(), feed, instrument, ex.toString());
      }
    }
  }

  /**
   * Runs every signal's {@link Signal#onWatermark} and emits what they fired ordered by event time
   * (stable: ties in declaration order). Sorting makes one pass at a late watermark (a backtest's
   * next event after a silence) emit the same sequence as several timer passes at increasing
   * watermarks (live): each pass emits only firings stamped after the previous pass's watermark.
   */
  private void passWatermark(String feed, long wm) {
    collecting = true;
    try {
      for (Slot s : slots) {
        try {
          s.signal.onWatermark(feed, wm, s);
        } catch (RuntimeException ex) {
          metrics.error(s.definition.name());
          LOG.warn("signal-error-" + s.definition.name(), "signal {} failed on a watermark of {}: {}", s.definition.name(), feed,
              ex.toString());
        }
      }
    } finally {
      collecting = false;
    }
    if (!collected.isEmpty()) {
      List<Firing> batch = new ArrayList<>(collected);
      collected.clear();
      batch.sort(java.util.Comparator.comparingLong(Firing::ts));
      batch.forEach(this::emit);
    }
  }

  /**
   * Advances a feed's event time without an event (the live timer while the feed is silent). Only
   * signals' {@link Signal#onWatermark} runs; the feed's stored watermark is not moved, so events
   * that arrive later are evaluated exactly as in a backtest. Ignored when not ahead of the
   * event-driven watermark or when the feed has had no event yet.
   */
  public synchronized void advance(String feed, long watermarkMicros) {
    Long wm = watermarks.get(feed);
    if (wm == null || watermarkMicros <= wm) {
      return;
    }
    passWatermark(feed, watermarkMicros);
  }

  /** The feed's event-driven watermark (latest receive time, epoch µs), or null before its first event. */
  public synchronized Long watermark(String feed) {
    return watermarks.get(feed);
  }

  /** Events evaluated so far. */
  public synchronized long events() {
    return events;
  }

  /** Firings emitted so far. */
  public synchronized long firings() {
    return firings;
  }

  /** The declarations, in evaluation order. */
  public List<SignalDefinition> definitions() {
    return slots.stream().map(s -> s.definition).toList();
  }

  private void emit(Firing f) {
    firings++;
    metrics.firing(f.signal());
    sink.accept(f);
  }

  /** One declared signal with its context: cooldown bookkeeping and bounded state. */
  private static final class Slot implements SignalContext {
    final SignalDefinition definition;
    final Signal signal;
    final SignalEngine engine;
    final long cooldownMicros;
    final BoundedMap<SymbolKey, Long> lastFired;

    Slot(SignalDefinition d, Signal signal, SignalEngine engine) {
      this.definition = d;
      this.signal = signal;
      this.engine = engine;
      this.cooldownMicros = d.cooldown().toNanos() / 1000;
      this.lastFired = boundedMap();
    }

    @Override
    public SignalDefinition definition() {
      return definition;
    }

    @Override
    public boolean fire(String feed, String ticker, long tsMicros, BigDecimal value, BigDecimal threshold, Map<String, String> details) {
      if (engine == null) {
        return false; // validation only
      }
      SymbolKey key = new SymbolKey(feed, ticker);
      Long last = lastFired.get(key);
      if (last != null && cooldownMicros > 0 && tsMicros - last < cooldownMicros) {
        engine.metrics.suppressed(definition.name());
        return false;
      }
      lastFired.put(key, tsMicros);
      Firing f = new Firing(definition.name(), definition.kind(), feed, ticker, tsMicros, value, threshold, details);
      if (engine.collecting) {
        engine.collected.add(f);
      } else {
        engine.emit(f);
      }
      return true;
    }

    @Override
    public <K, V> BoundedMap<K, V> boundedMap() {
      return new BoundedMap<>(definition.maxSymbols(), this::evicted);
    }

    @Override
    public void evicted(long n) {
      if (n > 0 && engine != null) {
        engine.metrics.evicted(definition.name(), n);
      }
    }
  }
}
