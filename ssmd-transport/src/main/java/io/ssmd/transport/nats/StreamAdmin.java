package io.ssmd.transport.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.ssmd.transport.TransportException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings JetStream streams to their {@link StreamSpec} ({@code ssmd env apply}): creates a missing
 * stream, updates drifted fields and lists each change, reports "unchanged" otherwise. Running it
 * again is harmless. A dry run reads the server and returns the plan without changing anything.
 *
 * <p>Fields JetStream cannot change on an existing stream (storage type, retention policy) are
 * reported as errors and nothing is changed, rather than leaving a stream that silently differs
 * from its spec.
 */
public final class StreamAdmin implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamAdmin.class);
  private static final int STREAM_NOT_FOUND = 10059;

  private final Connection connection;
  private final boolean ownsConnection;
  private final JetStreamManagement jsm;

  /** Uses an existing connection, which the caller keeps owning. */
  public StreamAdmin(Connection connection) {
    this(connection, false);
  }

  private StreamAdmin(Connection connection, boolean ownsConnection) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.ownsConnection = ownsConnection;
    try {
      this.jsm = connection.jetStreamManagement();
    } catch (IOException e) {
      throw new TransportException("JetStream is not available at " + connection.getConnectedUrl() + ": " + e.getMessage(), e);
    }
  }

  /** Connects to {@code url} for administration; {@link #close()} closes that connection. */
  public static StreamAdmin connect(String url) {
    // jnats reports connect failures through its error listener (java.util.logging by default) as
    // well as by the exception; the exception below already says it, so the listener only debugs.
    Options options = new Options.Builder().server(url).connectionName("ssmd-admin").noReconnect()
        .errorListener(new io.nats.client.ErrorListener() {
          @Override
          public void errorOccurred(io.nats.client.Connection conn, String error) {
            LOG.debug("nats admin connection error: {}", error);
          }

          @Override
          public void exceptionOccurred(io.nats.client.Connection conn, Exception exp) {
            LOG.debug("nats admin connection exception: {}", exp.toString());
          }
        })
        .build();
    try {
      return new StreamAdmin(Nats.connect(options), true);
    } catch (IOException e) {
      throw new TransportException("cannot connect to NATS at " + url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while connecting to NATS at " + url, e);
    }
  }

  /** Creates or updates the stream to match {@code spec}; with {@code dryRun} only reports the plan. */
  public ApplyResult apply(StreamSpec spec, boolean dryRun) {
    Objects.requireNonNull(spec, "spec");
    ApplyResult result;
    try {
      StreamConfiguration current = currentConfig(spec.name());
      result = current == null ? create(spec, dryRun) : update(spec, current, dryRun);
    } catch (IOException e) {
      result = failed(spec, dryRun, "cannot reach JetStream: " + e.getMessage());
    }
    if (result.ok()) {
      LOG.info("{}", result.summary());
    } else {
      LOG.error("{}", result.summary());
    }
    return result;
  }

  private StreamConfiguration currentConfig(String name) throws IOException {
    try {
      StreamInfo info = jsm.getStreamInfo(name);
      return info.getConfiguration();
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
        return null;
      }
      throw new IOException(e.getMessage(), e);
    }
  }

  private ApplyResult create(StreamSpec spec, boolean dryRun) throws IOException {
    List<String> plan =
        List.of(
            "subjects " + spec.subjects(),
            "storage file",
            "retention limits",
            "max_age " + formatAge(spec.maxAge()),
            "num_replicas " + spec.replicas(),
            "duplicate_window " + format(spec.duplicateWindow()),
            "max_bytes " + spec.maxBytes());
    if (!dryRun) {
      StreamConfiguration config =
          StreamConfiguration.builder()
              .name(spec.name())
              .subjects(spec.subjects())
              .storageType(StorageType.File)
              .retentionPolicy(RetentionPolicy.Limits)
              .discardPolicy(DiscardPolicy.Old)
              .maxAge(spec.maxAge())
              .replicas(spec.replicas())
              .duplicateWindow(spec.duplicateWindow())
              .maxBytes(spec.maxBytes())
              .build();
      try {
        jsm.addStream(config);
      } catch (JetStreamApiException e) {
        return failed(spec, false, "JetStream refused to create it: " + e.getMessage());
      }
    }
    return new ApplyResult(spec.name(), ApplyResult.Outcome.CREATED, plan, List.of(), dryRun);
  }

  private ApplyResult update(StreamSpec spec, StreamConfiguration current, boolean dryRun) throws IOException {
    List<String> errors = new ArrayList<>();
    if (current.getStorageType() != StorageType.File) {
      errors.add("storage " + current.getStorageType().toString().toLowerCase(Locale.ROOT) + " -> file cannot be changed by "
          + "JetStream; back up and delete the stream, then apply again");
    }
    if (current.getRetentionPolicy() != RetentionPolicy.Limits) {
      errors.add("retention " + current.getRetentionPolicy().toString().toLowerCase(Locale.ROOT) + " -> limits cannot be "
          + "changed by JetStream; back up and delete the stream, then apply again");
    }
    if (!errors.isEmpty()) {
      return new ApplyResult(spec.name(), ApplyResult.Outcome.FAILED, List.of(), errors, dryRun);
    }
    List<String> changes = new ArrayList<>();
    if (!new TreeSet<>(current.getSubjects()).equals(new TreeSet<>(spec.subjects()))) {
      changes.add("subjects " + current.getSubjects() + " -> " + spec.subjects());
    }
    Duration currentAge = current.getMaxAge() == null ? Duration.ZERO : current.getMaxAge();
    if (!currentAge.equals(spec.maxAge())) {
      changes.add("max_age " + formatAge(currentAge) + " -> " + formatAge(spec.maxAge()));
    }
    if (current.getReplicas() != spec.replicas()) {
      changes.add("num_replicas " + current.getReplicas() + " -> " + spec.replicas());
    }
    if (!Objects.equals(current.getDuplicateWindow(), spec.duplicateWindow())) {
      changes.add("duplicate_window " + format(current.getDuplicateWindow()) + " -> " + format(spec.duplicateWindow()));
    }
    if (current.getMaxBytes() != spec.maxBytes()) {
      changes.add("max_bytes " + current.getMaxBytes() + " -> " + spec.maxBytes());
    }
    if (changes.isEmpty()) {
      return new ApplyResult(spec.name(), ApplyResult.Outcome.UNCHANGED, List.of(), List.of(), dryRun);
    }
    if (!dryRun) {
      StreamConfiguration updated =
          StreamConfiguration.builder(current)
              .subjects(spec.subjects())
              .maxAge(spec.maxAge())
              .replicas(spec.replicas())
              .duplicateWindow(spec.duplicateWindow())
              .maxBytes(spec.maxBytes())
              .build();
      try {
        jsm.updateStream(updated);
      } catch (JetStreamApiException e) {
        return new ApplyResult(spec.name(), ApplyResult.Outcome.FAILED, changes,
            List.of("JetStream refused the update (" + String.join("; ", changes) + "): " + e.getMessage()), false);
      }
    }
    return new ApplyResult(spec.name(), ApplyResult.Outcome.UPDATED, changes, List.of(), dryRun);
  }

  private static ApplyResult failed(StreamSpec spec, boolean dryRun, String error) {
    return new ApplyResult(spec.name(), ApplyResult.Outcome.FAILED, List.of(), List.of(error), dryRun);
  }

  private static String formatAge(Duration d) {
    return d.isZero() ? "unlimited" : format(d);
  }

  /** Compact durations as operators write them: {@code 72h}, {@code 2m}, {@code 1h30m}, {@code 1500ms}. */
  static String format(Duration d) {
    if (d == null) {
      return "none";
    }
    if (d.isZero()) {
      return "0s";
    }
    if (d.toNanosPart() % 1_000_000 != 0 || d.toMillisPart() != 0) {
      return d.toMillis() + "ms";
    }
    StringBuilder sb = new StringBuilder();
    long hours = d.toHours();
    // Hours rather than days: stream ages are configured in hours (24h, 72h), as in the seed.
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (d.toMinutesPart() > 0) {
      sb.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      sb.append(d.toSecondsPart()).append('s');
    }
    return sb.toString();
  }

  @Override
  public void close() {
    if (ownsConnection) {
      try {
        connection.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
