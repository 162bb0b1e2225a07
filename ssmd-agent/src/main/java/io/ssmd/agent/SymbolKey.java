package io.ssmd.agent;

import io.ssmd.market.MarketEvent;

/** Per-symbol state key of the built-in signals: an instrument is only unique within its feed. */
record SymbolKey(String feed, String ticker) {
  static SymbolKey of(MarketEvent e) {
    return new SymbolKey(e.header().feed(), e.header().instrument());
  }
}
