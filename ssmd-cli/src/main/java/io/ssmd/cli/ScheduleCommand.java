package io.ssmd.cli;

import ch.qos.logback.classic.Level;
import io.ssmd.worker.schedule.InputTypes;
import io.ssmd.worker.schedule.SchedulePlan;
import io.ssmd.worker.schedule.ScheduleDefinition;
import io.ssmd.worker.schedule.ScheduleFile;
import io.ssmd.worker.schedule.ScheduleSeeder;
import io.ssmd.worker.schedule.ScheduleSpec;
import io.ssmd.worker.schedule.ScheduleStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ssmd schedule list|seed|describe|trigger}: schedules as code. The file is the truth; {@code
 * seed} reconciles a Temporal server with it (Schedules API, or runner workflows on the embedded
 * test server).
 */
@Command(
    name = "schedule",
    description = "Schedules as code: list, seed, describe, trigger.",
    mixinStandardHelpOptions = true,
    subcommands = {ScheduleCommand.ListSchedules.class, ScheduleCommand.Seed.class, ScheduleCommand.Describe.class,
        ScheduleCommand.Trigger.class})
final class ScheduleCommand implements Runnable {
  static final String DEFAULT_FILE = "exchanges/schedules/default.yaml";

  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The schedule file option. */
  static final class FileOption {
    @Option(names = "--file", paramLabel = "FILE", defaultValue = DEFAULT_FILE,
        description = "Schedule file (default: ${DEFAULT-VALUE}).")
    Path file;

    List<ScheduleDefinition> load() {
      return ScheduleFile.load(file, InputTypes.catalog());
    }
  }

  /** How a spec reads in a table: {@code every 6h/15m}, {@code cron 0 5 * * 1-5 America/New_York}, {@code day_start 00:10 America/New_York}. */
  static String display(ScheduleSpec s) {
    return switch (s) {
      case ScheduleSpec.Daily d -> (d.label() == null ? "daily" : d.label()) + " " + d.time() + " " + d.zone().getId();
      default -> s.encode();
    };
  }

  static String utc(Instant t) {
    return UTC.format(t);
  }

  /** The Temporal SDK and the store log at INFO; the printed plan already says what happens. */
  static void quietLogs(CommandSpec spec) {
    boolean verbose = false;
    for (CommandSpec s = spec; s != null; s = s.parent()) {
      verbose |= s.commandLine().getParseResult() != null && s.commandLine().getParseResult().hasMatchedOption("--verbose");
    }
    if (!verbose && LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
      ctx.getLogger("io.temporal").setLevel(Level.WARN);
      ctx.getLogger("io.grpc").setLevel(Level.WARN);
      ctx.getLogger("io.ssmd.worker.schedule").setLevel(Level.WARN);
    }
  }

  private static ScheduleDefinition find(List<ScheduleDefinition> defs, String id) {
    return defs.stream().filter(d -> d.id().equals(id)).findFirst().orElse(null);
  }

  private static String ids(List<ScheduleDefinition> defs) {
    return defs.stream().map(ScheduleDefinition::id).collect(Collectors.joining(", "));
  }

  @Command(name = "list", description = "Schedules of the file with their next fire time (no server needed).", mixinStandardHelpOptions = true)
  static final class ListSchedules implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FileOption file;

    @Override
    public Integer call() {
      List<ScheduleDefinition> defs = file.load();
      Instant now = Instant.now();
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ID", "WORKFLOW", "SPEC", "NEXT FIRE", "PAUSED"});
      for (ScheduleDefinition d : defs) {
        rows.add(new String[] {d.id(), d.workflow(), display(d.spec()), d.paused() ? "-" : utc(d.spec().nextAfter(now)),
            d.paused() ? "yes" : "no"});
      }
      PrintWriter out = spec.commandLine().getOut();
      printTable(out, rows);
      out.flush();
      return Main.EXIT_OK;
    }
  }

  static void printTable(PrintWriter out, List<String[]> rows) {
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        sb.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
      }
      out.println(sb.toString().stripTrailing());
    }
  }

  @Command(name = "seed", description = "Reconcile the server with the file: create missing, update drifted (spec, input, paused), "
      + "delete removed with --prune; prints the plan. Safe to run any number of times.", mixinStandardHelpOptions = true)
  static final class Seed implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FileOption file;
    @Mixin ScheduleTemporal.Options temporal;

    @Option(names = "--prune", description = "Delete schedules this seeder created that are no longer in the file.")
    boolean prune;

    @Option(names = "--dry-run", description = "Print the plan, change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
      List<ScheduleDefinition> defs = file.load();
      quietLogs(spec);
      PrintWriter out = spec.commandLine().getOut();
      try (ScheduleTemporal t = ScheduleTemporal.connect(temporal)) {
        ScheduleSeeder seeder = new ScheduleSeeder(t.store);
        SchedulePlan plan = seeder.plan(defs, prune);
        out.println((dryRun ? "plan for " : "seeding ") + defs.size() + " schedules from " + file.file + " into " + t.describe());
        if (!plan.actions().isEmpty()) {
          out.println(plan.render());
        }
        if (dryRun) {
          out.println("dry run: nothing changed");
        } else {
          seeder.apply(plan);
          out.println(summary(plan));
        }
        out.flush();
      }
      return Main.EXIT_OK;
    }

    static String summary(SchedulePlan plan) {
      long created = plan.actions().stream().filter(a -> a instanceof SchedulePlan.Create).count();
      long updated = plan.actions().stream().filter(a -> a instanceof SchedulePlan.Update).count();
      long deleted = plan.actions().stream().filter(a -> a instanceof SchedulePlan.Delete).count();
      long unchanged = plan.actions().stream().filter(a -> a instanceof SchedulePlan.Unchanged).count();
      long kept = plan.actions().stream().filter(a -> a instanceof SchedulePlan.Kept).count();
      return created + " created, " + updated + " updated, " + deleted + " deleted, " + unchanged + " unchanged, " + kept + " kept";
    }
  }

  @Command(name = "describe", description = "One schedule: its definition and next fire times from the file, and the server's "
      + "view when TEMPORAL_ADDRESS or --address is given.", mixinStandardHelpOptions = true)
  static final class Describe implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin FileOption file;
    @Mixin ScheduleTemporal.Options temporal;

    @Parameters(index = "0", paramLabel = "ID", description = "Schedule id.")
    String id;

    @Override
    public Integer call() {
      List<ScheduleDefinition> defs = file.load();
      ScheduleDefinition d = find(defs, id);
      PrintWriter out = spec.commandLine().getOut();
      if (d == null && !temporal.configured()) {
        throw new IllegalArgumentException("no schedule \"" + id + "\" in " + file.file + " (ids: " + ids(defs) + ")");
      }
      if (d != null) {
        out.println("id:        " + d.id());
        out.println("workflow:  " + d.workflow());
        out.println("spec:      " + display(d.spec()));
        out.println("input:     " + d.inputJson());
        out.println("paused:    " + (d.paused() ? "yes" : "no"));
        List<String> next = new ArrayList<>();
        Instant t = Instant.now();
        for (int i = 0; i < 5; i++) {
          t = d.spec().nextAfter(t);
          next.add(utc(t));
        }
        out.println("next:      " + String.join(", ", next));
      }
      if (temporal.configured()) {
        quietLogs(spec);
        try (ScheduleTemporal t = ScheduleTemporal.connect(temporal)) {
          Optional<ScheduleStore.Status> s = t.store.describe(id);
          if (s.isEmpty() && d == null) {
            throw new IllegalArgumentException("no schedule \"" + id + "\" in " + file.file + " (ids: " + ids(defs)
                + ") nor on " + t.describe());
          }
          out.println("server:    " + t.describe());
          if (s.isEmpty()) {
            out.println("           not on the server: run ssmd schedule seed");
          } else {
            var e = s.get().schedule();
            out.println("           " + e.workflow() + " " + e.spec() + " input " + e.inputJson() + (e.paused() ? " paused" : "")
                + (e.managed() ? "" : " (not managed by ssmd)"));
            if (!s.get().nextFires().isEmpty()) {
              out.println("           next: " + s.get().nextFires().stream().map(ScheduleCommand::utc).collect(Collectors.joining(", ")));
            }
            if (!s.get().recentFires().isEmpty()) {
              out.println("           recent: " + s.get().recentFires().stream().map(ScheduleCommand::utc).collect(Collectors.joining(", ")));
            }
            if (!s.get().note().isEmpty()) {
              out.println("           " + s.get().note());
            }
            if (d != null) {
              var plan = io.ssmd.worker.schedule.ReconcilePlanner.plan(List.of(d), List.of(e), false);
              out.println("           " + (plan.isNoop() ? "in sync with the file" : plan.render()));
            }
          }
        }
      }
      out.flush();
      return Main.EXIT_OK;
    }
  }

  @Command(name = "trigger", description = "Run a schedule's action now (paused or not) on the server.", mixinStandardHelpOptions = true)
  static final class Trigger implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ScheduleTemporal.Options temporal;

    @Parameters(index = "0", paramLabel = "ID", description = "Schedule id, as seeded.")
    String id;

    @Override
    public Integer call() {
      quietLogs(spec);
      try (ScheduleTemporal t = ScheduleTemporal.connect(temporal)) {
        t.store.trigger(id);
        PrintWriter out = spec.commandLine().getOut();
        out.println("triggered " + id + " on " + t.describe());
        out.flush();
      }
      return Main.EXIT_OK;
    }
  }
}
