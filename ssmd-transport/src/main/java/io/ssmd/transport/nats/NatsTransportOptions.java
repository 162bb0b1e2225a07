package io.ssmd.transport.nats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of a {@link NatsTransport}; the CLI maps an environment's {@code transport} section onto
 * it. Invalid values are collected and reported together.
 *
 * @param url NATS server URL(s), comma separated, e.g. {@code nats://127.0.0.1:4222}
 * @param streamName the JetStream stream the connector publishes into, e.g. {@code PROD_KALSHI}
 * @param subjects every subject pattern the connector publishes (e.g. {@code prod.kalshi.json.>}); at
 *     start-up the stream's subjects must cover each of them, and a frame on any other subject is
 *     dropped as {@code not_in_stream} rather than sent where no stream would keep it
 * @param maxInFlight publishes sent but not yet acknowledged, at most
 * @param bufferMessages frames waiting to be sent (also while NATS is down); beyond it frames are
 *     dropped as {@code buffer_full}
 * @param ackTimeout how long to wait for a JetStream acknowledgement before sending again
 * @param connectionName shown by the server's monitoring ({@code connz})
 */
public record NatsTransportOptions(
    String url,
    String streamName,
    List<String> subjects,
    int maxInFlight,
    int bufferMessages,
    Duration ackTimeout,
    String connectionName) {

  public NatsTransportOptions {
    List<String> problems = new ArrayList<>();
    if (url == null || url.isBlank()) {
      problems.add("url is required, e.g. nats://127.0.0.1:4222");
    }
    if (streamName == null || streamName.isBlank() || !streamName.matches("[A-Za-z0-9_-]+")) {
      problems.add("streamName must be letters, digits, '_' or '-', e.g. PROD_KALSHI, was " + streamName);
    }
    if (subjects == null || subjects.isEmpty()) {
      problems.add("subjects must list what the connector publishes, e.g. [prod.kalshi.json.>]");
    } else if (subjects.stream().anyMatch(s -> s == null || s.isBlank())) {
      problems.add("subjects must not contain blank entries, was " + subjects);
    }
    if (maxInFlight < 1) {
      problems.add("maxInFlight must be >= 1, was " + maxInFlight);
    }
    if (bufferMessages < 1) {
      problems.add("bufferMessages must be >= 1, was " + bufferMessages);
    }
    if (ackTimeout == null || ackTimeout.isNegative() || ackTimeout.isZero()) {
      problems.add("ackTimeout must be positive, e.g. 5s, was " + ackTimeout);
    }
    if (connectionName == null || connectionName.isBlank()) {
      problems.add("connectionName is required, e.g. ssmd-connector-kalshi");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid NATS transport options: " + String.join("; ", problems));
    }
    subjects = List.copyOf(subjects);
  }

  /** 1024 in flight, 100 000 buffered frames, 5 s ack timeout, connection name {@code ssmd}. */
  public static NatsTransportOptions defaults(String url, String streamName, List<String> subjects) {
    return new NatsTransportOptions(url, streamName, subjects, 1024, 100_000, Duration.ofSeconds(5), "ssmd");
  }

  /**
   * Publisher and reader of the security master's stream {@code {PREFIX}_SECMASTER} (subjects
   * {@code {prefix}.secmaster.>}): the sync publishes change events there and connectors follow them.
   */
  public static NatsTransportOptions secmaster(String url, String prefix) {
    return defaults(url, io.ssmd.transport.Subjects.secmasterStream(prefix), List.of(io.ssmd.transport.Subjects.secmasterWildcard(prefix)))
        .withConnectionName("ssmd-secmaster-" + prefix);
  }

  /** Publisher and reader of the signal agent's stream {@code {PREFIX}_SIGNALS} (subjects {@code {prefix}.signals.>}). */
  public static NatsTransportOptions signals(String url, String prefix) {
    return defaults(url, io.ssmd.transport.Subjects.signalsStream(prefix), List.of(io.ssmd.transport.Subjects.signalsWildcard(prefix)))
        .withConnectionName("ssmd-signals-" + prefix);
  }

  public NatsTransportOptions withMaxInFlight(int value) {
    return new NatsTransportOptions(url, streamName, subjects, value, bufferMessages, ackTimeout, connectionName);
  }

  public NatsTransportOptions withBufferMessages(int value) {
    return new NatsTransportOptions(url, streamName, subjects, maxInFlight, value, ackTimeout, connectionName);
  }

  public NatsTransportOptions withAckTimeout(Duration value) {
    return new NatsTransportOptions(url, streamName, subjects, maxInFlight, bufferMessages, value, connectionName);
  }

  public NatsTransportOptions withConnectionName(String value) {
    return new NatsTransportOptions(url, streamName, subjects, maxInFlight, bufferMessages, ackTimeout, value);
  }
}
