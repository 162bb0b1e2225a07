package io.ssmd.bench;

import io.ssmd.archiver.ArchiverOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Settings of one {@link ArchiveBenchmark} run. Invalid values are collected and reported together.
 *
 * @param venue simulated venue whose frames fill the stream: {@code kalshi} (default) or {@code kraken}
 * @param markets markets the simulator is subscribed to while its frames are recorded (default 400)
 * @param messages messages published into the stream and archived (default 500 000)
 * @param sampleFrames distinct simulator frames recorded; the stream is filled with them round-robin
 *     (default 100 000, at most {@code messages})
 * @param exportMessages archive lines of the day exported to Parquet (default 1 000 000); the archive
 *     just written is repeated to reach it
 * @param batchSize messages per fetch, archiver and raw consumer alike (default 500, the archiver's default)
 * @param inFlight unacknowledged publishes while the stream is filled (default 1024)
 * @param childHeap {@code -Xmx} of the separate archiver process (default 256m)
 * @param repoRoot the repository checkout (finds {@code exchanges/feeds} and {@code ssmd-cli/target})
 * @param workDir where the archives and exports are written, or null for a fresh directory under
 *     {@code java.io.tmpdir}; deleted at the end when it was created by the run
 * @param rss whether to run the separate-process RSS phase (default true)
 */
public record ArchiveBenchOptions(
    String venue,
    int markets,
    int messages,
    int sampleFrames,
    int exportMessages,
    int batchSize,
    int inFlight,
    String childHeap,
    Path repoRoot,
    Path workDir,
    boolean rss) {

  public static final String USAGE =
      """
      usage: ArchiveBenchmark [--quick] [--messages N] [--export-messages N] [--batch N] [--venue kalshi|kraken]
                              [--markets N] [--child-heap 256m] [--dir DIR] [--repo DIR] [--no-rss]
        --quick             short run (100k messages, 200k exported, 30k distinct frames): well under 90 s
        --messages N        messages published into the stream and archived (default 500000)
        --export-messages N archive lines exported to Parquet (default 1000000)
        --batch N           messages per fetch, archiver and raw consumer (default 500)
        --venue V           simulated venue whose frames fill the stream (default kalshi)
        --markets N         markets subscribed while frames are recorded (default 400)
        --child-heap        -Xmx of the separate archiver process (default 256m)
        --dir DIR           where archives and exports are written (default: a new directory in java.io.tmpdir)
        --repo DIR          repository root (default: found from the working directory)
        --no-rss            skip the separate-process RSS phase""";

  public ArchiveBenchOptions {
    List<String> problems = new ArrayList<>();
    if (!"kalshi".equals(venue) && !"kraken".equals(venue)) {
      problems.add("--venue must be kalshi or kraken, got " + venue);
    }
    if (markets < 1 || markets > 1000) {
      problems.add("--markets must be 1..1000 (the Kalshi simulator's universe), got " + markets);
    }
    if (messages < 1000) {
      problems.add("--messages must be >= 1000, got " + messages);
    }
    if (sampleFrames < 100) {
      problems.add("sampleFrames must be >= 100, got " + sampleFrames);
    }
    if (exportMessages < 1000) {
      problems.add("--export-messages must be >= 1000, got " + exportMessages);
    }
    if (batchSize < 1 || batchSize > ArchiverOptions.MAX_BATCH_SIZE) {
      problems.add("--batch must be 1.." + ArchiverOptions.MAX_BATCH_SIZE + ", got " + batchSize);
    }
    if (inFlight < 1) {
      problems.add("inFlight must be >= 1, got " + inFlight);
    }
    if (childHeap == null || !childHeap.matches("[0-9]+[kKmMgG]?")) {
      problems.add("--child-heap must look like 256m, got " + childHeap);
    }
    if (repoRoot == null) {
      problems.add("--repo is required when the working directory is not inside the repository");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    sampleFrames = Math.min(sampleFrames, messages);
  }

  /** The full run: 500k messages archived, 1M exported. */
  public static ArchiveBenchOptions defaults() {
    return new ArchiveBenchOptions(
        "kalshi", 400, 500_000, 100_000, 1_000_000, ArchiverOptions.DEFAULT_BATCH_SIZE, 1024, "256m",
        BenchOptions.findRepoRoot(Path.of("").toAbsolutePath()), null, true);
  }

  /** A short run for a first look: 100k messages, 200k exported. */
  public static ArchiveBenchOptions quick() {
    return defaults().withSizes(100_000, 30_000, 200_000).withMarkets(100);
  }

  public ArchiveBenchOptions withSizes(int msgs, int frames, int exported) {
    return new ArchiveBenchOptions(venue, markets, msgs, frames, exported, batchSize, inFlight, childHeap, repoRoot, workDir, rss);
  }

  public ArchiveBenchOptions withMarkets(int n) {
    return new ArchiveBenchOptions(venue, n, messages, sampleFrames, exportMessages, batchSize, inFlight, childHeap, repoRoot, workDir, rss);
  }

  public ArchiveBenchOptions withRss(boolean on) {
    return new ArchiveBenchOptions(venue, markets, messages, sampleFrames, exportMessages, batchSize, inFlight, childHeap, repoRoot, workDir, on);
  }

  /** Parses the command line; {@link IllegalArgumentException} names what is wrong. */
  public static ArchiveBenchOptions parse(String... args) {
    ArchiveBenchOptions o = List.of(args).contains("--quick") ? quick() : defaults();
    String venue = o.venue;
    int markets = o.markets;
    int messages = o.messages;
    int exported = o.exportMessages;
    int batch = o.batchSize;
    String heap = o.childHeap;
    Path repo = o.repoRoot;
    Path dir = o.workDir;
    boolean rss = o.rss;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> { }
        case "--no-rss" -> rss = false;
        case "--messages" -> messages = Args.intArg(args, ++i, a);
        case "--export-messages" -> exported = Args.intArg(args, ++i, a);
        case "--batch" -> batch = Args.intArg(args, ++i, a);
        case "--markets" -> markets = Args.intArg(args, ++i, a);
        case "--venue" -> venue = Args.arg(args, ++i, a).toLowerCase(Locale.ROOT);
        case "--child-heap" -> heap = Args.arg(args, ++i, a);
        case "--dir" -> dir = Path.of(Args.arg(args, ++i, a)).toAbsolutePath().normalize();
        case "--repo" -> repo = Path.of(Args.arg(args, ++i, a)).toAbsolutePath().normalize();
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    return new ArchiveBenchOptions(
        venue, markets, messages, o.sampleFrames, exported, batch, o.inFlight, heap, repo, dir, rss);
  }


}
