package io.ssmd.agent;

import io.ssmd.market.MarketEvent;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code stale_feed}: no event for a symbol ({@code scope: symbol}) or for a whole feed ({@code
 * scope: feed}) for {@code after}, in event time. A symbol is tracked from its first event; it goes
 * stale when the feed's watermark (the latest receive time seen on the feed, or live, the timer's
 * watermark) reaches its last event time plus {@code after}. The firing's {@code ts} is that
 * moment (last event + after), not when it was noticed, so live (timer) and backtest (next event
 * of the feed) give the same firing. Fires once per silence; the next event re-arms it. With
 * {@code scope: feed} the ticker of the firing is the feed name.
 */
final class StaleFeed implements Signal {
  static final String KIND = "stale_feed";
  static final List<String> KEYS = List.of("after", "scope");
  static final String DOC = "no event for a symbol (or the whole feed) for `after` (event time)";

  private long afterMicros;
  private boolean feedScope;
  // per feed: key -> last event time, in last-event order (oldest first), so a check stops at the first fresh entry
  private final Map<String, Map<String, Long>> lastSeen = new HashMap<>();
  // per feed: the latest event time tracked, so a late event (another shard) keeps the order above
  private final Map<String, Long> latest = new HashMap<>();
  private SignalContext ctx;

  @Override
  public void init(SignalContext c) {
    this.ctx = c;
    afterMicros = c.definition().duration("after").toNanos() / 1000;
    if (afterMicros <= 0) {
      throw new ParamException("after", "expected a positive duration such as 30s");
    }
    feedScope = c.definition().choice("scope", List.of("symbol", "feed"), "symbol").equals("feed");
  }

  @Override
  public void onWatermark(String feed, long watermarkMicros, SignalContext c) {
    Map<String, Long> seen = lastSeen.get(feed);
    if (seen == null) {
      return;
    }
    Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Long> e = it.next();
      long last = e.getValue();
      if (watermarkMicros - last < afterMicros) {
        break;
      }
      it.remove();
      BigDecimal seconds = BigDecimal.valueOf(afterMicros, 6).stripTrailingZeros();
      c.fire(feed, e.getKey(), last + afterMicros, seconds, seconds, Map.of(
          "last_event_us", Long.toString(last), "scope", feedScope ? "feed" : "symbol"));
    }
  }

  @Override
  public void onEvent(MarketEvent e, SignalContext c) {
    String feed = e.header().feed();
    Map<String, Long> seen = lastSeen.computeIfAbsent(feed, f -> ctx.boundedMap());
    String key = feedScope ? feed : e.header().instrument();
    // never behind the feed's latest tracked time: the map's order must stay the order of times
    long ts = Math.max(e.header().receivedAtMicros(), latest.getOrDefault(feed, Long.MIN_VALUE));
    latest.put(feed, ts);
    seen.remove(key);
    seen.put(key, ts);
  }
}
