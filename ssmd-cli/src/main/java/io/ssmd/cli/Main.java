package io.ssmd.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code ssmd} command. */
@Command(
    name = "ssmd",
    mixinStandardHelpOptions = true,
    version = "ssmd 0.1.0",
    description = "Market-data capture, archive and operations platform.")
public final class Main implements Runnable {

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
