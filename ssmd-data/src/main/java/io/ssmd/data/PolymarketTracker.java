package io.ssmd.data;

import static io.ssmd.data.BookRebuilder.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.archiver.ArchiveLine;
import io.ssmd.market.MarketEvent;
import io.ssmd.market.MarketEvent.BookDelta;
import io.ssmd.market.MarketEvent.BookSnapshot;
import io.ssmd.market.Normalized;
import io.ssmd.venue.polymarket.PolymarketNormalizer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Polymarket: {@code book} replaces the asset's book, {@code price_change} sets aggregate sizes.
 * The channel has no sequence numbers; the venue's best bid/ask (on each price change and in
 * {@code best_bid_ask}) are the only check. A disagreement breaks the book until the next
 * {@code book}: matching best prices later do not prove the deeper levels.
 */
final class PolymarketTracker extends BookTracker {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PolymarketNormalizer normalizer = new PolymarketNormalizer();
  private final byte[] symbolBytes;

  PolymarketTracker(String symbol) {
    super(symbol);
    this.symbolBytes = symbol.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  void accept(ArchiveLine line) {
    byte[] f = line.frame();
    if (!contains(f, symbolBytes)) {
      return;
    }
    JsonNode root;
    try {
      root = JSON.readTree(f);
    } catch (IOException e) {
      return;
    }
    String type = root.path("event_type").asText("");
    switch (type) {
      case "book", "price_change" -> apply(line, type);
      case "best_bid_ask" -> {
        if (symbol.equals(root.path("asset_id").asText()) && hasBook && !broken()) {
          check(line, root.get("best_bid"), root.get("best_ask"));
        }
      }
      default -> {}
    }
    if (type.equals("price_change") && hasBook && !broken()) {
      // the last change of this asset in the message carries the best prices after all of them
      JsonNode last = null;
      for (JsonNode c : root.path("price_changes")) {
        if (symbol.equals(c.path("asset_id").asText())) {
          last = c;
        }
      }
      if (last != null && (last.hasNonNull("best_bid") || last.hasNonNull("best_ask"))) {
        check(line, last.get("best_bid"), last.get("best_ask"));
      } else if (last != null || symbol.equals(root.path("asset_id").asText())) {
        checked(null, "price change at " + time(line.receivedAtMicros()) + " carries no best prices");
      }
    }
  }

  private void apply(ArchiveLine line, String type) {
    if (!(normalizer.normalize(line.frame(), line.receivedAtMicros(), line.natsSeq()) instanceof Normalized.Events events)) {
      return;
    }
    boolean touched = false;
    for (MarketEvent e : events.events()) {
      if (!e.header().instrument().equals(symbol)) {
        continue;
      }
      if (e instanceof BookSnapshot s) {
        replace(s.bids(), s.asks());
        heals(line.receivedAtMicros(), "resynced by book");
        checked(Boolean.TRUE, "book snapshot at " + time(line.receivedAtMicros()));
        touched = true;
      } else if (e instanceof BookDelta d && hasBook) {
        set(d.side(), d.price(), d.size());
        touched = true;
      }
    }
    if (touched) {
      applied(line);
    }
  }

  private void check(ArchiveLine line, JsonNode bidNode, JsonNode askNode) {
    BigDecimal bid = decimal(bidNode);
    BigDecimal ask = decimal(askNode);
    BigDecimal localBid = bids.isEmpty() ? null : bids.firstKey();
    BigDecimal localAsk = asks.isEmpty() ? null : asks.firstKey();
    boolean ok = (bid == null || same(localBid, bid, false)) && (ask == null || same(localAsk, ask, true));
    String at = time(line.receivedAtMicros());
    if (ok) {
      checked(Boolean.TRUE, "best bid/ask " + bid + "/" + ask + " match at " + at);
    } else {
      breaks(line.receivedAtMicros(), "best bid/ask mismatch (venue " + bid + "/" + ask + ", rebuilt " + localBid + "/" + localAsk
          + ", nats seq " + line.natsSeq() + ")");
      checked(Boolean.FALSE, "best bid/ask mismatch at " + at);
    }
  }

  /** An empty side matches the venue's placeholder for "no price" (0 for bids; 0 or 1 for asks). */
  private static boolean same(BigDecimal local, BigDecimal venue, boolean ask) {
    if (local == null) {
      return venue.signum() == 0 || (ask && venue.compareTo(BigDecimal.ONE) == 0);
    }
    return local.compareTo(venue) == 0;
  }

  private static BigDecimal decimal(JsonNode n) {
    if (n == null || n.isNull() || n.asText().isBlank()) {
      return null;
    }
    try {
      return new BigDecimal(n.asText().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
