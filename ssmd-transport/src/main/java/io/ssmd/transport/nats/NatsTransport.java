package io.ssmd.transport.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.NatsMessage;
import io.ssmd.transport.Delivered;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.Headers;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.Transport;
import io.ssmd.transport.TransportException;
import io.ssmd.transport.TransportStats;
import io.ssmd.transport.internal.DropLog;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Transport} on NATS JetStream.
 *
 * <p>{@link #publish} only enqueues into a bounded buffer. One publisher thread sends with {@code
 * publishAsync}, at most {@code maxInFlight} unacknowledged, each message carrying {@code
 * Nats-Msg-Id} and the ssmd headers. A failed, timed-out or connection-lost publish is sent again
 * with the same message id, so JetStream's duplicate window discards a copy that had in fact been
 * stored; retries go out before newer frames, in their original order. While NATS is unreachable
 * frames wait in the buffer; only what overflows it is dropped, counted and logged. The connection
 * reconnects forever.
 *
 * <p>At start-up the stream must exist and its subjects must cover every subject pattern in {@link
 * NatsTransportOptions#subjects()}; a mismatch is a {@link TransportException}, because publishing
 * into subjects no stream keeps loses data without any error.
 */
public final class NatsTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(NatsTransport.class);
  private static final Duration RECONNECT_WAIT = Duration.ofMillis(250);
  private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** A message the server rejects (not a transport failure) is tried this often, then dropped. */
  private static final int MAX_REJECTED_ATTEMPTS = 5;
  private static final int ROUTE_CACHE_LIMIT = 100_000;
  private static final int STREAM_NOT_FOUND = 10059;

  private final NatsTransportOptions options;
  private final PublishListener listener;
  private final Connection connection;
  private final JetStream js;
  private final PublishOptions publishOptions;
  private final List<String> streamSubjects;
  private final ArrayBlockingQueue<Envelope> buffer;
  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
  private final ConcurrentHashMap<String, Boolean> routable = new ConcurrentHashMap<>();
  private final DropLog drops;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final List<MessageConsumer> consumers = new CopyOnWriteArrayList<>();
  private final Thread publisher;

  private volatile boolean closing;
  private volatile boolean stopping;
  private volatile boolean idle;
  private volatile boolean resendInFlight;

  /** One frame between its first send and its acknowledgement or drop; owned by the publisher thread. */
  private static final class InFlight {
    final Envelope envelope;
    final long order;
    int attempts;
    int rejections;
    /** System.nanoTime() of the current attempt: the publisher loop times out the oldest attempts itself. */
    long sentAtNanos;

    InFlight(Envelope envelope, long order) {
      this.envelope = envelope;
      this.order = order;
    }
  }

  private record Completion(InFlight flight, int attempt, PublishAck ack, Throwable error) {}

  private NatsTransport(
      NatsTransportOptions options, PublishListener listener, Connection connection, List<String> streamSubjects)
      throws IOException {
    this.options = options;
    this.listener = listener;
    this.connection = connection;
    this.js = connection.jetStream(JetStreamOptions.builder().requestTimeout(options.ackTimeout()).build());
    // expectedStream makes the server refuse a frame that would land in some other stream.
    this.publishOptions = PublishOptions.builder().expectedStream(options.streamName()).build();
    this.streamSubjects = List.copyOf(streamSubjects);
    this.buffer = new ArrayBlockingQueue<>(options.bufferMessages());
    this.drops = new DropLog(LOG, "nats " + options.streamName(), 5_000);
    this.publisher =
        Thread.ofPlatform().name("ssmd-nats-publisher-" + options.streamName()).daemon().unstarted(this::publishLoop);
  }

  /**
   * Connects, checks the stream and starts the publisher thread.
   *
   * @throws TransportException when NATS cannot be reached, the stream does not exist or its
   *     subjects do not cover {@link NatsTransportOptions#subjects()}
   */
  public static NatsTransport connect(NatsTransportOptions options, PublishListener listener) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(listener, "listener");
    Holder holder = new Holder();
    Options natsOptions =
        new Options.Builder()
            .server(options.url())
            .connectionName(options.connectionName())
            .maxReconnects(-1)
            .reconnectWait(RECONNECT_WAIT)
            .connectionListener((conn, event) -> holder.onEvent(event))
            .errorListener(new LoggingErrorListener())
            .build();
    Connection connection;
    try {
      connection = Nats.connect(natsOptions);
    } catch (IOException e) {
      throw new TransportException("cannot connect to NATS at " + options.url() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while connecting to NATS at " + options.url(), e);
    }
    try {
      List<String> streamSubjects = checkStream(connection, options);
      NatsTransport transport = new NatsTransport(options, listener, connection, streamSubjects);
      holder.transport = transport;
      transport.publisher.start();
      LOG.info("nats transport connected to {} stream {} subjects {} (buffer {}, in flight {}, ack timeout {})",
          connection.getConnectedUrl(), options.streamName(), streamSubjects, options.bufferMessages(),
          options.maxInFlight(), options.ackTimeout());
      return transport;
    } catch (IOException | RuntimeException e) {
      closeQuietly(connection);
      if (e instanceof TransportException te) {
        throw te;
      }
      throw new TransportException("cannot check stream " + options.streamName() + ": " + e.getMessage(), e);
    }
  }

  /** Routes connection events to the transport once it exists (events can fire during connect). */
  private static final class Holder {
    volatile NatsTransport transport;

    void onEvent(ConnectionListener.Events event) {
      switch (event) {
        case DISCONNECTED -> LOG.warn("nats connection lost; reconnecting");
        case RECONNECTED -> {
          LOG.info("nats connection re-established");
          NatsTransport t = transport;
          if (t != null) {
            // Acks for requests written before the drop went to the old connection and will never
            // arrive: resend at once (same ids, duplicates are discarded) instead of waiting out
            // the ack timeout.
            t.resendInFlight = true;
            LockSupport.unpark(t.publisher);
          }
        }
        case CLOSED -> LOG.info("nats connection closed");
        default -> LOG.debug("nats connection event {}", event);
      }
    }
  }

  /** The stream's subjects, after checking that they cover every subject the connector publishes. */
  static List<String> checkStream(Connection connection, NatsTransportOptions options) throws IOException {
    JetStreamManagement jsm = connection.jetStreamManagement();
    StreamInfo info;
    try {
      info = jsm.getStreamInfo(options.streamName());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
        throw new TransportException(
            "stream " + options.streamName() + " does not exist on " + options.url() + " — run 'ssmd env apply'", e);
      }
      throw new TransportException("cannot read stream " + options.streamName() + ": " + e.getMessage(), e);
    }
    List<String> streamSubjects = info.getConfiguration().getSubjects();
    List<String> uncovered =
        options.subjects().stream()
            .filter(p -> streamSubjects.stream().noneMatch(s -> Subjects.covers(s, p)))
            .toList();
    if (!uncovered.isEmpty()) {
      throw new TransportException(
          "stream " + options.streamName() + " subjects " + streamSubjects + " do not cover "
              + String.join(", ", uncovered) + " — run 'ssmd env apply'");
    }
    return streamSubjects;
  }

  @Override
  public boolean publish(Envelope envelope) {
    if (closing) {
      drop(envelope, "closed");
      return false;
    }
    if (!isRoutable(envelope.subject())) {
      drop(envelope, "not_in_stream");
      return false;
    }
    // Count before offering: the ack may arrive before offer() returns.
    pending.incrementAndGet();
    if (!buffer.offer(envelope)) {
      pending.decrementAndGet();
      drop(envelope, "buffer_full");
      return false;
    }
    accepted.incrementAndGet();
    if (idle) {
      LockSupport.unpark(publisher);
    }
    return true;
  }

  private boolean isRoutable(String subject) {
    Boolean known = routable.get(subject);
    if (known != null) {
      return known;
    }
    boolean ok =
        options.subjects().stream().anyMatch(p -> Subjects.matches(p, subject))
            && streamSubjects.stream().anyMatch(s -> Subjects.matches(s, subject));
    if (routable.size() >= ROUTE_CACHE_LIMIT) {
      routable.clear();
    }
    routable.put(subject, ok);
    return ok;
  }

  @Override
  public AutoCloseable subscribe(String subjectPattern, long startSeq, java.util.function.Consumer<Delivered> handler) {
    Objects.requireNonNull(subjectPattern, "subjectPattern");
    Objects.requireNonNull(handler, "handler");
    OrderedConsumerConfiguration config = new OrderedConsumerConfiguration().filterSubject(subjectPattern);
    if (startSeq == NEW) {
      config.deliverPolicy(DeliverPolicy.New);
    } else if (startSeq <= FIRST) {
      config.deliverPolicy(DeliverPolicy.All);
    } else {
      config.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(startSeq);
    }
    try {
      // Ordered consumers are ephemeral, flow-controlled and re-created by jnats after a gap or a
      // reconnect, so a reader needs no durable state and sees every stored message in order.
      MessageConsumer consumer =
          connection
              .getStreamContext(options.streamName())
              .createOrderedConsumer(config)
              .consume(msg -> deliver(subjectPattern, msg, handler));
      consumers.add(consumer);
      return () -> {
        consumers.remove(consumer);
        consumer.stop();
        consumer.close();
      };
    } catch (IOException | JetStreamApiException e) {
      throw new TransportException(
          "cannot subscribe to " + subjectPattern + " on stream " + options.streamName() + ": " + e.getMessage(), e);
    }
  }

  private static void deliver(String pattern, Message msg, java.util.function.Consumer<Delivered> handler) {
    Map<String, String> headers = new HashMap<>();
    io.nats.client.impl.Headers h = msg.getHeaders();
    if (h != null) {
      for (String key : h.keySet()) {
        headers.put(key, h.getFirst(key));
      }
    }
    long seq = msg.metaData().streamSequence();
    try {
      handler.accept(new Delivered(msg.getSubject(), msg.getData(), Map.copyOf(headers), seq));
    } catch (RuntimeException e) {
      LOG.error("subscription {} handler failed on seq {}: {}", pattern, seq, e.toString(), e);
    }
  }

  @Override
  public boolean flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.get() > 0) {
      if (System.nanoTime() - deadline >= 0 || !publisher.isAlive()) {
        return pending.get() == 0;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return true;
  }

  @Override
  public long pending() {
    return pending.get();
  }

  @Override
  public boolean connected() {
    return connection.getStatus() == Connection.Status.CONNECTED;
  }

  /** Counters since start. */
  public TransportStats stats() {
    return new TransportStats(
        accepted.get(), stored.get(), duplicates.get(), retries.get(), drops.byReason(), pending.get());
  }

  /** The underlying connection, for administrative use (e.g. {@link StreamAdmin}) by the same process. */
  public Connection connection() {
    return connection;
  }

  /**
   * Stops accepting, waits up to twice the ack timeout for what is queued to be
   * acknowledged, drops what is left as {@code closed}, then closes subscriptions and the connection.
   */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    Duration grace = options.ackTimeout().multipliedBy(2);
    if (!flush(grace)) {
      LOG.warn("nats transport closing with {} message(s) not acknowledged after {}", pending.get(), grace);
    }
    stopping = true;
    LockSupport.unpark(publisher);
    try {
      publisher.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (MessageConsumer c : consumers) {
      try {
        c.stop();
        c.close();
      } catch (Exception e) {
        LOG.debug("closing consumer: {}", e.toString());
      }
    }
    closeQuietly(connection);
    LOG.info("nats transport for stream {} closed: {}", options.streamName(), stats());
  }

  // ---- publisher thread ------------------------------------------------------------------------

  private void publishLoop() {
    // Retries first, in original order, so a failure does not push a frame behind newer ones.
    PriorityQueue<InFlight> retry = new PriorityQueue<>((a, b) -> Long.compare(a.order, b.order));
    LinkedHashSet<InFlight> inFlight = new LinkedHashSet<>();
    long nextOrder = 0;
    long backoffUntil = 0;
    int consecutiveFailures = 0;
    try {
      while (!stopping) {
        int failures = 0;
        int successes = 0;
        Completion c;
        while ((c = completions.poll()) != null) {
          if (c.attempt != c.flight.attempts || !inFlight.remove(c.flight)) {
            continue; // superseded by a resend after reconnect
          }
          if (c.error == null) {
            successes++;
            settleAcked(c.flight, c.ack);
          } else if (onFailure(c.flight, c.error)) {
            failures++;
            retry.add(c.flight);
          }
        }
        // Ack timeouts, oldest first: in-flight entries are in send order, so the scan stops at the
        // first one still within its deadline. (A timer per message would cost a scheduled task
        // per publish; the late ack of a timed-out attempt is ignored by the attempt check above.)
        long ackTimeoutNanos = options.ackTimeout().toNanos();
        if (!inFlight.isEmpty()) {
          long now = System.nanoTime();
          var it = inFlight.iterator();
          while (it.hasNext()) {
            InFlight f = it.next();
            if (now - f.sentAtNanos < ackTimeoutNanos) {
              break;
            }
            it.remove();
            if (onFailure(f, new TimeoutException("no JetStream ack within " + options.ackTimeout()))) {
              failures++;
              retry.add(f);
            }
          }
        }
        if (resendInFlight) {
          resendInFlight = false;
          retry.addAll(inFlight);
          inFlight.clear();
        }
        if (failures > 0) {
          consecutiveFailures++;
          long backoff = Math.min(MAX_BACKOFF_NANOS, MIN_BACKOFF_NANOS << Math.min(consecutiveFailures - 1, 10));
          backoffUntil = System.nanoTime() + backoff;
        } else if (successes > 0) {
          consecutiveFailures = 0;
        }

        boolean sent = false;
        boolean canSend = connected() && System.nanoTime() - backoffUntil >= 0;
        while (canSend && inFlight.size() < options.maxInFlight()) {
          InFlight f = retry.poll();
          if (f == null) {
            Envelope e = buffer.poll();
            if (e == null) {
              break;
            }
            f = new InFlight(e, nextOrder++);
          } else {
            retries.incrementAndGet();
          }
          if (send(f)) {
            inFlight.add(f);
          } else {
            retry.add(f);
            backoffUntil = System.nanoTime() + MIN_BACKOFF_NANOS;
            break;
          }
          sent = true;
        }
        if (!sent && successes == 0 && failures == 0) {
          idle = true;
          if (completions.isEmpty() && !resendInFlight && !stopping) {
            long wait = IDLE_PARK_NANOS;
            if (!inFlight.isEmpty()) {
              long untilTimeout = inFlight.iterator().next().sentAtNanos + ackTimeoutNanos - System.nanoTime();
              wait = Math.max(1, Math.min(wait, untilTimeout));
            }
            long untilBackoff = backoffUntil - System.nanoTime();
            if (untilBackoff > 0) {
              wait = Math.min(wait, untilBackoff);
            }
            LockSupport.parkNanos(wait);
          }
          idle = false;
        }
      }
    } catch (RuntimeException e) {
      LOG.error("nats publisher thread failed; remaining messages are dropped: {}", e.toString(), e);
    } finally {
      closing = true;
      for (InFlight f : inFlight) {
        settleDropped(f.envelope, "closed");
      }
      InFlight f;
      while ((f = retry.poll()) != null) {
        settleDropped(f.envelope, "closed");
      }
      Envelope e;
      while ((e = buffer.poll()) != null) {
        settleDropped(e, "closed");
      }
    }
  }

  /** Sends one attempt; false when the client refused it outright (e.g. disconnected meanwhile). */
  private boolean send(InFlight f) {
    Envelope e = f.envelope;
    int attempt = ++f.attempts;
    io.nats.client.impl.Headers headers = new io.nats.client.impl.Headers();
    headers.put(Headers.MSG_ID, e.msgId());
    headers.put(Headers.RECEIVED_AT, Long.toString(e.receivedAtNanos()));
    headers.put(Headers.CONN, e.connId());
    headers.put(Headers.SHARD, Integer.toString(e.shard()));
    Message msg = NatsMessage.builder().subject(e.subject()).headers(headers).data(e.payload()).build();
    CompletableFuture<PublishAck> future;
    f.sentAtNanos = System.nanoTime();
    try {
      future = js.publishAsync(msg, publishOptions);
    } catch (RuntimeException ex) {
      LOG.debug("publishAsync refused {}: {}", e.subject(), ex.toString());
      return false;
    }
    future.whenComplete(
            (ack, err) -> {
              completions.add(new Completion(f, attempt, ack, err));
              if (idle) {
                LockSupport.unpark(publisher);
              }
            });
    return true;
  }

  /** Decides what a failed attempt means; true to retry, false when the frame was dropped. */
  private boolean onFailure(InFlight f, Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof JetStreamApiException api) {
      // The server answered and refused (wrong stream, limits): resending rarely helps, so only a
      // few times, in case the refusal was a passing state such as a stream being updated.
      f.rejections++;
      if (f.rejections >= MAX_REJECTED_ATTEMPTS) {
        LOG.error("JetStream rejected {} (msg id {}) {} times, dropping it: {}",
            f.envelope.subject(), f.envelope.msgId(), f.rejections, api.getMessage());
        settleDropped(f.envelope, "rejected");
        return false;
      }
    }
    if (f.attempts == 1 || f.attempts % 10 == 0) {
      LOG.warn("publish of {} (msg id {}) failed on attempt {}, retrying: {}",
          f.envelope.subject(), f.envelope.msgId(), f.attempts, cause.toString());
    }
    return true;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private void settleAcked(InFlight f, PublishAck ack) {
    if (ack.isDuplicate()) {
      duplicates.incrementAndGet();
    } else {
      stored.incrementAndGet();
    }
    try {
      listener.acked(f.envelope, ack.getSeqno(), ack.isDuplicate());
    } catch (RuntimeException e) {
      LOG.error("publish listener failed on acked(seq {}): {}", ack.getSeqno(), e.toString(), e);
    } finally {
      // after the listener: a flush() that returns has every outcome reported and counted
      pending.decrementAndGet();
    }
  }

  private void settleDropped(Envelope e, String reason) {
    try {
      drop(e, reason);
    } finally {
      pending.decrementAndGet();
    }
  }

  private void drop(Envelope e, String reason) {
    drops.dropped(e.subject(), reason);
    try {
      listener.dropped(e, reason);
    } catch (RuntimeException ex) {
      LOG.error("publish listener failed on dropped({}): {}", reason, ex.toString(), ex);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends jnats' asynchronous errors to SLF4J instead of its default java.util.logging output. */
  private static final class LoggingErrorListener implements ErrorListener {
    @Override
    public void errorOccurred(Connection conn, String error) {
      LOG.warn("nats server error: {}", error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
      LOG.warn("nats connection exception: {}", exp.toString());
    }

    @Override
    public void slowConsumerDetected(Connection conn, Consumer consumer) {
      LOG.warn("nats slow consumer detected: {}", consumer);
    }
  }
}
