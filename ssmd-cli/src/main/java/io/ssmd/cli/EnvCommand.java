package io.ssmd.cli;

import io.ssmd.config.ConfigLoader;
import io.ssmd.config.EnvironmentRenderer;
import io.ssmd.config.EnvironmentTemplates;
import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.config.SecretResolver;
import io.ssmd.config.TransportType;
import io.ssmd.transport.nats.ApplyResult;
import io.ssmd.transport.nats.StreamAdmin;
import io.ssmd.transport.nats.StreamSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ssmd env create|validate|show|apply}. */
@Command(
    name = "env",
    description = "Create, validate, show and apply environments (exchanges/environments/<env>.yaml).",
    mixinStandardHelpOptions = true,
    subcommands = {EnvCommand.Create.class, EnvCommand.Validate.class, EnvCommand.Show.class, EnvCommand.Apply.class})
final class EnvCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Resolves {@code kalshi-prod} to exchanges/environments/kalshi-prod.yaml; a path is used as is. */
  static Path envFile(String envOrFile) {
    Path p = Path.of(envOrFile);
    if (envOrFile.endsWith(".yaml") || envOrFile.endsWith(".yml") || envOrFile.contains("/")) {
      return p;
    }
    return Path.of("exchanges", "environments", envOrFile + ".yaml");
  }

  static ResolvedEnvironment load(String envOrFile, Path feedsDir) {
    Path file = envFile(envOrFile);
    return feedsDir == null ? ConfigLoader.loadEnvironment(file) : ConfigLoader.loadEnvironment(file, feedsDir);
  }

  @Command(name = "create", description = "Write a new environment file for a feed (prints it with --stdout).", mixinStandardHelpOptions = true)
  static final class Create implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ENV", description = "Environment name, e.g. kraken-staging.")
    String name;

    @Option(names = "--feed", required = true, description = "Feed name (exchanges/feeds/<feed>.yaml).")
    String feed;

    @Option(names = "--feeds-dir", defaultValue = "exchanges/feeds", description = "Directory of feed files (default: ${DEFAULT-VALUE}).")
    Path feedsDir;

    @Option(names = "--output", description = "File to write (default: exchanges/environments/<ENV>.yaml).")
    Path output;

    @Option(names = "--stdout", description = "Print instead of writing a file.")
    boolean stdout;

    @Option(names = "--force", description = "Overwrite an existing file.")
    boolean force;

    @Override
    public Integer call() throws IOException {
      String yaml = EnvironmentTemplates.create(name, feed, feedsDir);
      if (stdout) {
        System.out.print(yaml);
        return Main.EXIT_OK;
      }
      Path out = output != null ? output : Path.of("exchanges", "environments", name + ".yaml");
      if (Files.exists(out) && !force) {
        throw new UsageException(out + " already exists (use --force to overwrite)");
      }
      if (out.toAbsolutePath().getParent() != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
      }
      Files.writeString(out, yaml);
      System.out.println("created " + out + " (edit it, then: ssmd env validate " + out + ")");
      return Main.EXIT_OK;
    }
  }

  @Command(name = "validate", description = "Check an environment and its feed strictly; exit 2 with every problem when invalid.", mixinStandardHelpOptions = true)
  static final class Validate implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ENV", description = "Environment name or file.")
    String env;

    @Option(names = "--feeds-dir", description = "Directory of feed files (default: ../feeds beside the environment).")
    Path feedsDir;

    @Option(names = "--secrets", description = "Also resolve the referenced secrets (values are never printed).")
    boolean secrets;

    @Override
    public Integer call() {
      ResolvedEnvironment r = load(env, feedsDir);
      if (secrets) {
        int n = SecretResolver.system().resolveAll(r.environment()).size();
        System.out.println("secrets: " + n + " key(s) resolved");
      }
      System.out.printf(
          "ok: %s (feed %s %s, endpoint %s, transport %s, stream %s, subjects %s.%s.>)%n",
          r.environmentFile(), r.feedName(), r.version().version(), r.endpoint(),
          r.environment().transport().type().configName(), r.streamName(), r.subjectPrefix(), r.feedName());
      return Main.EXIT_OK;
    }
  }

  @Command(name = "show", description = "Print the effective environment (defaults applied, secrets as references).", mixinStandardHelpOptions = true)
  static final class Show implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ENV", description = "Environment name or file.")
    String env;

    @Option(names = "--feeds-dir", description = "Directory of feed files (default: ../feeds beside the environment).")
    Path feedsDir;

    @Override
    public Integer call() {
      System.out.print(EnvironmentRenderer.show(load(env, feedsDir)));
      return Main.EXIT_OK;
    }
  }

  @Command(
      name = "apply",
      description = {"Create or update what the environment needs: the feed's JetStream stream {PREFIX}_{FEED}, the",
          "{PREFIX}_SECMASTER (change events) and {PREFIX}_SIGNALS streams, S3 buckets; idempotent, prints each change."},
      mixinStandardHelpOptions = true)
  static final class Apply implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ENV", description = "Environment name or file.")
    String env;

    @Option(names = "--feeds-dir", description = "Directory of feed files (default: ../feeds beside the environment).")
    Path feedsDir;

    @Option(names = "--dry-run", description = "Print the plan and change nothing.")
    boolean dryRun;

    @Option(names = "--nats-url", description = "Override transport.url (e.g. a port-forwarded server).")
    String natsUrl;

    @Override
    public Integer call() {
      ResolvedEnvironment r = load(env, feedsDir);
      boolean ok = true;
      if (r.environment().transport().type() == TransportType.MEMORY) {
        System.out.println(r.name() + ": transport is memory; no stream to apply");
      } else {
        List<StreamSpec> specs = new java.util.ArrayList<>();
        specs.add(Transports.streamSpec(r));
        specs.addAll(Transports.sharedStreamSpecs(r));
        String url = natsUrl != null ? natsUrl : r.environment().transport().url().toString();
        try (StreamAdmin admin = StreamAdmin.connect(url)) {
          for (StreamSpec spec : specs) {
            ApplyResult result = admin.apply(spec, dryRun);
            System.out.println(result.summary());
            ok &= result.ok();
          }
        }
      }
      if (!Storage.local(r)) {
        for (boolean raw : new boolean[] {true, false}) {
          try (io.ssmd.storage.S3ObjectStore store = Storage.s3(r, SecretResolver.system(), raw)) {
            String what = "bucket " + (raw ? r.environment().storage().buckets().raw() : r.environment().storage().buckets().normalized());
            if (dryRun) {
              System.out.println(what + ": " + (store.bucketExists() ? "unchanged" : "would create"));
            } else {
              System.out.println(what + ": " + (store.ensureBucket() ? "created" : "unchanged"));
            }
          }
        }
      }
      return ok ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }
  }
}
