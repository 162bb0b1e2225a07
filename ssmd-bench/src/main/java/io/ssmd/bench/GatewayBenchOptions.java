package io.ssmd.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Settings of one {@link GatewayBenchmark} run. Invalid values are collected and reported together.
 *
 * @param clients WebSocket clients subscribed to the whole feed (default 200)
 * @param messages messages published in the throughput phases (default 20 000; {@code --quick} 3 000)
 * @param window most messages published ahead of the slowest client in the throughput phases (flow control, bounds memory)
 * @param rate messages per second published in the latency phases (default 200, i.e. 40 000 deliveries/s to 200 clients: below saturation, so latency is the path's, not a queue's)
 * @param seconds length of each latency phase (default 10; {@code --quick} 3)
 * @param symbols distinct symbols the messages rotate over (default 50)
 */
public record GatewayBenchOptions(int clients, int messages, int window, int rate, int seconds, int symbols) {

  public static final String USAGE =
      """
      usage: GatewayBenchmark [--quick] [--clients N] [--messages N] [--window N] [--rate N] [--seconds N] [--symbols N] [--repo DIR]
        --quick             3,000 messages, 3 s latency phases
        --clients N         WebSocket clients, each subscribed to the whole feed (default 200)
        --messages N        messages in the throughput phases (default 20000)
        --window N          publish at most N messages ahead of the slowest client (default 500; below the gateway queue of 1024)
        --rate N            messages/s in the latency phases (default 200)
        --seconds N         length of each latency phase (default 10)
        --symbols N         symbols the messages rotate over (default 50)""";

  public GatewayBenchOptions {
    List<String> problems = new ArrayList<>();
    if (clients < 1 || clients > 5_000) {
      problems.add("--clients must be 1..5000, got " + clients);
    }
    if (messages < 100) {
      problems.add("--messages must be >= 100, got " + messages);
    }
    if (window < 10 || window > 1_000) {
      problems.add("--window must be 10..1000 (below the benchmark gateway's queue of 1024, or clients would drop), got " + window);
    }
    if (rate < 1 || rate > 1_000_000) {
      problems.add("--rate must be 1..1000000, got " + rate);
    }
    if (seconds < 1 || seconds > 3_600) {
      problems.add("--seconds must be 1..3600, got " + seconds);
    }
    if (symbols < 1 || symbols > 100_000) {
      problems.add("--symbols must be 1..100000, got " + symbols);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  public static GatewayBenchOptions defaults() {
    return new GatewayBenchOptions(200, 20_000, 500, 200, 10, 50);
  }

  public static GatewayBenchOptions quick() {
    return new GatewayBenchOptions(200, 3_000, 500, 200, 3, 50);
  }

  /** Parses the command line; {@link IllegalArgumentException} names what is wrong. */
  public static GatewayBenchOptions parse(String... args) {
    GatewayBenchOptions o = List.of(args).contains("--quick") ? quick() : defaults();
    int clients = o.clients;
    int messages = o.messages;
    int window = o.window;
    int rate = o.rate;
    int seconds = o.seconds;
    int symbols = o.symbols;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> { }
        case "--repo" -> Args.arg(args, ++i, a); // accepted for scripts/bench.sh; this benchmark needs no files
        case "--clients" -> clients = Args.intArg(args, ++i, a);
        case "--messages" -> messages = Args.intArg(args, ++i, a);
        case "--window" -> window = Args.intArg(args, ++i, a);
        case "--rate" -> rate = Args.intArg(args, ++i, a);
        case "--seconds" -> seconds = Args.intArg(args, ++i, a);
        case "--symbols" -> symbols = Args.intArg(args, ++i, a);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    return new GatewayBenchOptions(clients, messages, window, rate, seconds, symbols);
  }
}
