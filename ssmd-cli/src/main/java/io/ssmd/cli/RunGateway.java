package io.ssmd.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ssmd run gateway}: WebSocket gateway for clients (being built). */
@Command(name = "gateway", description = "WebSocket gateway for clients", mixinStandardHelpOptions = true)
final class RunGateway implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UsageException("ssmd run gateway is not available in this build yet");
  }
}
