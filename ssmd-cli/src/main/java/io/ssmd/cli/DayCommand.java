package io.ssmd.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ssmd.config.ConfigLoader;
import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.worker.DayClient;
import io.ssmd.worker.WorkerSettings;
import io.ssmd.worker.workflows.DayEndWorkflow;
import io.ssmd.worker.workflows.DayInput;
import io.ssmd.worker.workflows.DayResult;
import io.ssmd.worker.workflows.DayStartWorkflow;
import io.ssmd.worker.workflows.DayStep;
import io.ssmd.worker.workflows.FeedQuality;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ssmd day start|end|status <env>}: the trading-day workflows on the worker's Temporal
 * ({@code TEMPORAL_ADDRESS}). A day's workflows have fixed ids ({@code ssmd-day-start-<env>-<date>}),
 * so starting one that is running attaches to it and {@code status} finds them.
 */
@Command(
    name = "day",
    description = "Trading-day workflows on the worker's Temporal (TEMPORAL_ADDRESS): start, end, status.",
    mixinStandardHelpOptions = true,
    subcommands = {DayCommand.Start.class, DayCommand.End.class, DayCommand.Status.class})
final class DayCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Environment, day and where Temporal is. */
  static final class Target {
    @Parameters(index = "0", paramLabel = "ENV", description = "Environment name (resolved by the worker under its SSMD_CONFIG_DIR).")
    String env;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Trading day (default: today in the environment's schedule.timezone).")
    String date;

    /** The day: --date, else today in the environment's timezone read from the local config directory. */
    String day() {
      if (date != null) {
        try {
          return LocalDate.parse(date).toString();
        } catch (DateTimeParseException e) {
          throw new UsageException("--date must be YYYY-MM-DD, got '" + date + "'");
        }
      }
      Path dir = Path.of(System.getenv().getOrDefault(WorkerSettings.SSMD_CONFIG_DIR, "exchanges"));
      Path file = dir.resolve("environments").resolve(env + ".yaml");
      if (!Files.isRegularFile(file)) {
        throw new UsageException("cannot tell today's date for " + env + ": no " + file + " here (set SSMD_CONFIG_DIR or pass --date)");
      }
      ResolvedEnvironment r = ConfigLoader.loadEnvironment(file);
      ZoneId zone = r.environment().schedule().timezone() == null ? ZoneOffset.UTC : r.environment().schedule().timezone();
      return LocalDate.now(zone).toString();
    }

    DayClient connect() {
      String address = System.getenv(WorkerSettings.TEMPORAL_ADDRESS);
      if (address == null || address.isBlank()) {
        throw new UsageException("ssmd day talks to a running worker's Temporal: set TEMPORAL_ADDRESS (a worker or ssmd up"
            + " without it serves an embedded server on 127.0.0.1:" + WorkerSettings.DEFAULT_EMBEDDED_PORT
            + ", so TEMPORAL_ADDRESS=127.0.0.1:" + WorkerSettings.DEFAULT_EMBEDDED_PORT + ")");
      }
      String ns = System.getenv().getOrDefault(WorkerSettings.TEMPORAL_NAMESPACE, WorkerSettings.DEFAULT_NAMESPACE);
      String queue = System.getenv().getOrDefault(WorkerSettings.TEMPORAL_TASK_QUEUE, WorkerSettings.DEFAULT_TASK_QUEUE);
      return DayClient.connect(address.strip(), ns, queue);
    }
  }

  /** Options of start and end. */
  abstract static class Trigger implements Callable<Integer> {
    @picocli.CommandLine.Mixin Target target;

    @Option(names = "--no-wait", description = "Start (or find running) and return without waiting for the result.")
    boolean noWait;

    @Option(names = "--timeout", defaultValue = "30m", description = "How long to wait for the result (default: ${DEFAULT-VALUE}).")
    String timeout;

    abstract String type();

    @Override
    public Integer call() {
      Duration wait = io.ssmd.config.Durations.parse(timeout);
      String day = target.day();
      try (DayClient days = target.connect()) {
        DayClient.Started s = days.start(type(), new DayInput(target.env, day));
        System.out.println((s.attached() ? "attached to running " : "started ") + type() + " " + s.workflowId());
        if (noWait) {
          return Main.EXIT_OK;
        }
        DayResult r;
        try {
          r = days.await(s.workflowId(), wait);
        } catch (TimeoutException e) {
          System.err.println("ssmd: " + s.workflowId() + " still running after " + timeout + "; see ssmd day status " + target.env
              + " --date " + day);
          return Main.EXIT_FAILURE;
        }
        print(r);
        return r.ok() ? Main.EXIT_OK : Main.EXIT_FAILURE;
      }
    }
  }

  @Command(name = "start", description = "DayStart: apply streams and schema, sync the security master, wait until components are ready, notify.",
      mixinStandardHelpOptions = true)
  static final class Start extends Trigger {
    @Override
    String type() {
      return DayStartWorkflow.TYPE;
    }
  }

  @Command(name = "end", description = "DayEnd: verify the archive against its manifest, upload, export Parquet, data quality, notify.",
      mixinStandardHelpOptions = true)
  static final class End extends Trigger {
    @Override
    String type() {
      return DayEndWorkflow.TYPE;
    }
  }

  @Command(name = "status", description = "The day's workflows (when, result), its data-quality report and the components' health; exit 1 when something failed.",
      mixinStandardHelpOptions = true)
  static final class Status implements Callable<Integer> {
    @picocli.CommandLine.Mixin Target target;

    @Option(names = "--json", description = "One JSON object.")
    boolean json;

    @Option(names = "--database-url", description = "The worker's PostgreSQL (default: $DATABASE_URL): the stored quality report "
        + "when the server no longer has the day's DataQuality workflow (the embedded server forgets on restart).")
    String databaseUrl;

    @Override
    public Integer call() throws Exception {
      String day = target.day();
      List<WorkerSettings.ReadyUrl> components;
      try {
        components = WorkerSettings.readyUrlsFromEnv(System::getenv);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      try (DayClient days = target.connect()) {
        DayClient.DayStatus st = days.status(target.env, day, components);
        String db = databaseUrl != null ? databaseUrl : System.getenv(WorkerSettings.DATABASE_URL);
        if (st.quality() == null && db != null && !db.isBlank()) {
          var stored = DayClient.storedQuality(db, target.env, day);
          if (stored.isPresent()) {
            st = new DayClient.DayStatus(st.env(), st.date(), st.runs(), stored.get(), st.components());
          }
        }
        if (json) {
          System.out.println(new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).writeValueAsString(st));
        } else {
          System.out.printf("%s %s%n", st.env(), st.date());
          System.out.printf("%-14s %-12s %-25s %-25s %s%n", "WORKFLOW", "STATUS", "STARTED", "CLOSED", "RESULT");
          for (DayClient.Run r : st.runs()) {
            System.out.printf("%-14s %-12s %-25s %-25s %s%n", r.type(), r.status(), r.startedAt() == null ? "-" : r.startedAt(),
                r.closedAt() == null ? "-" : r.closedAt(), r.summary());
          }
          if (st.quality() != null) {
            System.out.println("quality " + st.quality().grade() + " (checked " + st.quality().checkedAt() + ")");
            for (FeedQuality f : st.quality().feeds()) {
              System.out.printf("  %-12s %-6s %d files, %d records (trailing mean %d), %d gaps%s%n", f.feed(), f.grade(), f.files(),
                  f.records(), f.trailingMeanRecords(), f.gaps(), f.reasons().isEmpty() ? "" : ": " + String.join("; ", f.reasons()));
            }
          }
          for (DayClient.Component c : st.components()) {
            System.out.printf("component %-12s %-6s %s%s%n", c.name(), c.ready() ? "ready" : "NOT", c.url(), c.ready() ? "" : " " + c.reason());
          }
        }
        return st.failed() ? Main.EXIT_FAILURE : Main.EXIT_OK;
      }
    }
  }

  static void print(DayResult r) {
    System.out.println(r.env() + " " + r.date() + ": " + (r.ok() ? "ok" : "FAILED"));
    for (DayStep s : r.steps()) {
      System.out.printf("  %-10s %-8s %s%n", s.name(), s.status(), s.detail());
    }
  }
}
