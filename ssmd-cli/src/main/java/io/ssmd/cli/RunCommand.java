package io.ssmd.cli;

import io.ssmd.config.ConfigLoader;
import io.ssmd.config.FeedConfig;
import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.config.SecretResolver;
import io.ssmd.observability.HealthServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ssmd run <component>}: the long-running deployables. */
@Command(
    name = "run",
    description = "Run a long-running component (serves /health, /ready, /metrics on --health-port).",
    mixinStandardHelpOptions = true,
    subcommands = {RunCommand.Connector.class, RunCommand.Archiver.class, RunGateway.class, RunWorker.class, RunAgent.class})
final class RunCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "connector",
      description = {"Capture a venue into the environment's transport (NATS JetStream in production); with",
          "subscriptions.follow_secmaster, add and drop markets as the security master's change events say."},
      mixinStandardHelpOptions = true)
  static final class Connector implements Callable<Integer> {
    @Option(names = "--env", required = true, description = "Environment file or name (exchanges/environments/<env>.yaml).")
    String env;

    @Option(names = "--feed", description = "Feed file (default: exchanges/feeds/<feed>.yaml beside the environments dir).")
    Path feed;

    @Option(names = "--health-port", defaultValue = "" + HealthServer.DEFAULT_PORT, description = "Port of /health, /ready, /metrics (default: ${DEFAULT-VALUE}).")
    int healthPort;

    @Option(names = "--shard-index", description = "Override subscriptions.shard.index (e.g. from the pod ordinal).")
    Integer shardIndex;

    @Option(names = "--shard-count", description = "Override subscriptions.shard.count.")
    Integer shardCount;

    @Override
    public Integer call() throws InterruptedException {
      ResolvedEnvironment r = resolve(env, feed);
      Capture capture = Capture.fromEnvironment(r, SecretResolver.system());
      if (shardIndex != null || shardCount != null) {
        int count = shardCount != null ? shardCount : capture.shard().count();
        int index = shardIndex != null ? shardIndex : capture.shard().index();
        if (index < 0 || index >= count) {
          throw new UsageException("--shard-index must be in 0.." + (count - 1) + ", got " + index);
        }
        capture = new Capture(capture.env(), capture.feed(), capture.endpoint(), capture.limits(), capture.channels(),
            capture.markets(), capture.credentials(), new io.ssmd.config.ShardConfig(index, count), capture.follow());
      }
      // opened before the connector so a missing {PREFIX}_SECMASTER stream fails start-up, not later
      io.ssmd.transport.Transport changes = capture.follow().enabled() ? Transports.openSecmaster(r) : null;
      CountDownLatch stopped = new CountDownLatch(1);
      CaptureRuntime runtime;
      try {
        runtime = new CaptureRuntime(List.of(capture), (c, l) -> Transports.open(r, l), healthPort);
      } catch (RuntimeException e) {
        if (changes != null) {
          changes.close();
        }
        throw e;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        runtime.close();
        if (changes != null) {
          changes.close();
        }
        stopped.countDown();
      }, "shutdown"));
      runtime.start();
      if (changes != null) {
        runtime.followSecmaster(changes);
      }
      stopped.await();
      return Main.EXIT_OK;
    }
  }

  @Command(
      name = "archiver",
      description = {"Persist the environment's JetStream stream to {root}/{feed}/{date}/{HHMM}.jsonl.gz with manifest.json,",
          "exactly once (durable consumer, ack after flush); uploads to the raw bucket when storage is s3."},
      mixinStandardHelpOptions = true)
  static final class Archiver implements Callable<Integer> {
    @Option(names = "--env", required = true, description = "Environment file or name (exchanges/environments/<env>.yaml).")
    String env;

    @Option(names = "--feed", description = "Feed file (default: exchanges/feeds/<feed>.yaml beside the environments dir).")
    Path feed;

    @Option(names = "--health-port", defaultValue = "" + HealthServer.DEFAULT_PORT, description = "Port of /health, /ready, /metrics (default: ${DEFAULT-VALUE}).")
    int healthPort;

    @Override
    public Integer call() throws InterruptedException {
      ResolvedEnvironment r = resolve(env, feed);
      var e = r.environment();
      if (e.transport().type() != io.ssmd.config.TransportType.NATS) {
        throw new UsageException(r.environmentFile() + ": the archiver reads a JetStream stream; transport.type is "
            + e.transport().type().configName() + " (ssmd up archives its memory transport itself)");
      }
      io.ssmd.storage.ObjectStore raw = Storage.local(r) ? null : Storage.s3(r, SecretResolver.system(), true);
      var a = e.archiver();
      io.ssmd.archiver.ArchiverOptions options = io.ssmd.archiver.ArchiverOptions
          .builder(e.transport().url().toString(), r.streamName(), r.subjectPrefix(), r.feedName(), e.archivePath())
          .durable(e.archiverConsumer())
          .filter(e.archiverFilter())
          .rotation(a.rotation())
          .batchSize(a.batch())
          .fsync(a.fsync() == io.ssmd.config.ArchiveFsync.BATCH
              ? io.ssmd.archiver.FsyncPolicy.BATCH : io.ssmd.archiver.FsyncPolicy.ROTATION)
          .raw(raw)
          .build();
      var registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
      io.ssmd.archiver.Archiver archiver = new io.ssmd.archiver.Archiver(options, registry);
      archiver.start();
      HealthServer health = HealthServer.start(healthPort, registry, archiver.readiness());
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        archiver.close();
        health.close();
        if (raw != null) {
          raw.close();
        }
        stopped.countDown();
      }, "shutdown"));
      stopped.await();
      return Main.EXIT_OK;
    }
  }

  /** Loads the environment; with {@code --feed FILE} the feed comes from that file's directory. */
  static ResolvedEnvironment resolve(String env, Path feedFile) {
    if (feedFile == null) {
      return EnvCommand.load(env, null);
    }
    FeedConfig feed = ConfigLoader.loadFeed(feedFile);
    ResolvedEnvironment r = ConfigLoader.loadEnvironment(EnvCommand.envFile(env), feedFile.toAbsolutePath().getParent());
    if (!r.feedName().equals(feed.name())) {
      throw new UsageException("--feed " + feedFile + " is feed '" + feed.name() + "' but " + r.environmentFile()
          + " names feed '" + r.feedName() + "'");
    }
    return r;
  }
}
