package io.ssmd.gateway;

import io.ssmd.transport.Subjects;
import io.ssmd.transport.Transport;
import java.util.Objects;

/**
 * One feed the gateway serves: it subscribes {@code {subjectPrefix}.{feed}.json.>} on the transport
 * at {@link Transport#NEW} (clients get live data; the latest values fill in as they arrive).
 *
 * @param feed kalshi, kraken or polymarket (the normalizer is chosen by it)
 * @param subjectPrefix the environment's subject prefix ({@code {env}} of DESIGN §3)
 * @param transport where the feed's frames are; not closed by the gateway
 */
public record FeedSource(String feed, String subjectPrefix, Transport transport) {
  public FeedSource {
    Objects.requireNonNull(feed, "feed");
    Objects.requireNonNull(subjectPrefix, "subjectPrefix");
    Objects.requireNonNull(transport, "transport");
  }

  /** The subscription subject. */
  public String subjectFilter() {
    return Subjects.sanitize(subjectPrefix) + '.' + Subjects.sanitize(feed) + ".json.>";
  }
}
