package io.ssmd.agent;

import io.ssmd.market.MarketEvent;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * {@code volume_spike}: traded volume in the current {@code window} (tumbling, aligned on event
 * time: {@code floor(ts / window)}) exceeds {@code multiple} times the average volume of the
 * {@code trailing} windows before it (windows without trades count as 0). Needs {@code trailing}
 * windows of history and a positive average; fires at most once per window, on the trade that
 * crosses, and only when the window's volume is at least {@code min_volume}.
 */
final class VolumeSpike implements Signal {
  static final String KIND = "volume_spike";
  static final List<String> KEYS = List.of("window", "trailing", "multiple", "min_volume");
  static final String DOC = "volume in the current window > multiple x average of the trailing windows";
  private static final int SCALE = 8;

  private static final class State {
    long bucket;
    BigDecimal volume = BigDecimal.ZERO;
    final ArrayDeque<BigDecimal> history = new ArrayDeque<>();
    BigDecimal historySum = BigDecimal.ZERO;
    boolean fired;
  }

  private long windowMicros;
  private int trailing;
  private BigDecimal multiple;
  private BigDecimal minVolume;
  private Map<SymbolKey, State> states;

  @Override
  public void init(SignalContext ctx) {
    SignalDefinition d = ctx.definition();
    windowMicros = d.duration("window").toNanos() / 1000;
    if (windowMicros <= 0) {
      throw new ParamException("window", "expected a positive duration such as 1m");
    }
    trailing = d.integer("trailing", 10, 1);
    multiple = d.decimal("multiple");
    if (multiple.signum() <= 0) {
      throw new ParamException("multiple", "expected a positive decimal such as 3, got " + multiple.toPlainString());
    }
    minVolume = d.decimal("min_volume", BigDecimal.ZERO);
    states = ctx.boundedMap();
  }

  @Override
  public void onEvent(MarketEvent e, SignalContext ctx) {
    if (!(e instanceof MarketEvent.Trade t)) {
      return;
    }
    long ts = e.header().receivedAtMicros();
    long bucket = Math.floorDiv(ts, windowMicros);
    SymbolKey key = SymbolKey.of(e);
    State st = states.get(key);
    if (st == null) {
      st = new State();
      st.bucket = bucket;
      states.put(key, st);
    }
    if (bucket > st.bucket) {
      push(st, st.volume);
      // empty windows in between count as zero volume; more than `trailing` of them is a clean slate of zeros
      long empty = Math.min(bucket - st.bucket - 1, trailing);
      for (long i = 0; i < empty; i++) {
        push(st, BigDecimal.ZERO);
      }
      st.bucket = bucket;
      st.volume = BigDecimal.ZERO;
      st.fired = false;
    }
    // a late trade (earlier window than the current one) is added to the current window
    st.volume = st.volume.add(t.size());
    if (st.fired || st.history.size() < trailing || st.historySum.signum() <= 0) {
      return;
    }
    BigDecimal average = st.historySum.divide(BigDecimal.valueOf(trailing), MathContext.DECIMAL64).setScale(SCALE, RoundingMode.HALF_EVEN);
    BigDecimal limit = average.multiply(multiple).setScale(SCALE, RoundingMode.HALF_EVEN);
    if (st.volume.compareTo(limit) > 0 && st.volume.compareTo(minVolume) >= 0) {
      st.fired = true;
      ctx.fire(key.feed(), key.ticker(), ts, st.volume, limit, Map.of(
          "average", average.toPlainString(), "multiple", multiple.toPlainString(),
          "window_start_us", Long.toString(bucket * windowMicros), "window_us", Long.toString(windowMicros)));
    }
  }

  private void push(State st, BigDecimal v) {
    st.history.addLast(v);
    st.historySum = st.historySum.add(v);
    if (st.history.size() > trailing) {
      st.historySum = st.historySum.subtract(st.history.removeFirst());
    }
  }
}
