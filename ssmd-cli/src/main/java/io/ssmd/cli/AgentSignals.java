package io.ssmd.cli;

import io.ssmd.config.Durations;
import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.config.PublishConfig;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Transport;
import io.ssmd.transport.nats.NatsTransport;
import io.ssmd.transport.nats.NatsTransportOptions;
import java.time.Duration;

/** The agent commands' wiring: the {@code {PREFIX}_SIGNALS} stream and option parsing. */
final class AgentSignals {
  private AgentSignals() {}

  /**
   * A JetStream transport publishing into the environment's signals stream. Connecting checks the
   * stream exists (a missing one fails start-up naming the stream and {@code ssmd env apply}).
   */
  static Transport openSignals(ResolvedEnvironment r) {
    PublishConfig p = r.environment().transport().publish();
    return NatsTransport.connect(NatsTransportOptions.signals(r.environment().transport().url().toString(), r.subjectPrefix())
        .withMaxInFlight(p.maxInFlight()).withBufferMessages(p.bufferMessages()).withAckTimeout(p.ackTimeout())
        .withConnectionName("ssmd-agent-" + r.feedName()), PublishListener.NONE);
  }

  static Duration duration(String option, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(option + ": " + e.getMessage());
    }
  }
}
