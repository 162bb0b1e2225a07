package io.ssmd.worker;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the worker runs, from the environment variables of the worker deployment guide (DESIGN §7).
 * {@link #fromEnv} collects every bad value before failing, one line each naming the variable.
 *
 * @param temporalAddress {@code host:port} of the Temporal frontend; empty: run the embedded server
 * @param embeddedPort port of the embedded server ({@code TEMPORAL_EMBEDDED_PORT}, 7233; 0 picks a free one)
 * @param namespace Temporal namespace
 * @param taskQueue task queue the worker polls
 * @param healthPort port of /health, /ready, /metrics (0 picks a free one)
 * @param maxConcurrentActivities concurrent activity executions
 * @param maxConcurrentWorkflowTasks concurrent workflow task executions
 * @param databaseUrl PostgreSQL of the security master and quality reports; empty: embedded under {@code dataDir/pg}
 * @param configDir where environments are found: {@code <configDir>/environments/<env>.yaml}
 * @param dataDir worker data: embedded PostgreSQL, Parquet exports
 * @param readyUrls components whose /ready DayStart waits for ({@code SSMD_READY_URLS})
 * @param readyTimeout how long DayStart waits for them
 * @param shutdownGrace how long a shutdown waits for in-flight activities
 * @param notifications notification channels
 */
public record WorkerSettings(
    Optional<String> temporalAddress,
    int embeddedPort,
    String namespace,
    String taskQueue,
    int healthPort,
    int maxConcurrentActivities,
    int maxConcurrentWorkflowTasks,
    Optional<String> databaseUrl,
    Path configDir,
    Path dataDir,
    List<ReadyUrl> readyUrls,
    Duration readyTimeout,
    Duration shutdownGrace,
    NotifySettings notifications) {

  public static final String TEMPORAL_ADDRESS = "TEMPORAL_ADDRESS";
  public static final String TEMPORAL_EMBEDDED_PORT = "TEMPORAL_EMBEDDED_PORT";
  public static final String TEMPORAL_NAMESPACE = "TEMPORAL_NAMESPACE";
  public static final String TEMPORAL_TASK_QUEUE = "TEMPORAL_TASK_QUEUE";
  public static final String HEALTH_CHECK_PORT = "HEALTH_CHECK_PORT";
  public static final String MAX_CONCURRENT_ACTIVITY_EXECUTIONS = "MAX_CONCURRENT_ACTIVITY_EXECUTIONS";
  public static final String MAX_CONCURRENT_WORKFLOW_TASK_EXECUTIONS = "MAX_CONCURRENT_WORKFLOW_TASK_EXECUTIONS";
  public static final String DATABASE_URL = "DATABASE_URL";
  public static final String SSMD_CONFIG_DIR = "SSMD_CONFIG_DIR";
  public static final String SSMD_DATA_DIR = "SSMD_DATA_DIR";
  public static final String SSMD_READY_URLS = "SSMD_READY_URLS";
  public static final String SSMD_READY_TIMEOUT = "SSMD_READY_TIMEOUT";
  public static final String SSMD_SHUTDOWN_GRACE = "SSMD_SHUTDOWN_GRACE";

  public static final int DEFAULT_EMBEDDED_PORT = 7233;
  public static final String DEFAULT_NAMESPACE = "default";
  public static final String DEFAULT_TASK_QUEUE = "ssmd";
  public static final int DEFAULT_HEALTH_PORT = 8080;
  public static final int DEFAULT_MAX_CONCURRENT = 20;

  /**
   * A component DayStart waits for.
   *
   * @param env only for this environment (null: every environment)
   * @param name component name shown in results, e.g. {@code connector}
   * @param url its /ready URL
   */
  public record ReadyUrl(String env, String name, URI url) {
    /** Whether DayStart of {@code environment} waits for this component. */
    public boolean appliesTo(String environment) {
      return env == null || env.equals(environment);
    }
  }

  public WorkerSettings {
    readyUrls = List.copyOf(readyUrls);
  }

  /** The worker of {@code ssmd up}: embedded server on a free port, health on {@code healthPort}, data and config as given. */
  public static WorkerSettings embedded(Path configDir, Path dataDir, int healthPort) {
    return new WorkerSettings(Optional.empty(), 0, DEFAULT_NAMESPACE, DEFAULT_TASK_QUEUE, healthPort, DEFAULT_MAX_CONCURRENT,
        DEFAULT_MAX_CONCURRENT, Optional.empty(), configDir, dataDir, List.of(), Duration.ofMinutes(5), Duration.ofSeconds(30), NotifySettings.NONE);
  }

  /** This, with the embedded server on {@code port} (e.g. 7233, so {@code ssmd day} of another shell finds it; 0: a free one). */
  public WorkerSettings withEmbeddedPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("embedded Temporal port must be 0..65535, got " + port);
    }
    return new WorkerSettings(temporalAddress, port, namespace, taskQueue, healthPort, maxConcurrentActivities,
        maxConcurrentWorkflowTasks, databaseUrl, configDir, dataDir, readyUrls, readyTimeout, shutdownGrace, notifications);
  }

  /** This, with another database URL. */
  public WorkerSettings withDatabaseUrl(String url) {
    return new WorkerSettings(temporalAddress, embeddedPort, namespace, taskQueue, healthPort, maxConcurrentActivities,
        maxConcurrentWorkflowTasks, Optional.ofNullable(url), configDir, dataDir, readyUrls, readyTimeout, shutdownGrace, notifications);
  }

  /** This, with components to wait for at day start. */
  public WorkerSettings withReadyUrls(List<ReadyUrl> urls, Duration timeout) {
    return new WorkerSettings(temporalAddress, embeddedPort, namespace, taskQueue, healthPort, maxConcurrentActivities,
        maxConcurrentWorkflowTasks, databaseUrl, configDir, dataDir, urls, timeout, shutdownGrace, notifications);
  }

  /** This, with notification channels. */
  public WorkerSettings withNotify(NotifySettings n) {
    return new WorkerSettings(temporalAddress, embeddedPort, namespace, taskQueue, healthPort, maxConcurrentActivities,
        maxConcurrentWorkflowTasks, databaseUrl, configDir, dataDir, readyUrls, readyTimeout, shutdownGrace, n);
  }

  /**
   * Reads the settings.
   *
   * @param env environment variables ({@code System::getenv})
   * @param healthPortOverride {@code --health-port}, overriding {@code HEALTH_CHECK_PORT}
   * @param dataDirDefault data directory when {@code SSMD_DATA_DIR} is unset
   * @throws IllegalArgumentException one line per bad variable
   */
  public static WorkerSettings fromEnv(Function<String, String> env, Optional<Integer> healthPortOverride, Path dataDirDefault) {
    List<String> problems = new ArrayList<>();
    Optional<String> address = text(env, TEMPORAL_ADDRESS);
    address.ifPresent(a -> {
      if (!a.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
        problems.add(TEMPORAL_ADDRESS + "=" + a + ": expected host:port, e.g. temporal-frontend:7233 (unset it to run the embedded server)");
      }
    });
    int embeddedPort = port(env, TEMPORAL_EMBEDDED_PORT, DEFAULT_EMBEDDED_PORT, problems);
    String namespace = text(env, TEMPORAL_NAMESPACE).orElse(DEFAULT_NAMESPACE);
    String queue = text(env, TEMPORAL_TASK_QUEUE).orElse(DEFAULT_TASK_QUEUE);
    int health = healthPortOverride.isPresent() ? healthPortOverride.get() : port(env, HEALTH_CHECK_PORT, DEFAULT_HEALTH_PORT, problems);
    if (health < 0 || health > 65535) {
      problems.add("--health-port " + health + ": expected 0..65535");
    }
    int acts = positive(env, MAX_CONCURRENT_ACTIVITY_EXECUTIONS, DEFAULT_MAX_CONCURRENT, problems);
    int wfts = positive(env, MAX_CONCURRENT_WORKFLOW_TASK_EXECUTIONS, DEFAULT_MAX_CONCURRENT, problems);
    Optional<String> db = text(env, DATABASE_URL);
    db.ifPresent(u -> {
      if (!u.startsWith("jdbc:postgresql:") && !u.startsWith("postgres://") && !u.startsWith("postgresql://")) {
        problems.add(DATABASE_URL + ": expected jdbc:postgresql://host:port/db or postgres://user:password@host:port/db");
      }
    });
    Path configDir = Path.of(text(env, SSMD_CONFIG_DIR).orElse("./exchanges"));
    if (!java.nio.file.Files.isDirectory(configDir.resolve("environments"))) {
      problems.add(SSMD_CONFIG_DIR + "=" + configDir + ": no environments/ directory there; point it at the directory holding"
          + " environments/ and feeds/ (default ./exchanges)");
    }
    Path dataDir = text(env, SSMD_DATA_DIR).map(Path::of).orElse(dataDirDefault);
    List<ReadyUrl> ready = new ArrayList<>();
    text(env, SSMD_READY_URLS).ifPresent(v -> ready.addAll(readyUrls(v, problems)));
    Duration readyTimeout = duration(env, SSMD_READY_TIMEOUT, Duration.ofMinutes(5), problems);
    Duration grace = duration(env, SSMD_SHUTDOWN_GRACE, Duration.ofSeconds(30), problems);
    NotifySettings notifyFromEnv = NotifySettings.fromEnv(env, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return new WorkerSettings(address, embeddedPort, namespace, queue, health, acts, wfts, db, configDir, dataDir, ready,
        readyTimeout, grace, notifyFromEnv);
  }

  /** The components of {@code SSMD_READY_URLS}; {@link IllegalArgumentException} naming a bad entry. */
  public static List<ReadyUrl> readyUrlsFromEnv(Function<String, String> env) {
    List<String> problems = new ArrayList<>();
    List<ReadyUrl> urls = text(env, SSMD_READY_URLS).map(v -> readyUrls(v, problems)).orElse(List.of());
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return urls;
  }

  /** Parses {@code [env/]name=url,...}. */
  static List<ReadyUrl> readyUrls(String value, List<String> problems) {
    List<ReadyUrl> out = new ArrayList<>();
    for (String item : value.split(",")) {
      String s = item.strip();
      if (s.isEmpty()) {
        continue;
      }
      int eq = s.indexOf('=');
      if (eq <= 0) {
        problems.add(SSMD_READY_URLS + ": '" + s + "' is not [env/]name=http://host:port/ready");
        continue;
      }
      String key = s.substring(0, eq);
      int slash = key.indexOf('/');
      String env = slash < 0 ? null : key.substring(0, slash);
      String name = slash < 0 ? key : key.substring(slash + 1);
      try {
        URI u = URI.create(s.substring(eq + 1));
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
          throw new IllegalArgumentException("not http(s)");
        }
        out.add(new ReadyUrl(env, name, u));
      } catch (IllegalArgumentException e) {
        problems.add(SSMD_READY_URLS + ": '" + s + "' has no valid http(s) URL after '='");
      }
    }
    return out;
  }

  private static Optional<String> text(Function<String, String> env, String name) {
    String v = env.apply(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  private static int port(Function<String, String> env, String name, int dflt, List<String> problems) {
    Optional<String> v = text(env, name);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      int p = Integer.parseInt(v.get());
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    problems.add(name + "=" + v.get() + ": expected a port 0..65535 (0 picks a free one)");
    return dflt;
  }

  private static int positive(Function<String, String> env, String name, int dflt, List<String> problems) {
    Optional<String> v = text(env, name);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    problems.add(name + "=" + v.get() + ": expected a positive integer (default " + dflt + ")");
    return dflt;
  }

  private static Duration duration(Function<String, String> env, String name, Duration dflt, List<String> problems) {
    Optional<String> v = text(env, name);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      Duration d = io.ssmd.config.Durations.parse(v.get());
      if (!d.isNegative() && !d.isZero()) {
        return d;
      }
    } catch (RuntimeException ignored) {
      // reported below
    }
    problems.add(name + "=" + v.get() + ": expected a duration such as 30s, 5m, 1h");
    return dflt;
  }

  /** For tests and embedding: settings from a map. */
  public static WorkerSettings fromMap(Map<String, String> env, Optional<Integer> healthPortOverride, Path dataDirDefault) {
    return fromEnv(env::get, healthPortOverride, dataDirDefault);
  }
}
