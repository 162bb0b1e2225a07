package io.ssmd.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ssmd day}: Trading-day workflows: start, end, status (being built). */
@Command(name = "day", description = "Trading-day workflows: start, end, status", mixinStandardHelpOptions = true)
final class DayCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UsageException("ssmd day is not available in this build yet");
  }
}
