package io.ssmd.cli;

import io.nats.client.JetStreamApiException;
import io.ssmd.agent.Firing;
import io.ssmd.config.Durations;
import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.config.PublishConfig;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.Transport;
import io.ssmd.transport.nats.NatsTransport;
import io.ssmd.transport.nats.NatsTransportOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** The agent commands' wiring: the {@code {PREFIX}_SIGNALS} stream and option parsing. */
final class AgentSignals {
  private AgentSignals() {}

  /** {@code {PREFIX}_SIGNALS}, keeping {@code {prefix}.signals.>}. */
  static String streamName(ResolvedEnvironment r) {
    return Subjects.streamName(r.subjectPrefix(), "signals");
  }

  /**
   * A JetStream transport publishing into the environment's signals stream; a missing stream is a
   * configuration error (firings would be dropped as not stored), found at start-up.
   */
  static Transport openSignals(ResolvedEnvironment r) {
    PublishConfig p = r.environment().transport().publish();
    String stream = streamName(r);
    NatsTransport t = NatsTransport.connect(new NatsTransportOptions(r.environment().transport().url().toString(), stream,
        List.of(Firing.wildcard(r.subjectPrefix())), p.maxInFlight(), p.bufferMessages(), p.ackTimeout(), "ssmd-agent-" + r.feedName()),
        PublishListener.NONE);
    try {
      t.connection().jetStreamManagement().getStreamInfo(stream);
    } catch (JetStreamApiException e) {
      t.close();
      throw new UsageException("JetStream stream " + stream + " (" + Firing.wildcard(r.subjectPrefix()) + ") does not exist: run ssmd env apply "
          + r.environmentFile() + " first");
    } catch (IOException e) {
      t.close();
      throw new IllegalStateException("cannot look up JetStream stream " + stream + ": " + e.getMessage(), e);
    }
    return t;
  }

  static Duration duration(String option, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(option + ": " + e.getMessage());
    }
  }
}
