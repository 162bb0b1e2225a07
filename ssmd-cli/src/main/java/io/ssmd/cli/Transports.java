package io.ssmd.cli;

import io.ssmd.config.JetStreamConfig;
import io.ssmd.config.PublishConfig;
import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.config.TransportConfig;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.Transport;
import io.ssmd.transport.memory.MemoryTransport;
import io.ssmd.transport.nats.NatsTransport;
import io.ssmd.transport.nats.NatsTransportOptions;
import io.ssmd.transport.nats.StreamSpec;
import java.util.List;

/** Maps an environment's {@code transport} block onto a running {@link Transport}. */
final class Transports {
  private Transports() {}

  /** Opens the environment's transport for a connector of its feed. */
  static Transport open(ResolvedEnvironment env, PublishListener listener) {
    TransportConfig t = env.environment().transport();
    return switch (t.type()) {
      case MEMORY -> MemoryTransport.start(listener);
      case NATS -> NatsTransport.connect(natsOptions(env), listener);
    };
  }

  static NatsTransportOptions natsOptions(ResolvedEnvironment env) {
    TransportConfig t = env.environment().transport();
    PublishConfig p = t.publish();
    if (!t.jetstream().enabled()) {
      throw new UsageException(env.environmentFile() + ": transport.jetstream.enabled is false, but ssmd publishes only"
          + " through JetStream (acknowledged, de-duplicated); set it to true");
    }
    return new NatsTransportOptions(
        t.url().toString(),
        env.streamName(),
        List.of(env.subjectPrefix() + "." + Subjects.sanitize(env.feedName()) + ".json.>"),
        p.maxInFlight(),
        p.bufferMessages(),
        p.ackTimeout(),
        "ssmd-connector-" + env.feedName());
  }

  /** The stream the environment's feed publishes into (DESIGN §3). */
  static StreamSpec streamSpec(ResolvedEnvironment env) {
    JetStreamConfig js = env.environment().transport().jetstream();
    return new StreamSpec(
        env.streamName(),
        List.of(Subjects.feedWildcard(env.subjectPrefix(), env.feedName())),
        js.maxAge(),
        js.replicas(),
        js.duplicateWindow(),
        js.maxBytes());
  }

  /**
   * Opens the security master's stream {@code {PREFIX}_SECMASTER} of the environment's NATS server:
   * connectors read change events there and {@code ssmd secmaster sync} publishes them. The stream
   * must exist ({@code ssmd env apply}).
   */
  static Transport openSecmaster(ResolvedEnvironment env) {
    TransportConfig t = env.environment().transport();
    if (t.type() != io.ssmd.config.TransportType.NATS) {
      throw new UsageException(env.environmentFile() + ": subscriptions.follow_secmaster reads the {PREFIX}_SECMASTER stream,"
          + " but transport.type is " + t.type().configName() + "; use nats (ssmd up follows in-process)");
    }
    return NatsTransport.connect(
        NatsTransportOptions.secmaster(t.url().toString(), env.subjectPrefix())
            .withConnectionName("ssmd-secmaster-" + env.feedName()),
        PublishListener.NONE);
  }

  /**
   * The environment's other streams, beside its feed's: {@code {PREFIX}_SECMASTER} ({@code
   * {prefix}.secmaster.>}, change events) and {@code {PREFIX}_SIGNALS} ({@code {prefix}.signals.>},
   * the agent's signals). Same max age, replicas and duplicate window as the feed stream; no size
   * limit, as their volume is small.
   */
  static List<StreamSpec> sharedStreamSpecs(ResolvedEnvironment env) {
    JetStreamConfig js = env.environment().transport().jetstream();
    return List.of(
        StreamSpec.forSecmaster(env.subjectPrefix(), js.maxAge(), js.replicas(), js.duplicateWindow(), -1),
        StreamSpec.forSignals(env.subjectPrefix(), js.maxAge(), js.replicas(), js.duplicateWindow(), -1));
  }
}
