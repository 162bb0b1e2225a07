package io.ssmd.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a live agent runs.
 *
 * @param signals the declarations (from {@link SignalsFile#load})
 * @param fromFirst read everything the transport retains ({@code true}; the memory transport of
 *     {@code ssmd up}, tests) or only messages arriving after start ({@code false}; a restarted
 *     agent on a JetStream stream does not re-fire a whole day)
 * @param tick how often the timer advances the watermark of silent feeds; {@link Duration#ZERO} turns it off
 * @param watermarkGrace the timer's watermark trails the last event time plus the wall time since
 *     it arrived by this much, so an event still in flight (transport delay up to the grace) is
 *     evaluated before a stale firing it would have prevented: live and backtest agree while the
 *     transport's delay stays under the grace
 */
public record AgentOptions(List<SignalDefinition> signals, boolean fromFirst, Duration tick, Duration watermarkGrace) {
  public static final Duration DEFAULT_TICK = Duration.ofSeconds(1);
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

  public AgentOptions {
    List<String> problems = new ArrayList<>();
    if (signals == null || signals.isEmpty()) {
      problems.add("signals: at least one signal declaration is required");
    }
    if (tick == null || tick.isNegative()) {
      problems.add("tick must be zero (off) or positive, got " + tick);
    }
    if (watermarkGrace == null || watermarkGrace.isNegative()) {
      problems.add("watermarkGrace must be zero or positive, got " + watermarkGrace);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid agent options: " + String.join("; ", problems));
    }
    signals = List.copyOf(signals);
  }

  /** New messages only, 1 s tick, 5 s grace. */
  public static AgentOptions defaults(List<SignalDefinition> signals) {
    return new AgentOptions(signals, false, DEFAULT_TICK, DEFAULT_GRACE);
  }

  public AgentOptions withFromFirst(boolean v) {
    return new AgentOptions(signals, v, tick, watermarkGrace);
  }

  public AgentOptions withTick(Duration v) {
    return new AgentOptions(signals, fromFirst, v, watermarkGrace);
  }

  public AgentOptions withWatermarkGrace(Duration v) {
    return new AgentOptions(signals, fromFirst, tick, v);
  }
}
