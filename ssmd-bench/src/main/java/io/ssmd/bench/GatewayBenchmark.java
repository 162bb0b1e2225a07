package io.ssmd.bench;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.gateway.ApiKeyStore;
import io.ssmd.gateway.ClientStats;
import io.ssmd.gateway.FeedSource;
import io.ssmd.gateway.Gateway;
import io.ssmd.gateway.GatewayOptions;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.memory.MemoryTransport;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * {@code scripts/bench.sh gateway}: fan-out of the gateway to N WebSocket clients on loopback,
 * beside a raw limit measured in the same run: a bare Jetty WebSocket server that sends the same
 * messages (same size and shape) to the same clients, written the same way (a writer thread per
 * session, batches of 64 frames), with none of the gateway's logic (no transport, subject
 * parsing, JSON validation, subscription index, message building, bounded queues or metrics).
 *
 * <p>Phases: throughput (messages published as fast as the slowest client allows, within a window)
 * and latency (a fixed publish rate; transport→client latency from the message's {@code
 * received_at} to the client's receive, HdrHistogram), for raw and gateway, then the gateway again
 * with one deliberately slow client added (it never reads) to show its effect on the others'
 * latency and on memory. Everything runs in this one process (gateway, publisher and clients):
 * heap and RSS are of the whole process.
 */
public final class GatewayBenchmark {
  private static final String ENV = "bench";
  private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);
  private static final int SLOW_QUEUE = 1024;
  private static final int FILLER_MESSAGES = 5_000;

  /** One phase's figures. */
  record Phase(String name, long delivered, double seconds, Histogram latency, long heapUsedMb, long droppedBySlow) {
    double perSecond() {
      return delivered / seconds;
    }
  }

  private final GatewayBenchOptions o;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> symbols;
  private final String[] frames;

  GatewayBenchmark(GatewayBenchOptions o) {
    this.o = o;
    List<String> s = new ArrayList<>();
    for (int i = 0; i < o.symbols(); i++) {
      s.add("S" + i + "/USD");
    }
    this.symbols = List.copyOf(s);
    this.frames = new String[o.symbols()];
    for (int i = 0; i < frames.length; i++) {
      // a Kraken v2 ticker frame of realistic size (~250 bytes)
      frames[i] = "{\"channel\":\"ticker\",\"type\":\"update\",\"data\":[{\"symbol\":\"" + symbols.get(i) + "\",\"bid\":45285.1,\"bid_qty\":0.51234567,"
          + "\"ask\":45285.2,\"ask_qty\":1.25000000,\"last\":45285.2,\"volume\":1234.56789012,\"vwap\":45101.3,\"low\":44800.0,"
          + "\"high\":45500.0,\"change\":120.5,\"change_pct\":0.27}]}";
    }
  }

  public static void main(String[] args) throws Exception {
    GatewayBenchOptions o;
    try {
      o = GatewayBenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("GatewayBenchmark: " + e.getMessage());
      System.err.println(GatewayBenchOptions.USAGE);
      System.exit(2);
      return;
    }
    new GatewayBenchmark(o).run();
    System.exit(0);
  }

  void run() throws Exception {
    System.out.printf(Locale.ROOT, "gateway benchmark: %d clients, %d symbols, throughput %d messages (window %d), latency %d msg/s for %d s%n",
        o.clients(), o.symbols(), o.messages(), o.window(), o.rate(), o.seconds());
    List<Phase> phases = new ArrayList<>();
    try (RawServer raw = new RawServer()) {
      List<BenchClient> clients = connect(URI.create("ws://127.0.0.1:" + raw.port() + "/raw"), Map.of(), o.clients());
      raw.awaitSessions(o.clients());
      phases.add(throughput("raw jetty: throughput", clients, (i, now) -> raw.send(rawText(i, now))));
      phases.add(latency("raw jetty: latency", clients, (i, now) -> raw.send(rawText(i, now)), () -> 0));
      clients.forEach(BenchClient::close);
    }
    MemoryTransport transport = MemoryTransport.start(PublishListener.NONE);
    ApiKeyStore keys = ApiKeyStore.of(List.of());
    String key = keys.add("bench", List.of(), Clock.systemUTC());
    // a queue smaller than the default so the slow client reaches it within a short phase
    GatewayOptions options = GatewayOptions.defaults().withHost("127.0.0.1").withPort(0)
        .withQueue(SLOW_QUEUE, io.ssmd.gateway.SlowClientPolicy.DROP_OLDEST);
    try (Gateway gateway = Gateway.start(options, List.of(new FeedSource("kraken", ENV, transport)), keys, Optional.empty(),
        new PrometheusRegistry())) {
      Map<String, String> auth = Map.of("Authorization", "Bearer " + key);
      List<BenchClient> clients = connect(gateway.wsUri(), auth, o.clients());
      // the clients name the benchmark's symbols, so the slow client's filler (below) reaches only it
      String subscribe = "{\"id\":1,\"op\":\"subscribe\",\"symbols\":["
          + String.join(",", symbols.stream().map(x -> "\"kraken:" + x + "\"").toList()) + "]}";
      for (BenchClient c : clients) {
        c.ws.sendText(subscribe, true).join();
      }
      for (BenchClient c : clients) {
        c.awaitControl(2); // welcome and ack
      }
      Publisher pub = (i, now) -> transport.publish(new Envelope(Subjects.subject(ENV, "kraken", "ticker", symbols.get((int) (i % symbols.size()))),
          frames[(int) (i % frames.length)].getBytes(StandardCharsets.UTF_8), "b" + i + "-" + now, now, "bench", 0));
      phases.add(throughput("gateway: throughput", clients, pub));
      phases.add(latency("gateway: latency", clients, pub, () -> 0));
      StalledClient slow = StalledClient.subscribe(gateway.port(), key, "{\"id\":1,\"op\":\"subscribe\",\"symbols\":[\"kraken:*\"]}");
      // fill the slow client's socket buffers (kernel send buffers autotune to megabytes on loopback) with
      // frames only it subscribes to, so within the phase its writes stall and its queue reaches the bound
      String filler = "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"FILL/USD\",\"pad\":\"" + "f".repeat(2048) + "\"}]}";
      for (int i = 0; i < FILLER_MESSAGES; i++) {
        transport.publish(new Envelope(Subjects.subject(ENV, "kraken", "trade", "FILL/USD"), filler.getBytes(StandardCharsets.UTF_8),
            "fill" + i, epochNanos(), "bench", 0));
      }
      Thread.sleep(1000);
      // the slow client connected last: the highest connection number
      java.util.function.Supplier<ClientStats> slowStats =
          () -> gateway.clients().stream().max(java.util.Comparator.comparingLong(ClientStats::id)).orElseThrow();
      phases.add(latency("gateway + 1 slow client: latency of the others", clients, pub, () -> slowStats.get().dropped()));
      ClientStats st = slowStats.get();
      long othersDropped = gateway.clients().stream().filter(c -> c.id() != st.id()).mapToLong(ClientStats::dropped).sum();
      System.out.printf(Locale.ROOT, "slow client: queue high-water %d of %d, now %d queued, dropped %d (drop_oldest); others dropped %d%n",
          st.queueHighWater(), st.queueSize(), st.queued(), st.dropped(), othersDropped);
      clients.forEach(BenchClient::close);
      slow.close();
    } finally {
      transport.close();
    }
    print(phases);
  }

  @FunctionalInterface
  interface Publisher {
    void publish(long i, long nowNanos);
  }

  /** Publishes {@code messages} as fast as the slowest client allows (at most {@code window} ahead). */
  private Phase throughput(String name, List<BenchClient> clients, Publisher pub) {
    long[] base = clients.stream().mapToLong(c -> c.count.get()).toArray();
    long start = System.nanoTime();
    for (long i = 0; i < o.messages(); i++) {
      if (i % 100 == 0) {
        while (i - minProgress(clients, base) > o.window()) {
          LockSupport.parkNanos(50_000);
        }
      }
      pub.publish(i, epochNanos());
    }
    awaitAll(clients, base, o.messages());
    double secs = (System.nanoTime() - start) / 1e9;
    long delivered = (long) o.messages() * clients.size();
    return new Phase(name, delivered, secs, null, heapUsedMb(), 0);
  }

  /** Publishes at a fixed rate for {@code seconds}; the first second is warm-up, not recorded. */
  private Phase latency(String name, List<BenchClient> clients, Publisher pub, java.util.function.LongSupplier dropped) {
    Histogram h = new ConcurrentHistogram(HIGHEST_MICROS, 3);
    long[] base = clients.stream().mapToLong(c -> c.count.get()).toArray();
    long interval = 1_000_000_000L / o.rate();
    long total = (long) o.rate() * (o.seconds() + 1);
    long start = System.nanoTime();
    for (long i = 0; i < total; i++) {
      if (i == o.rate()) {
        clients.forEach(c -> c.latency = h);
      }
      long due = start + i * interval;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(Math.min(wait, 200_000));
      }
      pub.publish(i, epochNanos());
    }
    awaitAll(clients, base, total);
    clients.forEach(c -> c.latency = null);
    double secs = (System.nanoTime() - start) / 1e9;
    return new Phase(name, total * clients.size(), secs, h, heapUsedMb(), dropped.getAsLong());
  }

  private static long minProgress(List<BenchClient> clients, long[] base) {
    long min = Long.MAX_VALUE;
    for (int k = 0; k < clients.size(); k++) {
      min = Math.min(min, clients.get(k).count.get() - base[k]);
    }
    return min;
  }

  private static void awaitAll(List<BenchClient> clients, long[] base, long expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (minProgress(clients, base) < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("clients did not receive " + expected + " messages within 120 s (slowest at "
            + minProgress(clients, base) + ")");
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  private String rawText(long i, long nowNanos) {
    int k = (int) (i % symbols.size());
    return "{\"type\":\"ticker\",\"feed\":\"kraken\",\"symbol\":\"" + Subjects.sanitize(symbols.get(k)) + "\",\"seq\":" + (i + 1)
        + ",\"received_at\":" + nowNanos / 1000 + ",\"data\":" + frames[k] + "}";
  }

  private List<BenchClient> connect(URI uri, Map<String, String> headers, int n) throws Exception {
    List<CompletableFuture<BenchClient>> fs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BenchClient c = new BenchClient();
      WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30));
      headers.forEach(b::header);
      fs.add(b.buildAsync(uri, c).thenApply(ws -> {
        c.ws = ws;
        return c;
      }));
    }
    List<BenchClient> out = new ArrayList<>();
    for (CompletableFuture<BenchClient> f : fs) {
      out.add(f.get(60, TimeUnit.SECONDS));
    }
    return out;
  }

  private void print(List<Phase> phases) {
    System.out.println();
    System.out.printf(Locale.ROOT, "%-48s %14s %10s %10s %10s %10s %8s%n", "phase", "deliveries/s", "p50 µs", "p99 µs", "p99.9 µs",
        "max µs", "heap MB");
    for (Phase p : phases) {
      Histogram h = p.latency();
      System.out.printf(Locale.ROOT, "%-48s %,14.0f %10s %10s %10s %10s %8d%n", p.name(), p.perSecond(), q(h, 50), q(h, 99), q(h, 99.9),
          h == null ? "-" : String.valueOf(h.getMaxValue()), p.heapUsedMb());
    }
    Phase rawT = phases.get(0);
    Phase rawL = phases.get(1);
    Phase gwT = phases.get(2);
    Phase gwL = phases.get(3);
    Phase slow = phases.get(4);
    System.out.println();
    System.out.printf(Locale.ROOT, "fan-out throughput: gateway %,.0f deliveries/s = %.2f x raw Jetty (%,.0f/s) to %d clients%n", gwT.perSecond(),
        gwT.perSecond() / rawT.perSecond(), rawT.perSecond(), o.clients());
    System.out.printf(Locale.ROOT, "latency at %d msg/s: gateway p50 %d µs / p99 %d µs; raw Jetty p50 %d µs / p99 %d µs (p99 ratio %.2f)%n",
        o.rate(), gwL.latency().getValueAtPercentile(50), gwL.latency().getValueAtPercentile(99), rawL.latency().getValueAtPercentile(50),
        rawL.latency().getValueAtPercentile(99), (double) gwL.latency().getValueAtPercentile(99) / Math.max(1, rawL.latency().getValueAtPercentile(99)));
    System.out.printf(Locale.ROOT, "with a slow client: others' p50 %d µs / p99 %d µs (x%.2f / x%.2f of without); slow client dropped %d; heap %d MB -> %d MB%n",
        slow.latency().getValueAtPercentile(50), slow.latency().getValueAtPercentile(99),
        (double) slow.latency().getValueAtPercentile(50) / Math.max(1, gwL.latency().getValueAtPercentile(50)),
        (double) slow.latency().getValueAtPercentile(99) / Math.max(1, gwL.latency().getValueAtPercentile(99)), slow.droppedBySlow(),
        gwL.heapUsedMb(), slow.heapUsedMb());
    System.out.printf(Locale.ROOT, "process (gateway + publisher + %d clients): RSS %s, peak RSS %s, max heap %d MB%n", o.clients() + 1,
        procStatus("VmRSS"), procStatus("VmHWM"), Runtime.getRuntime().maxMemory() >> 20);
  }

  private static String q(Histogram h, double pct) {
    return h == null ? "-" : String.valueOf(h.getValueAtPercentile(pct));
  }

  private static long heapUsedMb() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
  }

  private static String procStatus(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          long kb = Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
          return (kb >> 10) + " MB";
        }
      }
    } catch (Exception e) {
      return "n/a";
    }
    return "n/a";
  }

  static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /**
   * The deliberately slow client: a plain socket with a 4 KiB receive buffer that upgrades,
   * subscribes to the whole feed and never reads again, so the gateway's writes to it stall
   * after a few hundred KiB of socket buffers and its queue fills.
   */
  static final class StalledClient implements AutoCloseable {
    private final java.net.Socket socket;

    private StalledClient(java.net.Socket socket) {
      this.socket = socket;
    }

    static StalledClient subscribe(int port, String key, String command) throws Exception {
      java.net.Socket s = new java.net.Socket();
      s.setReceiveBufferSize(4096); // before connect, so the TCP window is small from the start
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
      byte[] nonce = new byte[16];
      new java.security.SecureRandom().nextBytes(nonce);
      String upgrade = "GET " + Gateway.WS_PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: " + java.util.Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n"
          + "Authorization: Bearer " + key + "\r\n\r\n";
      var out = s.getOutputStream();
      out.write(upgrade.getBytes(StandardCharsets.US_ASCII));
      var in = s.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IllegalStateException("gateway closed the slow client's upgrade: " + head);
        }
        head.append((char) b);
      }
      if (!head.toString().startsWith("HTTP/1.1 101")) {
        throw new IllegalStateException("slow client's upgrade refused: " + head.toString().lines().findFirst().orElse(""));
      }
      byte[] payload = command.getBytes(StandardCharsets.UTF_8);
      byte[] mask = {1, 2, 3, 4};
      java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
      frame.write(0x81); // FIN + text
      frame.write(0x80 | payload.length); // masked, length < 126
      frame.write(mask);
      for (int i = 0; i < payload.length; i++) {
        frame.write(payload[i] ^ mask[i % 4]);
      }
      out.write(frame.toByteArray());
      out.flush();
      return new StalledClient(s);
    }

    @Override
    public void close() throws Exception {
      socket.close();
    }
  }

  /** A client that counts market messages and records their latency while a histogram is set. */
  static final class BenchClient implements WebSocket.Listener {
    private static final String RECEIVED_AT = "\"received_at\":";
    final AtomicLong count = new AtomicLong();
    final AtomicLong control = new AtomicLong();
    volatile Histogram latency;
    volatile WebSocket ws;
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        long now = epochNanos() / 1000;
        int at = partial.indexOf(RECEIVED_AT);
        if (at < 0) {
          control.incrementAndGet();
        } else {
          int from = at + RECEIVED_AT.length();
          int to = from;
          while (to < partial.length() && Character.isDigit(partial.charAt(to))) {
            to++;
          }
          long sentMicros = Long.parseLong(partial, from, to, 10);
          Histogram h = latency;
          if (h != null) {
            h.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, now - sentMicros)));
          }
          count.incrementAndGet();
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    void awaitControl(int n) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (control.get() < n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no welcome/ack from the gateway within 30 s");
        }
        LockSupport.parkNanos(1_000_000);
      }
    }

    void close() {
      ws.abort();
    }
  }

  /**
   * The raw limit: a bare Jetty WebSocket server that writes each message to every session the way
   * the gateway does (a writer thread per session handing Jetty up to 64 queued frames at a time),
   * with none of the gateway's logic.
   */
  static final class RawServer implements AutoCloseable {
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final List<RawEndpoint> endpoints = new CopyOnWriteArrayList<>();

    RawServer() throws Exception {
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ContextHandler context = new ContextHandler("/");
      WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
        container.setIdleTimeout(Duration.ofMinutes(5));
        container.addMapping("/raw", (req, resp, cb) -> new RawEndpoint(endpoints));
      });
      context.setHandler(ws);
      server.setHandler(context);
      server.start();
    }

    int port() {
      return connector.getLocalPort();
    }

    void awaitSessions(int n) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (endpoints.size() < n && System.nanoTime() < deadline) {
        LockSupport.parkNanos(1_000_000);
      }
    }

    void send(String text) {
      for (RawEndpoint e : endpoints) {
        e.queue.add(text);
      }
    }

    @Override
    public void close() throws Exception {
      endpoints.forEach(e -> e.writer.interrupt());
      server.stop();
    }
  }

  /** Public: Jetty invokes listener methods through method handles that need a public class. */
  public static final class RawEndpoint implements Session.Listener.AutoDemanding {
    private final List<RawEndpoint> endpoints;
    // unbounded here: the benchmark's publish window bounds it
    final java.util.concurrent.LinkedBlockingQueue<String> queue = new java.util.concurrent.LinkedBlockingQueue<>();
    volatile Thread writer;

    RawEndpoint(List<RawEndpoint> endpoints) {
      this.endpoints = endpoints;
    }

    @Override
    public void onWebSocketOpen(Session session) {
      writer = Thread.ofVirtual().start(() -> {
        List<String> batch = new ArrayList<>(64);
        try {
          while (true) {
            batch.add(queue.take());
            queue.drainTo(batch, 63);
            Callback.Completable last = new Callback.Completable();
            for (int i = 0; i < batch.size(); i++) {
              session.sendText(batch.get(i), i == batch.size() - 1 ? last : Callback.NOOP);
            }
            last.get();
            batch.clear();
          }
        } catch (Exception e) {
          // interrupted at the end of the raw phases, or the client went away
        }
      });
      endpoints.add(this);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      // clients are aborted at the end of the raw phases: their connections end this way
    }
  }
}
