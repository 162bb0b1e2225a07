package io.ssmd.agent;

import io.ssmd.data.Feeds;
import io.ssmd.transport.Transport;
import java.util.Objects;

/**
 * One feed the agent reads, and where its firings go.
 *
 * @param subjectPrefix the environment's first subject token: the agent reads {@code
 *     {prefix}.{feed}.json.>} from {@code in} and publishes firings on {@code {prefix}.signals.{signal}.{ticker}} to {@code out}
 * @param feed kalshi, kraken or polymarket (selects the venue normalizer)
 * @param in the capture transport
 * @param out the transport whose stream keeps {@code {prefix}.signals.>} (may be {@code in} for the memory transport)
 */
public record AgentInput(String subjectPrefix, String feed, Transport in, Transport out) {
  public AgentInput {
    Objects.requireNonNull(subjectPrefix, "subjectPrefix");
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    if (feed == null || !Feeds.NAMES.contains(feed)) {
      throw new IllegalArgumentException("feed must be one of " + String.join(", ", Feeds.NAMES) + ", got " + feed);
    }
  }
}
