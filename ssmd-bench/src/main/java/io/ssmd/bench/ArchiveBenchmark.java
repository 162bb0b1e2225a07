package io.ssmd.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamState;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.archiver.ArchiveFormat;
import io.ssmd.archiver.Archiver;
import io.ssmd.archiver.ArchiverMetrics;
import io.ssmd.archiver.ArchiverOptions;
import io.ssmd.archiver.FsyncPolicy;
import io.ssmd.connector.Connector;
import io.ssmd.connector.ConnectorMetrics;
import io.ssmd.connector.ConnectorOptions;
import io.ssmd.data.Feeds;
import io.ssmd.data.Replay;
import io.ssmd.export.ExportBenchmark;
import io.ssmd.sim.Journal;
import io.ssmd.testkit.FreePorts;
import io.ssmd.testkit.NatsServerProcess;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.Transport;
import io.ssmd.transport.memory.MemoryTransport;
import io.ssmd.transport.nats.StreamAdmin;
import io.ssmd.transport.nats.StreamSpec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end archive benchmark: how much of what the machine's raw limit allows the archiver,
 * replay and export deliver, and the archiver's memory. One run, on 127.0.0.1 only, stops by itself:
 *
 * <ol>
 *   <li>records {@code sampleFrames} frames from a simulator (its {@link Journal}) and fills a
 *       JetStream stream on a real nats-server with {@code messages} of them, round-robin, with
 *       {@code Nats-Msg-Id} and {@code Ssmd-Received-At} as the connector sets them;
 *   <li>unmeasured warm-up of both consumers below on the first messages;
 *   <li>the limit: a raw jnats durable pull consumer, fetch + explicit ack of every message, same
 *       batch size and ack settings as the archiver;
 *   <li>{@link Archiver} archiving the whole stream, fsync per batch (default) and, into another
 *       directory, fsync on rotation only; timed until {@code lastWrittenSeq} reaches the end;
 *   <li>a raw {@link GZIPOutputStream} (level 6, as the archiver's deflater) writing the same lines;
 *   <li>{@link Replay#run(Replay.Options, OutputStream)} to a null stream next to a raw gunzip and
 *       split into lines of the same files, alternating, best of 3 each;
 *   <li>{@link ExportBenchmark#exportVsDuckDbCopy} of a day of {@code exportMessages} lines (the
 *       archive's files repeated) with the venue's normalizer, next to DuckDB's own COPY;
 *   <li>{@code ssmd run archiver} in a separate JVM archiving the same stream: its peak VmRSS.
 * </ol>
 *
 * <p>{@code scripts/bench.sh archive [options]} runs it; see {@link ArchiveBenchOptions#USAGE}.
 */
public final class ArchiveBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(ArchiveBenchmark.class);
  private static final String ENV = "bench";
  private static final String RSS_ENV = "bench-archiver";
  private static final int SATURATION_RATE = 1_000_000;
  private static final int WARMUP_MESSAGES = 50_000;
  private static final int EXPORT_WARMUP_LINES = 50_000;
  private static final Duration FETCH_WAIT = ArchiverOptions.DEFAULT_FETCH_MAX_WAIT;
  private static final Duration ACK_WAIT = Duration.ofSeconds(60);
  private static final Duration RECORD_TIMEOUT = Duration.ofSeconds(120);
  /** Each consuming phase must reach the end of the stream within this, or the run fails. */
  private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(10);
  private static final int CHUNK = 32 << 20;
  /** Replay and its raw limit are short; alternating runs, best of each, damp a busy machine. */
  private static final int BEST_OF = 3;

  private final ArchiveBenchOptions options;

  public ArchiveBenchmark(ArchiveBenchOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(ArchiveBenchOptions.USAGE);
      System.exit(0);
      return;
    }
    ArchiveBenchOptions options;
    try {
      options = ArchiveBenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("archive benchmark: " + e.getMessage());
      System.err.println(ArchiveBenchOptions.USAGE);
      System.exit(2);
      return;
    }
    try {
      ArchiveReport report = new ArchiveBenchmark(options).run();
      System.out.print(report.format());
      System.exit(0);
    } catch (Exception e) {
      LOG.error("archive benchmark failed: {}", e.toString(), e);
      System.err.println("archive benchmark failed: " + e);
      System.exit(1);
    }
  }

  /** What filling the stream gave. */
  private record Fill(double rate, double avgFrameBytes, int distinct, long lastSeq) {}

  /** What reading the archive files gave: lines per file in capture order, total lines, time taken. */
  private record Scan(Map<Path, Long> linesPerFile, long lines, long nanos) {}

  /** Runs every phase and returns the figures. */
  public ArchiveReport run() throws Exception {
    String date = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    String feed = options.venue();
    List<String> notes = new ArrayList<>();
    String loadAtStart = loadAverage();
    boolean ownWork = options.workDir() == null;
    Path work = ownWork ? Files.createTempDirectory("ssmd-bench-archive-") : Files.createDirectories(options.workDir());
    String fileSystem = Files.getFileStore(work).type();
    try (NatsServerProcess nats = NatsServerProcess.start()) {
      StreamSpec spec = StreamSpec.forFeed(ENV, feed, Duration.ofHours(6), 1, Duration.ofMinutes(2), -1);
      try (StreamAdmin admin = StreamAdmin.connect(nats.url())) {
        LOG.debug("stream {}: {}", spec.name(), admin.apply(spec, false));
      }
      String stream = spec.name();
      String filter = Subjects.feedWildcard(ENV, feed);

      progress("1/8 recording %,d frames from the %s simulator", options.sampleFrames(), feed);
      List<Journal.Entry> frames = recordFrames();
      progress("    filling stream %s with %,d messages", stream, options.messages());
      Fill fill = fill(nats.url(), stream, frames);
      frames = null; // the stream holds them now; the heap is needed for the phases below

      int warm = Math.min(options.messages(), WARMUP_MESSAGES);
      progress("2/8 warm-up (unmeasured): raw consumer and archiver over %,d messages", warm);
      rawFetch(nats.url(), stream, filter, "bench-warmup-raw", warm);
      archive(nats.url(), stream, work.resolve("warmup"), "bench-warmup-archiver", FsyncPolicy.BATCH, warm);
      deleteQuietly(work.resolve("warmup"));

      progress("3/8 raw jnats durable pull consumer: fetch %d + ack, %,d messages", options.batchSize(), options.messages());
      double raw = rawFetch(nats.url(), stream, filter, "bench-raw", fill.lastSeq());

      Path root = work.resolve("archive");
      progress("4/8 archiver, fsync batch -> %s", root);
      double batchSeconds = archive(nats.url(), stream, root, "bench-archiver-batch", FsyncPolicy.BATCH, fill.lastSeq());
      progress("    archiver, fsync rotation");
      Path rotationRoot = work.resolve("archive-rotation");
      double rotationSeconds =
          archive(nats.url(), stream, rotationRoot, "bench-archiver-rotation", FsyncPolicy.ROTATION, fill.lastSeq());
      deleteQuietly(rotationRoot);

      List<Path> files = archiveFiles(root, feed);
      long archiveBytes = 0;
      for (Path f : files) {
        archiveBytes += Files.size(f);
      }
      progress("5/8 raw GZIPOutputStream of the same lines (%d archive file(s))", files.size());
      Path gzTarget = work.resolve("raw-gzip.jsonl.gz");
      double[] gz = rawGzip(files, gzTarget);
      long lineBytes = (long) gz[1];
      Files.deleteIfExists(gzTarget);

      progress("6/8 replay vs raw gunzip + split lines, alternating, best of %d", BEST_OF);
      List<LocalDate> dates = dates(root, feed);
      double rawGunzip = 0;
      double replay = 0;
      Scan scan = null;
      for (int i = 0; i < BEST_OF; i++) {
        scan = rawGunzip(files);
        rawGunzip = Math.max(rawGunzip, scan.lines() / seconds(scan.nanos()));
        replay = Math.max(replay, replay(root, feed, dates, scan.lines(), notes));
      }
      if (scan.lines() != fill.lastSeq()) {
        notes.add("the archive holds " + scan.lines() + " lines, the stream " + fill.lastSeq() + " messages");
      }

      progress("7/8 export of %,d lines vs DuckDB COPY (warm-up on %,d lines first)", options.exportMessages(),
          Math.min(options.exportMessages(), EXPORT_WARMUP_LINES));
      LocalDate day = dates.get(0);
      Path warmDay = work.resolve("export-warmup");
      buildExportDay(scan, warmDay.resolve("archive"), feed, day, Math.min(options.exportMessages(), EXPORT_WARMUP_LINES));
      ExportBenchmark.exportVsDuckDbCopy(warmDay.resolve("archive"), feed, day, Feeds.normalizer(feed), warmDay);
      deleteQuietly(warmDay);
      Path exportWork = work.resolve("export");
      buildExportDay(scan, exportWork.resolve("archive"), feed, day, options.exportMessages());
      ExportBenchmark.Result export =
          ExportBenchmark.exportVsDuckDbCopy(exportWork.resolve("archive"), feed, day, Feeds.normalizer(feed), exportWork);
      deleteQuietly(exportWork);

      long rss = -1;
      double childRate = 0;
      if (options.rss()) {
        progress("8/8 ssmd run archiver in a separate JVM (-Xmx%s) over the same %,d messages", options.childHeap(), fill.lastSeq());
        double[] child = measureChild(nats.url(), stream, feed, work, fill.lastSeq());
        rss = (long) child[0];
        childRate = child[1];
      }
      notes.add("1-min load average " + loadAtStart + " at start, " + loadAverage()
          + " at end; other processes on the machine lower every figure");
      double lineMb = lineBytes / 1e6;
      return new ArchiveReport(
          Runtime.getRuntime().availableProcessors(), date, System.getProperty("java.runtime.version"), feed,
          fill.lastSeq(), fill.distinct(), fill.avgFrameBytes(), options.batchSize(), fileSystem, fill.rate(), raw,
          fill.lastSeq() / batchSeconds, fill.lastSeq() / rotationSeconds, lineBytes, archiveBytes,
          lineMb / batchSeconds, lineMb / rotationSeconds, lineMb / gz[0], (long) gz[2], replay, rawGunzip,
          export.lines(), export.rows(), export.export().toNanos() / 1e9, export.duckDbRows(),
          export.duckDbCopy().toNanos() / 1e9, rss, options.childHeap(), childRate, notes);
    } finally {
      if (ownWork) {
        deleteQuietly(work);
      }
    }
  }

  // ---- 1: frames and stream ----

  /** Captures from the simulator into a memory transport until its journal holds {@code sampleFrames}. */
  private List<Journal.Entry> recordFrames() throws Exception {
    AckMeter meter = new AckMeter();
    try (Workload workload = Workload.start(options.venue(), options.markets(), SATURATION_RATE, options.sampleFrames())) {
      ConnectorMetrics metrics = ConnectorMetrics.create(new PrometheusRegistry(), workload.feed());
      meter.forwardTo(metrics.publishListener());
      try (Transport transport = MemoryTransport.start(meter)) {
        ConnectorOptions connectorOptions =
            ConnectorOptions.builder(ENV, workload.wsUri()).subscribe(1000, Duration.ZERO).build();
        Connector connector = new Connector(connectorOptions, workload.venue(), transport, metrics);
        try {
          connector.start(workload.markets());
          long deadline = System.nanoTime() + RECORD_TIMEOUT.toNanos();
          while (workload.journal().count() < options.sampleFrames()) {
            if (System.nanoTime() - deadline > 0) {
              throw new IllegalStateException("the simulator sent " + workload.journal().count() + " of "
                  + options.sampleFrames() + " frames within " + RECORD_TIMEOUT + ": " + connector.status().line());
            }
            Thread.sleep(20);
          }
          workload.sim().pauseData(true);
          List<Journal.Entry> frames = workload.journal().entries();
          if (frames.isEmpty()) {
            throw new IllegalStateException("the simulator journaled no frames");
          }
          return frames;
        } finally {
          connector.close();
        }
      }
    }
  }

  /**
   * Publishes {@code messages} frames round-robin, each with a unique {@code Nats-Msg-Id} and the
   * publish time as {@code Ssmd-Received-At} (epoch ns), at most {@code inFlight} unacknowledged.
   */
  private Fill fill(String url, String stream, List<Journal.Entry> frames) throws Exception {
    String[] subjects = new String[frames.size()];
    long frameBytes = 0;
    for (int i = 0; i < frames.size(); i++) {
      Journal.Entry e = frames.get(i);
      subjects[i] = Subjects.subject(ENV, options.venue(), e.type(), e.ticker());
      frameBytes += e.bytes().length;
    }
    Options natsOptions = new Options.Builder().server(url).connectionName("ssmd-bench-fill").build();
    try (Connection connection = Nats.connect(natsOptions)) {
      JetStream js = connection.jetStream();
      Semaphore permits = new Semaphore(options.inFlight());
      LongAdder failed = new LongAdder();
      long t0 = System.nanoTime();
      for (long n = 0; n < options.messages(); n++) {
        if (!permits.tryAcquire(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("no publish acknowledged for 30 s while filling the stream (" + n + " sent)");
        }
        int i = (int) (n % frames.size());
        Instant now = Instant.now();
        Headers headers = new Headers();
        headers.put(io.ssmd.transport.Headers.MSG_ID, "bench-" + n);
        headers.put(io.ssmd.transport.Headers.RECEIVED_AT, Long.toString(now.getEpochSecond() * 1_000_000_000L + now.getNano()));
        Message msg = NatsMessage.builder().subject(subjects[i]).headers(headers).data(frames.get(i).bytes()).build();
        js.publishAsync(msg).whenComplete((ack, err) -> {
          if (err != null) {
            failed.increment();
          }
          permits.release();
        });
      }
      if (!permits.tryAcquire(options.inFlight(), 60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("publishes still unacknowledged 60 s after the last one");
      }
      double rate = options.messages() / seconds(System.nanoTime() - t0);
      if (failed.sum() > 0) {
        throw new IllegalStateException(failed.sum() + " of " + options.messages() + " publishes failed while filling the stream");
      }
      StreamState state = connection.jetStreamManagement().getStreamInfo(stream).getStreamState();
      if (state.getMsgCount() != options.messages()) {
        throw new IllegalStateException("stream " + stream + " holds " + state.getMsgCount() + " messages, expected " + options.messages());
      }
      return new Fill(rate, (double) frameBytes / frames.size(), frames.size(), state.getLastSequence());
    }
  }

  // ---- 3, 4: consumers ----

  /**
   * The limit: a durable pull consumer with the archiver's settings (explicit ack, ack wait, max
   * ack pending, batch, fetch wait), fetching and acknowledging {@code count} messages one by one
   * as the archiver does, writing nothing. Returns msg/s from subscribe to the last ack.
   */
  private double rawFetch(String url, String stream, String filter, String durable, long count) throws Exception {
    Options natsOptions = new Options.Builder().server(url).connectionName("ssmd-bench-raw-consumer").build();
    try (Connection connection = Nats.connect(natsOptions)) {
      JetStreamManagement jsm = connection.jetStreamManagement();
      jsm.addOrUpdateConsumer(stream, ConsumerConfiguration.builder()
          .durable(durable)
          .filterSubject(filter)
          .ackPolicy(AckPolicy.Explicit)
          .ackWait(ACK_WAIT)
          .maxAckPending(Math.max(1000, options.batchSize() * 4L))
          .deliverPolicy(DeliverPolicy.All)
          .build());
      long t0 = System.nanoTime();
      long deadline = t0 + PHASE_TIMEOUT.toNanos();
      JetStreamSubscription sub = connection.jetStream().subscribe(filter, PullSubscribeOptions.bind(stream, durable));
      long n = 0;
      long bytes = 0;
      while (n < count) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("raw consumer fetched " + n + " of " + count + " messages within " + PHASE_TIMEOUT);
        }
        for (Message m : sub.fetch(options.batchSize(), FETCH_WAIT)) {
          if (m.isJetStream()) {
            bytes += m.getData().length;
            m.ack();
            n++;
          }
        }
      }
      double seconds = seconds(System.nanoTime() - t0);
      LOG.debug("raw consumer {}: {} messages, {} bytes", durable, n, bytes);
      sub.unsubscribe();
      connection.flush(Duration.ofSeconds(10));
      jsm.deleteConsumer(stream, durable);
      return n / seconds;
    }
  }

  /**
   * Archives the stream into {@code root} until {@code lastSeq} is written; returns the seconds
   * from {@link Archiver#start()} to then (closing, which finishes the file, is not timed).
   */
  private double archive(String url, String stream, Path root, String durable, FsyncPolicy fsync, long lastSeq) throws Exception {
    ArchiverOptions archiverOptions = ArchiverOptions.builder(url, stream, ENV, options.venue(), root)
        .durable(durable)
        .batchSize(options.batchSize())
        .fsync(fsync)
        .build();
    double seconds;
    try (Archiver archiver = new Archiver(archiverOptions, new PrometheusRegistry())) {
      long t0 = System.nanoTime();
      long deadline = t0 + PHASE_TIMEOUT.toNanos();
      archiver.start();
      while (archiver.status().lastWrittenSeq() < lastSeq) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("archiver wrote up to sequence " + archiver.status().lastWrittenSeq() + " of " + lastSeq
              + " within " + PHASE_TIMEOUT + ": " + archiver.status());
        }
        LockSupport.parkNanos(200_000);
      }
      seconds = seconds(System.nanoTime() - t0);
    }
    try (Connection connection = Nats.connect(url)) {
      connection.jetStreamManagement().deleteConsumer(stream, durable);
    }
    return seconds;
  }

  // ---- 5, 6: files ----

  /**
   * Writes every line of the archive files through a 64 KiB buffer into a {@link
   * GZIPOutputStream} (default level, as the archiver's {@code Deflater.DEFAULT_COMPRESSION}) and
   * forces it to disk once. The files are decompressed in chunks outside the timing. Returns
   * {seconds, uncompressed bytes, compressed bytes}.
   */
  private static double[] rawGzip(List<Path> files, Path target) throws IOException {
    long nanos = 0;
    long bytes = 0;
    byte[] chunk = new byte[CHUNK];
    FileOutputStream file = new FileOutputStream(target.toFile());
    GZIPOutputStream gzip = new GZIPOutputStream(file, 1 << 16);
    try (OutputStream out = new BufferedOutputStream(gzip, 1 << 16)) {
      for (Path f : files) {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16), 1 << 16)) {
          int have = 0;
          while (true) {
            int r = in.readNBytes(chunk, have, chunk.length - have);
            int len = have + r;
            int lastNewline = len - 1;
            while (lastNewline >= 0 && chunk[lastNewline] != '\n') {
              lastNewline--;
            }
            if (lastNewline < 0 && r == 0) {
              break; // end of file; an unterminated tail is not a line
            }
            if (lastNewline < 0) {
              throw new IOException(f + ": a line longer than " + CHUNK + " bytes");
            }
            long t0 = System.nanoTime();
            int start = 0;
            for (int i = 0; i <= lastNewline; i++) {
              if (chunk[i] == '\n') {
                out.write(chunk, start, i + 1 - start);
                start = i + 1;
              }
            }
            nanos += System.nanoTime() - t0;
            bytes += lastNewline + 1;
            have = len - (lastNewline + 1);
            System.arraycopy(chunk, lastNewline + 1, chunk, 0, have);
            if (r == 0) {
              break;
            }
          }
        }
      }
      long t0 = System.nanoTime();
      out.flush();
      gzip.finish();
      file.getChannel().force(false);
      nanos += System.nanoTime() - t0;
    }
    return new double[] {seconds(nanos), bytes, Files.size(target)};
  }

  /**
   * The limit of reading an archive: gunzip each file and split it into lines (a {@code byte[]}
   * per line), nothing decoded.
   */
  private static Scan rawGunzip(List<Path> files) throws IOException {
    Map<Path, Long> perFile = new LinkedHashMap<>();
    long total = 0;
    long checksum = 0;
    long t0 = System.nanoTime();
    byte[] buf = new byte[1 << 16];
    ByteArrayOutputStream partial = new ByteArrayOutputStream(1024);
    for (Path f : files) {
      long lines = 0;
      partial.reset();
      try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16), 1 << 16)) {
        int r;
        while ((r = in.read(buf)) > 0) {
          int start = 0;
          for (int i = 0; i < r; i++) {
            if (buf[i] == '\n') {
              byte[] line;
              if (partial.size() == 0) {
                line = java.util.Arrays.copyOfRange(buf, start, i);
              } else {
                partial.write(buf, start, i - start);
                line = partial.toByteArray();
                partial.reset();
              }
              checksum += line.length;
              lines++;
              start = i + 1;
            }
          }
          partial.write(buf, start, r - start);
        }
      }
      perFile.put(f, lines);
      total += lines;
    }
    long nanos = System.nanoTime() - t0;
    LOG.debug("raw gunzip: {} lines, {} bytes", total, checksum + total);
    return new Scan(perFile, total, nanos);
  }

  /** {@code Replay.run} of every day of the archive to a null stream; frames/s. */
  private static double replay(Path root, String feed, List<LocalDate> dates, long expected, List<String> notes) throws IOException {
    long frames = 0;
    long t0 = System.nanoTime();
    List<String> problems = new ArrayList<>();
    for (LocalDate d : dates) {
      Replay.Summary s = Replay.run(Replay.Options.of(root, d, List.of(feed)), OutputStream.nullOutputStream());
      frames += s.framesEmitted();
      problems.addAll(s.problems());
    }
    double rate = frames / seconds(System.nanoTime() - t0);
    if (frames != expected && notes.stream().noneMatch(n -> n.startsWith("replay"))) {
      notes.add("replay emitted " + frames + " frames of " + expected + " lines" + (problems.isEmpty() ? "" : "; first problem: " + problems.get(0)));
    }
    return rate;
  }

  /**
   * A day of exactly {@code lines} archive lines under {@code root/feed/day}: the archive's files
   * copied as they are, in order and round again, the last one cut to the remainder (re-compressed).
   * Sequence numbers repeat across copies; neither the export nor DuckDB reads them as keys.
   */
  private static void buildExportDay(Scan scan, Path root, String feed, LocalDate day, long lines) throws IOException {
    if (scan.lines() <= 0) {
      throw new IllegalStateException("the archive has no lines to export");
    }
    Path dir = ArchiveFormat.dayDir(root, feed, day);
    Files.createDirectories(dir);
    long remaining = lines;
    int index = 0;
    while (remaining > 0) {
      for (Map.Entry<Path, Long> e : scan.linesPerFile().entrySet()) {
        if (remaining == 0) {
          break;
        }
        long n = e.getValue();
        if (n == 0) {
          continue;
        }
        Path target = dir.resolve(String.format("%06d%s", index++, ArchiveFormat.SUFFIX));
        if (n <= remaining) {
          Files.copy(e.getKey(), target);
          remaining -= n;
        } else {
          copyLines(e.getKey(), target, remaining);
          remaining = 0;
        }
      }
    }
  }

  private static void copyLines(Path source, Path target, long lines) throws IOException {
    try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(source), 1 << 16), 1 << 16);
        OutputStream out = new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(target), 1 << 16), 1 << 16)) {
      long left = lines;
      int b;
      while (left > 0 && (b = in.read()) >= 0) {
        out.write(b);
        if (b == '\n') {
          left--;
        }
      }
    }
  }

  private static List<Path> archiveFiles(Path root, String feed) throws IOException {
    List<Path> files = new ArrayList<>();
    for (LocalDate d : dates(root, feed)) {
      try (Stream<Path> s = Files.list(ArchiveFormat.dayDir(root, feed, d))) {
        s.filter(p -> p.getFileName().toString().endsWith(ArchiveFormat.SUFFIX)).sorted().forEach(files::add);
      }
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("the archiver wrote no files under " + root.resolve(feed));
    }
    return files;
  }

  /** The UTC days the archive has, in order (two when the run crosses midnight). */
  private static List<LocalDate> dates(Path root, String feed) throws IOException {
    try (Stream<Path> s = Files.list(root.resolve(feed))) {
      return s.filter(Files::isDirectory).map(p -> LocalDate.parse(p.getFileName().toString())).sorted().toList();
    }
  }

  // ---- 8: separate process ----

  /**
   * Runs {@code ssmd run archiver} over the stream with its own durable consumer, sampling VmRSS
   * every 100 ms until its {@code ssmd_archiver_messages_total} reaches {@code lastSeq}; returns
   * {max RSS bytes, msg/s archived from the first message to the last}.
   */
  private double[] measureChild(String natsUrl, String stream, String feed, Path work, long lastSeq) throws Exception {
    Path dir = Files.createDirectories(work.resolve("rss"));
    Path env = dir.resolve(RSS_ENV + ".yaml");
    Files.writeString(env, """
        name: %s
        feed: %s
        schema: v2
        endpoint: ws://127.0.0.1:9/unused
        transport:
          type: nats
          url: %s
          subject_prefix: %s
          jetstream:
            enabled: true
            stream: %s
        storage:
          type: local
          path: %s
        archiver:
          consumer: bench-rss
          batch: %d
          fsync: batch
        subscriptions:
          markets: ["unused"]
        """.formatted(RSS_ENV, feed, natsUrl, ENV, stream, dir.resolve("archive").toAbsolutePath(), options.batchSize()));
    Path feedFile = options.repoRoot().resolve("exchanges").resolve("feeds").resolve(feed + ".yaml");
    try (CliProcess child = CliProcess.start(
        options.repoRoot(), "archiver", options.childHeap(), env, feedFile, FreePorts.pick(), dir.resolve("archiver.log"))) {
      long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
      long maxRss = 0;
      long firstAt = 0;
      long firstCount = 0;
      long done = 0;
      while (true) {
        if (!child.alive() || System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("the separate archiver (pid " + child.pid() + ") archived " + done + " of " + lastSeq
              + " messages within " + PHASE_TIMEOUT + (child.alive() ? "" : " and exited") + "; its log:\n" + child.logTail());
        }
        maxRss = Math.max(maxRss, child.rssBytes());
        OptionalLong c = child.counter(ArchiverMetrics.MESSAGES);
        done = c.orElse(0);
        if (done > 0 && firstAt == 0) {
          firstAt = System.nanoTime();
          firstCount = done;
        }
        if (done >= lastSeq) {
          break;
        }
        Thread.sleep(100);
      }
      double seconds = seconds(System.nanoTime() - firstAt);
      // after the last batch the archiver is idle; one more sample catches a late peak
      Thread.sleep(300);
      maxRss = Math.max(maxRss, child.rssBytes());
      return new double[] {maxRss, (done - firstCount) / Math.max(seconds, 1e-3)};
    }
  }

  // ---- helpers ----

  /** The 1-minute load average from /proc/loadavg, or "?" where there is none. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static double seconds(long nanos) {
    return Math.max(nanos, 1) / 1e9;
  }

  private static void progress(String format, Object... args) {
    System.err.printf(format + "%n", args);
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("cannot delete {}: {}", dir, e.toString());
    }
  }
}
