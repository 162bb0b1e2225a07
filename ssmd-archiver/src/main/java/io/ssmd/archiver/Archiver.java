package io.ssmd.archiver;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamInfo;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.observability.ReadinessCheck;
import io.ssmd.transport.Headers;
import io.ssmd.transport.Subjects;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives one JetStream stream to {@code {root}/{feed}/{date}/{HHMM}.jsonl.gz} with a manifest
 * per day (DESIGN §4), exactly once.
 *
 * <p>A durable pull consumer with explicit acks feeds one loop: fetch a batch, append its lines to
 * the current {@code .tmp} (gzip sync flush, fsync per {@link FsyncPolicy}), then acknowledge. A
 * message is acknowledged only once it is in the file, and the archive knows the last stream
 * sequence it holds: a redelivery after a crash is skipped, never written twice. At start the
 * consumer is moved to just after the archive's last sequence when it had delivered beyond it, so
 * unacknowledged messages come back in order rather than after newer ones. A jump in the sequence
 * is recorded in the manifest as a gap.
 *
 * <p>Files rotate on the archiver's UTC wall clock ({@link ArchiverOptions#rotation()}), on a
 * timer, so an idle stream still gets its window closed; see {@link ArchiveWriter}. A write, fsync
 * or rename error (a full disk) acknowledges nothing, is logged once per streak with the path and
 * reason, counted, and retried with backoff until it succeeds; finished files are never touched.
 *
 * <pre>{@code
 * try (Archiver a = new Archiver(options, registry)) {
 *   a.start();               // throws ArchiverException with one clear line if it cannot run
 *   ...
 * }
 * }</pre>
 */
public final class Archiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);
  private static final int STREAM_NOT_FOUND = 10059;
  private static final int CONSUMER_NOT_FOUND = 10014;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ACK_WAIT = Duration.ofSeconds(60);
  private static final Duration LAG_POLL = Duration.ofSeconds(2);
  /** Not ready when the lag has grown over this window without ever falling to one batch. */
  static final Duration LAG_GROWING_LIMIT = Duration.ofMinutes(2);
  private static final long MAX_RETRY_BACKOFF_MS = 5_000;

  private final ArchiverOptions options;
  private final ArchiverMetrics metrics;
  private final Clock clock;
  private final ArchiveWriter writer;
  private final Uploader uploader;
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong gaps = new AtomicLong();
  private final AtomicLong files = new AtomicLong();
  private final Deque<long[]> lagSamples = new ArrayDeque<>();
  private volatile ArchiverStatus.State state = ArchiverStatus.State.NEW;
  private volatile boolean running;
  private volatile String lastError;
  private volatile String writeFailure;
  /** Sequence the consumer was (or is to be) restarted at after a jump, -1 when none. */
  private volatile long repositionAt = -1;
  private Connection connection;
  private JetStreamManagement jsm;
  private JetStreamSubscription subscription;
  private Thread loop;
  private ScheduledExecutorService timer;

  /** An archiver on the system clock. */
  public Archiver(ArchiverOptions options, PrometheusRegistry registry) {
    this(options, registry, Clock.systemUTC());
  }

  Archiver(ArchiverOptions options, PrometheusRegistry registry, Clock clock) {
    this.options = Objects.requireNonNull(options, "options");
    this.metrics = ArchiverMetrics.create(Objects.requireNonNull(registry, "registry"), options.feed());
    this.clock = clock;
    this.uploader = options.raw() == null ? null : new Uploader(options.raw(), options.root(), options.feed(), metrics);
    this.writer = new ArchiveWriter(options.root(), options.feed(), options.rotation(), options.fsync(), clock,
        new ArchiveWriter.Events() {
          @Override
          public void written(int records, long bytes) {
            metrics.written(records, bytes);
            messages.addAndGet(records);
          }

          @Override
          public void duplicates(int count) {
            metrics.duplicates(count);
            duplicates.addAndGet(count);
          }

          @Override
          public void gap(Manifest.Gap gap) {
            metrics.gap();
            gaps.incrementAndGet();
            LOG.warn("gap in stream {}: {} message(s) after sequence {} were never delivered (gone from the stream); "
                + "recorded in the manifest", options.stream(), gap.missingCount(), gap.afterSeq());
          }

          @Override
          public void writeError(Path path, IOException e) {
            metrics.writeError();
          }

          @Override
          public void completed(Path dayDir, Manifest.FileEntry entry) {
            metrics.fileWritten();
            files.incrementAndGet();
            if (uploader != null) {
              uploader.submit(dayDir);
            }
          }
        });
  }

  /**
   * Recovers the archive directory, checks the stream and binds the consumer, then starts
   * archiving on a background thread.
   *
   * @throws ArchiverException when it cannot run: stream missing, filter not covering the stream,
   *     an existing consumer with another filter, NATS unreachable for 30 s, archive unrecoverable
   */
  public synchronized void start() {
    if (state != ArchiverStatus.State.NEW) {
      throw new IllegalStateException("archiver already started");
    }
    long last;
    try {
      last = writer.recover();
    } catch (IOException | RuntimeException e) {
      throw new ArchiverException("cannot recover the archive at " + options.root().resolve(options.feed()) + ": " + e, e);
    }
    try {
      connection = connect();
      jsm = connection.jetStreamManagement();
      checkStream();
      bindConsumer(last);
      JetStream js = connection.jetStream();
      subscription = js.subscribe(options.filter(), PullSubscribeOptions.bind(options.stream(), options.durable()));
    } catch (IOException | JetStreamApiException e) {
      closeConnection();
      throw new ArchiverException("cannot bind consumer " + options.durable() + " on stream " + options.stream() + " at "
          + options.natsUrl() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeConnection();
      throw e;
    }
    running = true;
    state = ArchiverStatus.State.RUNNING;
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ssmd-archiver-timer-" + options.feed());
      t.setDaemon(true);
      return t;
    });
    scheduleRotation();
    timer.scheduleWithFixedDelay(this::pollLag, 0, LAG_POLL.toMillis(), TimeUnit.MILLISECONDS);
    loop = new Thread(this::run, "ssmd-archiver-" + options.feed());
    loop.start();
    if (uploader != null) {
      uploader.resumeAll(writer);
    }
    LOG.info("archiving stream {} (filter {}, consumer {}) to {} every {} (fsync {}){}", options.stream(),
        options.filter(), options.durable(), options.root().resolve(options.feed()), options.rotationText(),
        options.fsync().configName(), uploader == null ? "" : ", uploading to " + options.raw().describe());
  }

  private Connection connect() {
    Options natsOptions = new Options.Builder()
        .server(options.natsUrl())
        .connectionName("ssmd-archiver-" + options.feed())
        .maxReconnects(-1)
        .reconnectWait(Duration.ofMillis(250))
        .connectionTimeout(Duration.ofSeconds(2))
        .errorListener(new ErrorListener() {
          @Override
          public void errorOccurred(Connection conn, String error) {
            LOG.debug("nats error: {}", error);
          }

          @Override
          public void exceptionOccurred(Connection conn, Exception exp) {
            LOG.debug("nats exception: {}", exp.toString());
          }
        })
        .build();
    long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
    while (true) {
      try {
        return Nats.connect(natsOptions);
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new ArchiverException("cannot connect to NATS at " + options.natsUrl() + " within " + CONNECT_TIMEOUT.toSeconds()
              + " s: " + e.getMessage(), e);
        }
        sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ArchiverException("interrupted while connecting to NATS at " + options.natsUrl(), e);
      }
    }
  }

  private void checkStream() throws IOException, JetStreamApiException {
    StreamInfo info;
    try {
      info = jsm.getStreamInfo(options.stream());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
        throw new ArchiverException("stream " + options.stream() + " does not exist on " + options.natsUrl()
            + "; create it with `ssmd env apply` or fix the stream name");
      }
      throw e;
    }
    List<String> subjects = info.getConfiguration().getSubjects();
    List<String> uncovered = subjects.stream().filter(s -> !Subjects.covers(options.filter(), s)).toList();
    if (subjects.isEmpty() || !uncovered.isEmpty()) {
      throw new ArchiverException("filter " + options.filter() + " does not cover stream " + options.stream() + " subjects "
          + uncovered + "; the archive would miss messages and every skipped sequence would look like a gap; use a filter "
          + "covering " + subjects + ", e.g. " + (subjects.isEmpty() ? "{prefix}.{feed}.>" : subjects.get(0)));
    }
  }

  private void bindConsumer(long last) throws IOException, JetStreamApiException {
    ConsumerInfo info = null;
    try {
      info = jsm.getConsumerInfo(options.stream(), options.durable());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != CONSUMER_NOT_FOUND) {
        throw e;
      }
    }
    if (info != null) {
      ConsumerConfiguration c = info.getConsumerConfiguration();
      List<String> filters = c.getFilterSubjects();
      if (filters.size() != 1 || !filters.get(0).equals(options.filter())) {
        throw new ArchiverException("consumer " + options.durable() + " on stream " + options.stream() + " exists with filter "
            + filters + ", not " + options.filter() + "; delete it (nats consumer rm " + options.stream() + " "
            + options.durable() + ") or configure its filter");
      }
      long delivered = info.getDelivered().getStreamSequence();
      long ackFloor = info.getAckFloor().getStreamSequence();
      if (ackFloor > last) {
        if (last >= 0) {
          LOG.warn("consumer {} acknowledged up to sequence {} but the local archive ends at {} (archive directory replaced?); "
              + "continuing after {}, the difference is recorded as a gap", options.durable(), ackFloor, last, ackFloor);
        }
        last = ackFloor;
      }
      if (c.getAckPolicy() != AckPolicy.All) {
        // made by an earlier version (explicit acks): the archiver now acknowledges a batch at once
        LOG.info("consumer {} uses ack policy {}; recreating it with ack policy all at sequence {}", options.durable(),
            c.getAckPolicy(), last + 1);
        jsm.deleteConsumer(options.stream(), options.durable());
        info = null;
      } else if (delivered > last) {
        // Messages delivered but never written are redelivered only after the ack wait, behind
        // newer ones, and would then look like duplicates; restart the consumer right after the
        // last sequence known to be archived so they come back first.
        LOG.info("consumer {} had delivered up to sequence {} but the archive ends at {}; recreating it at {}",
            options.durable(), delivered, last, last + 1);
        jsm.deleteConsumer(options.stream(), options.durable());
        info = null;
      }
    }
    if (info == null) {
      createConsumer(last);
    }
  }

  private void createConsumer(long last) throws IOException, JetStreamApiException {
    ConsumerConfiguration.Builder b = ConsumerConfiguration.builder()
        .durable(options.durable())
        .filterSubject(options.filter())
        // The archive is written in stream order, so acknowledging the last message of a written
        // batch acknowledges the batch: one ack per batch instead of one per message.
        .ackPolicy(AckPolicy.All)
        .ackWait(ACK_WAIT)
        .maxAckPending(Math.max(1000, options.batchSize() * 4L));
    if (last >= 0) {
      b.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(last + 1);
    } else {
      b.deliverPolicy(DeliverPolicy.All);
    }
    jsm.addOrUpdateConsumer(options.stream(), b.build());
    LOG.info("created consumer {} on stream {} (filter {}, from {})", options.durable(), options.stream(), options.filter(),
        last >= 0 ? "sequence " + (last + 1) : "the start of the stream");
  }

  private void run() {
    boolean loggedFetchError = false;
    while (running) {
      List<Message> fetched;
      try {
        if (repositionAt >= 0 && subscription == null) {
          reposition(repositionAt);
        }
        fetched = subscription.fetch(options.batchSize(), options.fetchMaxWait());
        loggedFetchError = false;
      } catch (IOException | JetStreamApiException | RuntimeException e) {
        // NATS restarting or unreachable: jnats reconnects by itself; log once per outage
        if (!loggedFetchError) {
          LOG.warn("fetch from stream {} failed, retrying: {}", options.stream(), e.toString());
          loggedFetchError = true;
        }
        lastError = "fetch failed: " + e.getMessage();
        sleep(250);
        continue;
      }
      List<Message> messages = new ArrayList<>(fetched.size());
      List<Incoming> batch = new ArrayList<>(fetched.size());
      for (Message m : fetched) {
        if (m.isJetStream()) {
          messages.add(m);
          batch.add(toIncoming(m));
        }
      }
      if (batch.isEmpty()) {
        continue;
      }
      int cut = jumpAt(batch);
      boolean reposition = cut < batch.size();
      if (reposition) {
        batch = batch.subList(0, cut);
        messages = messages.subList(0, cut);
      }
      if (!batch.isEmpty() && !appendUntilWritten(batch)) {
        return; // closing: nothing acknowledged, JetStream redelivers to the next run
      }
      if (!messages.isEmpty()) {
        Message lastOfBatch = messages.get(messages.size() - 1);
        try {
          lastOfBatch.ack();
        } catch (RuntimeException e) {
          // the data is in the archive; an ack lost now means a redelivery the dedupe skips
          LOG.debug("ack of sequence {} failed: {}", lastOfBatch.metaData().streamSequence(), e.toString());
        }
      }
      if (reposition) {
        long from = writer.lastSeq() + 1;
        LOG.info("stream sequence jumped past {} (messages delivered but lost in transit, e.g. across a NATS restart, "
            + "come back only after the ack wait, behind newer ones); restarting consumer {} at {}", from,
            options.durable(), from);
        repositionAt = from;
        unsubscribe();
      } else if (repositionAt >= 0 && writer.lastSeq() >= repositionAt - 1) {
        repositionAt = -1;
      }
    }
  }

  /**
   * Index of the first message that jumps past the next expected sequence, or the batch size. A
   * jump right after the consumer was restarted at the expected sequence is a real gap (those
   * messages are gone from the stream) and is left to the writer to record.
   */
  private int jumpAt(List<Incoming> batch) {
    long prev = writer.lastSeq();
    if (prev < 0) {
      return batch.size();
    }
    for (int i = 0; i < batch.size(); i++) {
      long seq = batch.get(i).seq();
      if (seq <= prev) {
        continue;
      }
      if (seq > prev + 1 && repositionAt != prev + 1) {
        return i;
      }
      prev = seq;
    }
    return batch.size();
  }

  private void unsubscribe() {
    JetStreamSubscription s = subscription;
    subscription = null;
    if (s != null) {
      try {
        s.unsubscribe();
      } catch (RuntimeException e) {
        LOG.debug("unsubscribe failed: {}", e.toString());
      }
    }
  }

  /** Deletes and recreates the durable consumer at {@code from} and subscribes again. */
  private void reposition(long from) throws IOException, JetStreamApiException {
    try {
      jsm.deleteConsumer(options.stream(), options.durable());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != CONSUMER_NOT_FOUND) {
        throw e;
      }
    }
    createConsumer(from - 1);
    subscription = connection.jetStream().subscribe(options.filter(),
        PullSubscribeOptions.bind(options.stream(), options.durable()));
  }

  /** Appends the batch, retrying with backoff on I/O errors; false when closing interrupted the retries. */
  private boolean appendUntilWritten(List<Incoming> batch) {
    long backoff = 100;
    boolean logged = false;
    while (true) {
      try {
        writer.append(batch);
        if (writeFailure != null) {
          LOG.info("archive writes succeed again after: {}", writeFailure);
        }
        writeFailure = null;
        lastError = null;
        return true;
      } catch (IOException e) {
        String why = describe(e);
        if (!logged || !why.equals(writeFailure)) {
          LOG.error("cannot write the archive: {}; the batch is not acknowledged and is retried", why);
          logged = true;
        }
        writeFailure = why;
        lastError = why;
      } catch (RuntimeException e) {
        String why = e.toString();
        if (!logged) {
          LOG.error("archiving a batch failed; the batch is not acknowledged and is retried", e);
          logged = true;
        }
        writeFailure = why;
        lastError = why;
      }
      if (!running) {
        return false;
      }
      sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_RETRY_BACKOFF_MS);
    }
  }

  private static String describe(IOException e) {
    // FileSystemException carries the path; others say it in the message
    return e instanceof java.nio.file.FileSystemException fse && fse.getFile() != null
        ? fse.getFile() + ": " + (fse.getReason() != null ? fse.getReason() : e.getClass().getSimpleName())
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private Incoming toIncoming(Message m) {
    long seq = m.metaData().streamSequence();
    long receivedMicros = -1;
    if (m.hasHeaders()) {
      String h = m.getHeaders().getFirst(Headers.RECEIVED_AT);
      if (h != null) {
        try {
          receivedMicros = Long.parseLong(h.trim()) / 1000;
        } catch (NumberFormatException e) {
          LOG.debug("sequence {} has a bad {} header; using the stream timestamp", seq, Headers.RECEIVED_AT);
        }
      }
    }
    if (receivedMicros < 0) {
      Instant ts = m.metaData().timestamp().toInstant();
      receivedMicros = ts.getEpochSecond() * 1_000_000L + ts.getNano() / 1000;
    }
    byte[] data = m.getData() == null ? new byte[0] : m.getData();
    return new Incoming(seq, m.getSubject(), data, receivedMicros);
  }

  private void scheduleRotation() {
    Instant now = clock.instant();
    Instant next = writer.windowOf(now).plus(options.rotation());
    long delay = Math.max(1, Duration.between(now, next).toMillis() + 20);
    try {
      timer.schedule(this::rotate, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private void rotate() {
    try {
      writer.rotateIfDue();
    } catch (IOException e) {
      // the fetch loop retries on its next batch; the file stays consistent
      LOG.error("rotation failed: {}; retried", describe(e));
      lastError = describe(e);
    } catch (RuntimeException e) {
      LOG.error("rotation failed; retried", e);
    } finally {
      if (running) {
        scheduleRotation();
      }
    }
  }

  private void pollLag() {
    try {
      Connection c = connection;
      if (c == null || c.getStatus() != Connection.Status.CONNECTED) {
        return;
      }
      long streamLast = jsm.getStreamInfo(options.stream()).getStreamState().getLastSequence();
      long lag = Math.max(0, streamLast - Math.max(0, writer.lastSeq()));
      metrics.lag(lag);
      synchronized (lagSamples) {
        long now = System.nanoTime();
        lagSamples.addLast(new long[] {now, lag});
        while (!lagSamples.isEmpty() && now - lagSamples.peekFirst()[0] > LAG_GROWING_LIMIT.toNanos()) {
          lagSamples.removeFirst();
        }
      }
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      LOG.debug("lag poll failed: {}", e.toString());
    }
  }

  /** Readiness for {@code /ready}: consumer bound, lag not growing for long, writes and uploads succeeding. */
  public ReadinessCheck readiness() {
    return () -> {
      List<String> reasons = new ArrayList<>();
      if (state != ArchiverStatus.State.RUNNING) {
        reasons.add("archiver is " + state.name().toLowerCase(java.util.Locale.ROOT));
        return reasons;
      }
      if (!consumerBound()) {
        reasons.add("not connected to NATS at " + options.natsUrl());
      }
      if (writeFailure != null) {
        reasons.add("cannot write the archive: " + writeFailure);
      }
      if (lagGrowing()) {
        reasons.add("archive lags stream " + options.stream() + " by " + metrics.lag() + " messages and has not caught up for "
            + LAG_GROWING_LIMIT.toMinutes() + " min");
      }
      if (uploader != null && uploader.lastFailure() != null) {
        reasons.add("last upload failed: " + uploader.lastFailure());
      }
      return reasons;
    };
  }

  private boolean lagGrowing() {
    synchronized (lagSamples) {
      if (lagSamples.size() < 2) {
        return false;
      }
      long[] first = lagSamples.peekFirst();
      long[] last = lagSamples.peekLast();
      if (last[0] - first[0] < LAG_GROWING_LIMIT.toNanos() - LAG_POLL.toNanos() * 2) {
        return false;
      }
      boolean neverCaughtUp = lagSamples.stream().allMatch(s -> s[1] > options.batchSize());
      return neverCaughtUp && last[1] > first[1];
    }
  }

  private boolean consumerBound() {
    Connection c = connection;
    JetStreamSubscription s = subscription;
    return c != null && s != null && s.isActive() && c.getStatus() == Connection.Status.CONNECTED;
  }

  /** A snapshot of counters and state. */
  public ArchiverStatus status() {
    return new ArchiverStatus(state, state == ArchiverStatus.State.RUNNING && consumerBound(), writer.lastSeq(),
        messages.get(), duplicates.get(), gaps.get(), metrics.lag(), writer.currentFile(), files.get(), lastError);
  }

  /**
   * Stops fetching, finishes the current file (fsync, rename, manifest), waits up to 30 s for
   * uploads and closes the NATS connection. A batch being retried is left unacknowledged.
   */
  @Override
  public synchronized void close() {
    if (state == ArchiverStatus.State.CLOSED) {
      return;
    }
    boolean wasRunning = state == ArchiverStatus.State.RUNNING;
    state = ArchiverStatus.State.CLOSED;
    running = false;
    if (timer != null) {
      timer.shutdownNow();
    }
    if (loop != null) {
      try {
        // never interrupt the loop: an interrupted FileChannel closes itself mid-write
        loop.join(options.fetchMaxWait().toMillis() + 10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (wasRunning) {
      try {
        writer.close();
      } catch (IOException e) {
        LOG.error("cannot finish the current archive file at close: {}; it is completed at the next start", describe(e));
      }
    }
    if (uploader != null) {
      uploader.close();
    }
    closeConnection();
    LOG.info("archiver for stream {} closed at sequence {}", options.stream(), writer.lastSeq());
  }

  private void closeConnection() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
