package io.ssmd.agent;

import io.ssmd.market.MarketEvent;

/**
 * A signal: sees the normalized events of the symbols it is declared for, in capture order, and
 * fires through its {@link SignalContext}. Write one in Java, put it on the classpath and declare it
 * with {@code kind: java} and {@code class: com.example.MySignal} (a public class with a public
 * no-argument constructor; it is instantiated once per declaration, by name, never found by
 * scanning).
 *
 * <p>Calls are serialized: one signal instance is never called from two threads at once, so its
 * state needs no locking. Time inside a signal is event time only ({@link
 * MarketEvent.Header#receivedAtMicros()} and the watermark); a signal that reads the wall clock
 * breaks the guarantee that a backtest fires exactly as live did. Keep state bounded: use {@link
 * SignalContext#boundedMap()} for anything keyed by symbol.
 */
public interface Signal {

  /**
   * Called once before any event with the declaration's context; validate parameters here and
   * throw {@link IllegalArgumentException} naming the parameter and what is expected.
   */
  default void init(SignalContext ctx) {}

  /** One event of a matching symbol. */
  void onEvent(MarketEvent event, SignalContext ctx);

  /**
   * Event time of {@code feed} advanced to {@code watermarkMicros}: called before each event of the
   * feed (with that event's receive time) and, live only, from a timer while the feed is silent
   * (see {@link AgentOptions#watermarkGrace()}). For signals about the absence of events.
   */
  default void onWatermark(String feed, long watermarkMicros, SignalContext ctx) {}
}
