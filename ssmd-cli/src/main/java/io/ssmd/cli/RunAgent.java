package io.ssmd.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ssmd run agent}: Signal agent over the live stream (being built). */
@Command(name = "agent", description = "Signal agent over the live stream", mixinStandardHelpOptions = true)
final class RunAgent implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UsageException("ssmd run agent is not available in this build yet");
  }
}
