package io.ssmd.market;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One normalized market event: the same shape whatever the venue. Prices and sizes are {@link
 * BigDecimal} (never double). Times are epoch microseconds; {@code exchangeTimeMicros} is 0 when
 * the venue frame carries no time.
 *
 * <p>Venue conventions mapped here (each venue's normalizer documents its own):
 * <ul>
 *   <li>Kalshi: instrument = market ticker; prices in dollars (0..1) of the YES side. The book
 *       holds bids only: a YES bid at p is a {@link Side#BID} at p, a NO bid at p is a YES ask,
 *       i.e. an {@link Side#ASK} at {@code 1 - p}.
 *   <li>Kraken: instrument = v2 symbol ({@code BTC/USD}).
 *   <li>Polymarket: instrument = asset (token) id; {@code market} (condition id) in lifecycle detail.
 * </ul>
 */
public sealed interface MarketEvent
    permits MarketEvent.Trade, MarketEvent.Quote, MarketEvent.BookSnapshot, MarketEvent.BookDelta, MarketEvent.Lifecycle {

  /** Bid or ask side of a book; aggressor side of a trade (BID = buyer-initiated). */
  enum Side {
    BID,
    ASK,
    UNKNOWN
  }

  /** Common header of every event. {@code natsSeq} is the stream sequence (0 when not from a stream). */
  record Header(String feed, String instrument, long exchangeTimeMicros, long receivedAtMicros, long natsSeq) {
    public Header {
      Objects.requireNonNull(feed, "feed");
      Objects.requireNonNull(instrument, "instrument");
    }
  }

  Header header();

  /** Normalized type name, also the export table name: trade, quote, book_snapshot, book_delta, lifecycle. */
  String kind();

  /**
   * A trade.
   *
   * @param tradeId the venue's trade id (dedupe on this, never on time)
   * @param aggressor side of the taker: BID for a buy (Kalshi: taker bought YES), ASK for a sell
   */
  record Trade(Header header, String tradeId, BigDecimal price, BigDecimal size, Side aggressor) implements MarketEvent {
    public Trade {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(price, "price");
      Objects.requireNonNull(size, "size");
      Objects.requireNonNull(aggressor, "aggressor");
    }

    @Override
    public String kind() {
      return "trade";
    }
  }

  /** Top of book and last price; any field may be null when the venue frame does not carry it. */
  record Quote(Header header, BigDecimal bidPrice, BigDecimal bidSize, BigDecimal askPrice, BigDecimal askSize, BigDecimal lastPrice)
      implements MarketEvent {
    public Quote {
      Objects.requireNonNull(header, "header");
    }

    @Override
    public String kind() {
      return "quote";
    }
  }

  /** One price level. */
  record Level(BigDecimal price, BigDecimal size) {
    public Level {
      Objects.requireNonNull(price, "price");
      Objects.requireNonNull(size, "size");
    }
  }

  /**
   * A full book that replaces whatever was there. Bids best (highest) first, asks best (lowest) first.
   *
   * @param checksum the venue's checksum of this state, or null (Kraken CRC32 as unsigned)
   */
  record BookSnapshot(Header header, List<Level> bids, List<Level> asks, Long checksum) implements MarketEvent {
    public BookSnapshot {
      Objects.requireNonNull(header, "header");
      bids = List.copyOf(bids);
      asks = List.copyOf(asks);
    }

    @Override
    public String kind() {
      return "book_snapshot";
    }
  }

  /**
   * A change of one level. {@code size} is the NEW aggregate size at the price (0 removes the
   * level); venues that send signed changes (Kalshi {@code delta_fp}) are converted by the
   * normalizer only when it tracks the book, otherwise {@code isIncrement} is true and {@code size}
   * is the signed change.
   *
   * @param sequence the venue's sequence number of the message (Kalshi seq per sid), or null
   * @param checksum the venue's checksum after the message (Kraken, on the last level of a message), or null
   */
  record BookDelta(Header header, Side side, BigDecimal price, BigDecimal size, boolean isIncrement, Long sequence, Long checksum)
      implements MarketEvent {
    public BookDelta {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(side, "side");
      Objects.requireNonNull(price, "price");
      Objects.requireNonNull(size, "size");
    }

    @Override
    public String kind() {
      return "book_delta";
    }
  }

  /**
   * A lifecycle change of an instrument or event.
   *
   * @param event the venue's event name (created, activated, determined, settled, new_market,
   *     market_resolved, tick_size_change, ...)
   * @param detail compact JSON of the remaining venue fields worth keeping, or null
   */
  record Lifecycle(Header header, String event, String detail) implements MarketEvent {
    public Lifecycle {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(event, "event");
    }

    @Override
    public String kind() {
      return "lifecycle";
    }
  }
}
