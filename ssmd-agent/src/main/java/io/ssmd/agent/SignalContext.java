package io.ssmd.agent;

import java.math.BigDecimal;
import java.util.Map;

/** What the runtime gives a {@link Signal}: its declaration, a way to fire, bounded state. */
public interface SignalContext {

  /** The signal's declaration (name, kind, symbols, cooldown, parameters). */
  SignalDefinition definition();

  /**
   * Fires for {@code (feed, ticker)} at event time {@code tsMicros}. Held back (and counted in
   * {@code ssmd_agent_signal_suppressed_total}) when the same signal fired for the same feed and
   * ticker less than the cooldown ago in event time.
   *
   * @return true when the firing was emitted
   */
  boolean fire(String feed, String ticker, long tsMicros, BigDecimal value, BigDecimal threshold, Map<String, String> details);

  /**
   * A map for per-symbol state holding at most the declaration's {@code max_symbols} entries: the
   * least recently used entry is evicted beyond that and counted in {@code
   * ssmd_agent_state_evictions_total{signal}}. Access-ordered: {@code get} counts as a use.
   */
  <K, V> BoundedMap<K, V> boundedMap();

  /** Counts {@code n} state entries a signal dropped by its own bound (e.g. far book levels). */
  void evicted(long n);
}
