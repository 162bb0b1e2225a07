package io.ssmd.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of one {@link SecmasterBenchmark} run. Invalid values are collected and reported together.
 *
 * @param markets Kalshi markets in the simulator's REST universe (default 100 000; {@code --quick} 10 000)
 * @param childHeap {@code -Xmx} of the separate {@code ssmd secmaster sync} process (default 512m)
 * @param repoRoot the repository checkout (finds {@code exchanges/feeds} and {@code ssmd-cli/target})
 * @param rss whether to run the separate-process RSS phase (default true)
 */
public record SecmasterBenchOptions(int markets, String childHeap, Path repoRoot, boolean rss) {

  public static final String USAGE =
      """
      usage: SecmasterBenchmark [--quick] [--markets N] [--child-heap 512m] [--repo DIR] [--no-rss]
        --quick             10,000 markets instead of 100,000
        --markets N         Kalshi markets in the simulator's REST universe (default 100000)
        --child-heap        -Xmx of the separate 'ssmd secmaster sync' process (default 512m)
        --repo DIR          repository root (default: found from the working directory)
        --no-rss            skip the separate-process RSS phase""";

  public SecmasterBenchOptions {
    List<String> problems = new ArrayList<>();
    if (markets < 100 || markets > 10_000_000) {
      problems.add("--markets must be 100..10000000, got " + markets);
    }
    if (childHeap == null || !childHeap.matches("[0-9]+[kKmMgG]?")) {
      problems.add("--child-heap must look like 512m, got " + childHeap);
    }
    if (repoRoot == null) {
      problems.add("--repo is required when the working directory is not inside the repository");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** The full run: 100k markets. */
  public static SecmasterBenchOptions defaults() {
    return new SecmasterBenchOptions(100_000, "512m", BenchOptions.findRepoRoot(Path.of("").toAbsolutePath()), true);
  }

  /** A short run: 10k markets. */
  public static SecmasterBenchOptions quick() {
    return defaults().withMarkets(10_000);
  }

  public SecmasterBenchOptions withMarkets(int n) {
    return new SecmasterBenchOptions(n, childHeap, repoRoot, rss);
  }

  public SecmasterBenchOptions withRss(boolean on) {
    return new SecmasterBenchOptions(markets, childHeap, repoRoot, on);
  }

  /** Parses the command line; {@link IllegalArgumentException} names what is wrong. */
  public static SecmasterBenchOptions parse(String... args) {
    SecmasterBenchOptions o = List.of(args).contains("--quick") ? quick() : defaults();
    int markets = o.markets;
    String heap = o.childHeap;
    Path repo = o.repoRoot;
    boolean rss = o.rss;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> { }
        case "--no-rss" -> rss = false;
        case "--markets" -> markets = Args.intArg(args, ++i, a);
        case "--child-heap" -> heap = Args.arg(args, ++i, a);
        case "--repo" -> repo = Path.of(Args.arg(args, ++i, a)).toAbsolutePath().normalize();
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    return new SecmasterBenchOptions(markets, heap, repo, rss);
  }


}
