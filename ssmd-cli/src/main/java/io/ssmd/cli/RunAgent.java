package io.ssmd.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.agent.Agent;
import io.ssmd.agent.AgentInput;
import io.ssmd.agent.AgentOptions;
import io.ssmd.agent.SignalDefinition;
import io.ssmd.agent.SignalsFile;
import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.config.TransportType;
import io.ssmd.observability.HealthServer;
import io.ssmd.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ssmd run agent}: the signal agent over one or more environments' JetStream streams. Reads
 * {@code {prefix}.{feed}.json.>} of each environment, publishes firings into its {@code
 * {PREFIX}_SIGNALS} stream on {@code {prefix}.signals.{signal}.{ticker}}.
 */
@Command(
    name = "agent",
    description = {"Signal agent: evaluate --signals over the live stream, publish firings on {env}.signals.{signal}.{ticker}.",
        "Reads {env}.{feed}.json.> of each --env; firings go to the stream {ENV}_SIGNALS (created by ssmd env apply)."},
    mixinStandardHelpOptions = true)
final class RunAgent implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunAgent.class);

  @Option(names = "--env", required = true, description = "Environment file or name; repeat for several feeds (one per feed).")
  List<String> envs;

  @Option(names = "--signals", required = true, description = "Signals file (e.g. exchanges/signals/example.yaml; see ssmd-agent/README.md).")
  Path signals;

  @Option(names = "--health-port", defaultValue = "" + HealthServer.DEFAULT_PORT, description = "Port of /health, /ready, /metrics (default: ${DEFAULT-VALUE}).")
  int healthPort;

  @Option(names = "--from-start", description = "Evaluate everything the streams retain first (default: only messages arriving after start).")
  boolean fromStart;

  @Option(names = "--watermark-grace", defaultValue = "5s", description = "How far the silent-feed timer trails the last event time plus the wall time since it arrived"
      + " (default: ${DEFAULT-VALUE}); live and backtest stale firings agree while transport delay stays under it.")
  String grace;

  @Override
  public Integer call() throws InterruptedException {
    List<SignalDefinition> defs = SignalsFile.load(signals);
    Duration graceDuration = AgentSignals.duration("--watermark-grace", grace);
    List<ResolvedEnvironment> envList = new ArrayList<>();
    for (String e : envs) {
      ResolvedEnvironment r = EnvCommand.load(e, null);
      if (r.environment().transport().type() != TransportType.NATS) {
        throw new UsageException(r.environmentFile() + ": the agent reads a JetStream stream; transport.type is "
            + r.environment().transport().type().configName() + " (ssmd up runs the agent on its memory transport itself)");
      }
      if (envList.stream().anyMatch(x -> x.feedName().equals(r.feedName()))) {
        throw new UsageException("--env " + e + " is a second environment of feed " + r.feedName() + "; run one agent per environment of a feed");
      }
      envList.add(r);
    }
    List<Transport> open = new ArrayList<>();
    List<AgentInput> inputs = new ArrayList<>();
    try {
      for (ResolvedEnvironment r : envList) {
        Transport in = Transports.open(r, io.ssmd.transport.PublishListener.NONE);
        open.add(in);
        Transport out = AgentSignals.openSignals(r);
        open.add(out);
        inputs.add(new AgentInput(r.subjectPrefix(), r.feedName(), in, out));
      }
    } catch (RuntimeException e) {
      open.forEach(Transport::close);
      throw e;
    }
    PrometheusRegistry registry = new PrometheusRegistry();
    Agent agent = Agent.start(new AgentOptions(defs, fromStart, AgentOptions.DEFAULT_TICK, graceDuration), inputs, registry);
    HealthServer health = HealthServer.start(healthPort, registry, agent.readiness());
    LOG.info("agent running {} signal(s) over {} feed(s); health on port {}", defs.size(), inputs.size(), health.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close(Duration.ofSeconds(5));
      open.forEach(Transport::close);
      health.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return Main.EXIT_OK;
  }
}
