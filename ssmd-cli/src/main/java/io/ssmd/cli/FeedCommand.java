package io.ssmd.cli;

import io.ssmd.config.ConfigLoader;
import io.ssmd.config.FeedConfig;
import io.ssmd.config.FeedLimits;
import io.ssmd.config.FeedVersion;
import io.ssmd.config.ShardConfig;
import io.ssmd.connector.Routed;
import io.ssmd.connector.SessionContext;
import io.ssmd.connector.VenueSession;
import io.ssmd.transport.Subjects;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ssmd feed list|show|route}. */
@Command(
    name = "feed",
    description = "Inspect feeds (exchanges/feeds/<feed>.yaml) and how their frames are routed.",
    mixinStandardHelpOptions = true,
    subcommands = {FeedCommand.ListFeeds.class, FeedCommand.Show.class, FeedCommand.Route.class})
final class FeedCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "list", description = "List the feeds with their versions and endpoints.", mixinStandardHelpOptions = true)
  static final class ListFeeds implements Callable<Integer> {
    @Option(names = "--feeds-dir", defaultValue = "exchanges/feeds", description = "Directory of feed files (default: ${DEFAULT-VALUE}).")
    Path feedsDir;

    @Override
    public Integer call() throws IOException {
      if (!Files.isDirectory(feedsDir)) {
        throw new UsageException(feedsDir + ": no such directory (run from the repository root or pass --feeds-dir)");
      }
      try (Stream<Path> files = Files.list(feedsDir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
          FeedConfig feed = ConfigLoader.loadFeed(f);
          FeedVersion v = feed.latestVersion();
          System.out.printf("%-12s %-10s %-4s %s%n", feed.name(), feed.feedType().configName(), v.version(), v.endpoint());
        }
      }
      return Main.EXIT_OK;
    }
  }

  @Command(name = "show", description = "Show one feed: versions, endpoints, limits.", mixinStandardHelpOptions = true)
  static final class Show implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FEED", description = "Feed name or file.")
    String feed;

    @Option(names = "--feeds-dir", defaultValue = "exchanges/feeds", description = "Directory of feed files (default: ${DEFAULT-VALUE}).")
    Path feedsDir;

    @Override
    public Integer call() {
      FeedConfig f = ConfigLoader.loadFeed(feedFile(feed, feedsDir));
      System.out.println("name: " + f.name() + (f.displayName() == null ? "" : " (" + f.displayName() + ")"));
      System.out.println("feed_type: " + f.feedType().configName());
      for (FeedVersion v : f.versions()) {
        System.out.println("version " + v.version() + ": " + v.endpoint() + v.rest().map(r -> "  rest " + r).orElse(""));
      }
      FeedLimits l = f.limits();
      System.out.printf(
          "limits: markets_per_connection %d, client_ping_interval %s, pong_timeout %s, no_data_timeout %s, max_frame_bytes %d, subscribe_batch %d, subscribe_pace %s%n",
          l.marketsPerConnection(), l.clientPingInterval(), l.pongTimeout(), l.noDataTimeout(), l.maxFrameBytes(),
          l.subscribeBatch(), l.subscribePace());
      return Main.EXIT_OK;
    }
  }

  @Command(
      name = "route",
      description = {
        "Read raw venue frames from stdin, one per line, and print the subject each would be published on,",
        "or why it is not published (control traffic, malformed, unknown type)."
      },
      mixinStandardHelpOptions = true)
  static final class Route implements Callable<Integer> {
    @Option(names = "--feed", required = true, description = "kalshi, kraken or polymarket.")
    String feed;

    @Option(names = "--env", defaultValue = "prod", description = "Subject prefix (first subject token; default: ${DEFAULT-VALUE}).")
    String env;

    @Override
    public Integer call() throws IOException {
      if (!Capture.FEEDS.contains(feed)) {
        throw new UsageException("--feed must be one of kalshi, kraken, polymarket, got '" + feed + "'");
      }
      Capture c = new Capture(env, feed, URI.create("ws://localhost/"), FeedLimits.DEFAULTS, List.of(), List.of(), null, ShardConfig.DEFAULTS);
      VenueSession session = c.venue().open(SessionContext.offline());
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      int published = 0;
      int other = 0;
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        for (Routed r : session.onFrame(line.getBytes(StandardCharsets.UTF_8))) {
          switch (r) {
            case Routed.Publish p -> {
              published++;
              System.out.println(Subjects.subject(env, feed, p.type(), p.ticker()));
            }
            case Routed.Control k -> {
              other++;
              System.out.println("not published: control (" + k.kind() + ")");
            }
            case Routed.Rejected x -> {
              other++;
              System.out.println("not published: " + x.errorType() + " (" + x.detail() + ")");
            }
          }
        }
      }
      System.err.println(published + " published, " + other + " not published");
      return Main.EXIT_OK;
    }
  }

  static Path feedFile(String feedOrFile, Path feedsDir) {
    return feedOrFile.endsWith(".yaml") || feedOrFile.contains("/") ? Path.of(feedOrFile) : feedsDir.resolve(feedOrFile + ".yaml");
  }
}
