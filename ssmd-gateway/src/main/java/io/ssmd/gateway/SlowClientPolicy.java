package io.ssmd.gateway;

import java.util.Locale;

/** What happens to a client whose queue is full (it reads slower than its subscriptions produce). */
public enum SlowClientPolicy {
  /** The oldest queued messages are dropped; the client gets a {@code slow_consumer} notice with the count. */
  DROP_OLDEST,
  /** The client gets a {@code slow_consumer} notice and is disconnected (close 1008). */
  DISCONNECT;

  /** {@code drop_oldest} or {@code disconnect}; {@link IllegalArgumentException} naming both otherwise. */
  public static SlowClientPolicy parse(String s) {
    if (s != null) {
      for (SlowClientPolicy p : values()) {
        if (p.configName().equals(s.trim().toLowerCase(Locale.ROOT))) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException("slow-client policy must be drop_oldest or disconnect, got '" + s + "'");
  }

  /** The name used in flags, docs and notices. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
