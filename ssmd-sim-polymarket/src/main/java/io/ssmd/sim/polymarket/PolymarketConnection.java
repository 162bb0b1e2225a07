package io.ssmd.sim.polymarket;

import io.ssmd.sim.SimConnection;
import java.util.LinkedHashSet;
import java.util.Set;

/** One client of the simulated market channel: its subscribed asset ids and custom-feature flag. */
final class PolymarketConnection extends SimConnection {
  private final PolymarketSim sim;

  /** Subscribed asset ids; guarded by the simulator's lock. */
  final Set<String> assets = new LinkedHashSet<>();

  /** The initial {@code type: market} subscription was received (a second one is refused). Guarded by the lock. */
  boolean initialized;

  /** {@code custom_feature_enabled: true} was sent: best_bid_ask, new_market and market_resolved are delivered. */
  volatile boolean custom;

  /** Last text {@code PING} (or connection open); the venue closes connections that stop pinging. */
  volatile long lastPingNanos = System.nanoTime();

  PolymarketConnection(PolymarketSim sim) {
    super(sim);
    this.sim = sim;
  }

  @Override
  protected void onText(String message) {
    sim.onClientText(this, message);
  }
}
