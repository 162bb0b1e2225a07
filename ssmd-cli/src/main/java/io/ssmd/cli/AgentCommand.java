package io.ssmd.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ssmd agent}: Signal agent tools: backtest (being built). */
@Command(name = "agent", description = "Signal agent tools: backtest", mixinStandardHelpOptions = true)
final class AgentCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UsageException("ssmd agent is not available in this build yet");
  }
}
