package io.ssmd.sim.kraken;

import io.ssmd.sim.SimConnection;
import java.util.HashMap;
import java.util.Map;

/** One client of the simulated Kraken venue and what it subscribed to. Guarded by the venue's lock. */
final class KrakenSimConnection extends SimConnection {

  /** One channel subscription for one symbol; {@code view} is the book exactly as the client holds it. */
  static final class Sub {
    final String channel;
    final String symbol;
    final int depth;
    final String eventTrigger;
    SimBook view;

    Sub(String channel, String symbol, int depth, String eventTrigger) {
      this.channel = channel;
      this.symbol = symbol;
      this.depth = depth;
      this.eventTrigger = eventTrigger;
    }
  }

  private final KrakenSim kraken;
  /** channel -> symbol -> subscription */
  final Map<String, Map<String, Sub>> subs = new HashMap<>();
  boolean instrument;
  /** Kraken starts heartbeats after the first subscribe. */
  boolean heartbeats;
  long lastDataNanos = System.nanoTime();

  KrakenSimConnection(KrakenSim kraken) {
    super(kraken);
    this.kraken = kraken;
  }

  Sub sub(String channel, String symbol) {
    Map<String, Sub> m = subs.get(channel);
    return m == null ? null : m.get(symbol);
  }

  int subscriptionCount() {
    int n = instrument ? 1 : 0;
    for (Map<String, Sub> m : subs.values()) {
      n += m.size();
    }
    return n;
  }

  @Override
  protected void opened() {
    kraken.onOpen(this);
  }

  @Override
  protected void onText(String message) {
    kraken.onRequest(this, message);
  }
}
