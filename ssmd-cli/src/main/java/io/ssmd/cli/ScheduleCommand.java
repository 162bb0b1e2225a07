package io.ssmd.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ssmd schedule}: Schedules as code: list, seed, describe, trigger (being built). */
@Command(name = "schedule", description = "Schedules as code: list, seed, describe, trigger", mixinStandardHelpOptions = true)
final class ScheduleCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UsageException("ssmd schedule is not available in this build yet");
  }
}
