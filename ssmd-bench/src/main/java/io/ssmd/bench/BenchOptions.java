package io.ssmd.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Settings of one {@link CaptureBenchmark} run. Invalid values are collected and reported together.
 *
 * @param venue simulated venue that generates the frames: {@code kalshi} (default; its generator
 *     is the fastest, see docs/benchmarks.md) or {@code kraken}
 * @param markets markets subscribed (default 400, two Kalshi connections of 200)
 * @param warmup time each phase runs before its measuring window (default 3 s)
 * @param window measuring window of each phase (default 10 s)
 * @param rate paced rate in msg/s of the latency phase and the RSS phase (default 10 000)
 * @param saturationRate generator rate asked of the simulator in the throughput phases, far above
 *     what one machine captures, so the capture path is the bottleneck (default 1 000 000)
 * @param sampleFrames simulator frames journaled and replayed by the raw jnats baseline (default 100 000)
 * @param inFlight publishes awaiting acknowledgement in the raw baseline and in {@code NatsTransport}
 *     (default 1024, {@code NatsTransportOptions.defaults})
 * @param childHeap {@code -Xmx} of the separate connector process (default 256m)
 * @param repoRoot the repository checkout (finds {@code exchanges/feeds} and {@code ssmd-cli/target})
 * @param rss whether to run the separate-process RSS phase (default true)
 */
public record BenchOptions(
    String venue,
    int markets,
    Duration warmup,
    Duration window,
    int rate,
    int saturationRate,
    int sampleFrames,
    int inFlight,
    String childHeap,
    Path repoRoot,
    boolean rss) {

  public static final String USAGE =
      """
      usage: CaptureBenchmark [--quick] [--seconds N] [--warmup N] [--rate MSG_PER_S] [--venue kalshi|kraken]
                              [--markets N] [--in-flight N] [--child-heap 256m] [--repo DIR] [--no-rss]
        --quick       short run (1 s warm-up, 3 s windows, 100 markets): completes in well under a minute
        --seconds N   measuring window of each phase (default 10)
        --warmup N    warm-up before each window (default 3)
        --rate N      paced rate of the latency and RSS phases, msg/s (default 10000)
        --venue V     simulated venue generating the frames (default kalshi)
        --markets N   markets subscribed (default 400)
        --in-flight N unacknowledged publishes, raw baseline and NatsTransport alike (default 1024)
        --child-heap  -Xmx of the separate connector process (default 256m)
        --repo DIR    repository root (default: found from the working directory)
        --no-rss      skip the separate-process RSS phase""";

  public BenchOptions {
    List<String> problems = new ArrayList<>();
    if (!"kalshi".equals(venue) && !"kraken".equals(venue)) {
      problems.add("--venue must be kalshi or kraken, got " + venue);
    }
    if (markets < 1 || markets > 1000) {
      problems.add("--markets must be 1..1000 (the Kalshi simulator's universe), got " + markets);
    }
    if (warmup == null || warmup.isNegative()) {
      problems.add("--warmup must be >= 0 seconds, got " + warmup);
    }
    if (window == null || window.isNegative() || window.isZero()) {
      problems.add("--seconds must be > 0, got " + window);
    }
    if (rate < 1) {
      problems.add("--rate must be >= 1 msg/s, got " + rate);
    }
    if (saturationRate < rate) {
      problems.add("saturationRate must be >= --rate (" + rate + "), got " + saturationRate);
    }
    if (sampleFrames < 1000) {
      problems.add("sampleFrames must be >= 1000, got " + sampleFrames);
    }
    if (inFlight < 1) {
      problems.add("--in-flight must be >= 1, got " + inFlight);
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
  }

  /** The full run: 3 s warm-up and 10 s window per phase, 400 markets, latency and RSS at 10k msg/s. */
  public static BenchOptions defaults() {
    return new BenchOptions(
        "kalshi", 400, Duration.ofSeconds(3), Duration.ofSeconds(10), 10_000, 1_000_000, 100_000, 1024, "256m",
        findRepoRoot(Path.of("").toAbsolutePath()), true);
  }

  /** A short run for smoke tests and a first look: 1 s warm-up, 3 s windows, 100 markets. */
  public static BenchOptions quick() {
    return defaults().withTimes(Duration.ofSeconds(1), Duration.ofSeconds(3)).withMarkets(100).withSampleFrames(30_000);
  }

  public BenchOptions withTimes(Duration warm, Duration measure) {
    return new BenchOptions(venue, markets, warm, measure, rate, saturationRate, sampleFrames, inFlight, childHeap, repoRoot, rss);
  }

  public BenchOptions withMarkets(int n) {
    return new BenchOptions(venue, n, warmup, window, rate, saturationRate, sampleFrames, inFlight, childHeap, repoRoot, rss);
  }

  public BenchOptions withRate(int r) {
    return new BenchOptions(venue, markets, warmup, window, r, Math.max(saturationRate, r), sampleFrames, inFlight, childHeap, repoRoot, rss);
  }

  public BenchOptions withSampleFrames(int n) {
    return new BenchOptions(venue, markets, warmup, window, rate, saturationRate, n, inFlight, childHeap, repoRoot, rss);
  }

  public BenchOptions withRss(boolean on) {
    return new BenchOptions(venue, markets, warmup, window, rate, saturationRate, sampleFrames, inFlight, childHeap, repoRoot, on);
  }

  /** Parses the command line; {@link IllegalArgumentException} names what is wrong. */
  public static BenchOptions parse(String... args) {
    BenchOptions o = defaults();
    for (String a : args) {
      if (a.equals("--quick")) {
        o = quick();
      }
    }
    String venue = o.venue;
    int markets = o.markets;
    Duration warm = o.warmup;
    Duration window = o.window;
    int rate = o.rate;
    int inFlight = o.inFlight;
    String heap = o.childHeap;
    Path repo = o.repoRoot;
    boolean rss = o.rss;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> { }
        case "--no-rss" -> rss = false;
        case "--seconds" -> window = Duration.ofSeconds(Args.intArg(args, ++i, a));
        case "--warmup" -> warm = Duration.ofSeconds(Args.intArg(args, ++i, a));
        case "--rate" -> rate = Args.intArg(args, ++i, a);
        case "--markets" -> markets = Args.intArg(args, ++i, a);
        case "--in-flight" -> inFlight = Args.intArg(args, ++i, a);
        case "--venue" -> venue = Args.arg(args, ++i, a).toLowerCase(Locale.ROOT);
        case "--child-heap" -> heap = Args.arg(args, ++i, a);
        case "--repo" -> repo = Path.of(Args.arg(args, ++i, a)).toAbsolutePath().normalize();
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    return new BenchOptions(
        venue, markets, warm, window, rate, Math.max(o.saturationRate, rate), o.sampleFrames, inFlight, heap, repo, rss);
  }



  /** The nearest directory at or above {@code start} holding {@code exchanges/feeds}; null if none. */
  static Path findRepoRoot(Path start) {
    for (Path p = start; p != null; p = p.getParent()) {
      if (p.resolve("exchanges").resolve("feeds").toFile().isDirectory()) {
        return p;
      }
    }
    return null;
  }
}
