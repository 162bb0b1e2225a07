package io.ssmd.market;

import java.util.List;

/** What a venue normalizer made of one archived frame. */
public sealed interface Normalized permits Normalized.Events, Normalized.Skipped, Normalized.Rejected {

  /** The frame became these events (possibly several: a Kraken book update with many levels). */
  record Events(List<MarketEvent> events) implements Normalized {
    public Events {
      events = List.copyOf(events);
    }
  }

  /** Not market data (acks, heartbeats, status): nothing to export, not an error. */
  record Skipped(String reason) implements Normalized {}

  /**
   * Market data that could not be normalized; counted with its reason in export manifests.
   *
   * @param reason short bounded vocabulary: {@code malformed, unknown_type, missing_field, bad_number}
   * @param detail human-readable detail (field name, value)
   */
  record Rejected(String reason, String detail) implements Normalized {}
}
