package io.ssmd.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ssmd run worker}: Temporal worker for the operations workflows (being built). */
@Command(name = "worker", description = "Temporal worker for the operations workflows", mixinStandardHelpOptions = true)
final class RunWorker implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UsageException("ssmd run worker is not available in this build yet");
  }
}
