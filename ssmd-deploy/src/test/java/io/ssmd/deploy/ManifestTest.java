package io.ssmd.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmd.config.ConfigLoader;
import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.config.SecretResolver;
import io.ssmd.config.StorageType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kustomization in deploy/ (base, prod, staging, vault, monitoring) rendered and checked
 * the way a cluster admission and an operator's review would: typed models without unknown
 * fields, selectors that select, ports that exist, references that resolve, pods that are
 * locked down, and environment files whose endpoints and secrets the manifests actually provide.
 */
class ManifestTest {
  private static final List<String> LABELS = List.of("app.kubernetes.io/name", "app.kubernetes.io/instance",
      "app.kubernetes.io/component", "app.kubernetes.io/part-of", "app.kubernetes.io/version");
  private static final ExternalSecrets SECRETS = new ExternalSecrets();

  @TempDir Path tmp;

  static Stream<Rendered> renders() {
    return Rendered.all();
  }

  static Stream<Rendered> appRenders() {
    return Rendered.all().filter(r -> !r.name().equals("monitoring"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renders")
  void everyObjectBindsToItsTypedModelWithoutUnknownFields(Rendered r) {
    assertThat(r.objects()).isNotEmpty();
    List<String> unknown = new ArrayList<>();
    for (ObjectNode o : r.objects()) {
      Typed.unknownFields(Typed.bind(o)).forEach(f -> unknown.add(Rendered.id(o) + ": unknown field " + f));
    }
    assertThat(unknown).isEmpty();
  }

  @Test
  void strictBindingRejectsAMisspelledOrMisplacedField() throws Exception {
    ObjectNode d = (ObjectNode) Kustomize.read(Yaml.DEPLOY.resolve("base/agent.yaml")).getFirst();
    ObjectNode c = (ObjectNode) Kustomize.podTemplate(d).path("spec").path("containers").get(0);
    c.set("livenessprobe", c.get("livenessProbe"));
    ((ObjectNode) d.path("spec")).put("maxUnavailable", 0);
    assertThat(Typed.unknownFields(Typed.bind(d)))
        .anySatisfy(f -> assertThat(f).endsWith(".containers[0].livenessprobe"))
        .anySatisfy(f -> assertThat(f).endsWith("spec.maxUnavailable"));
    ObjectNode unknownKind = d.deepCopy().put("kind", "Deploymnet");
    assertThatThrownBy(() -> Typed.bind(unknownKind)).hasMessageContaining("no typed model for apps/v1/Deploymnet");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("appRenders")
  void workloadSelectorsMatchTheirOwnPodTemplateAndNoOther(Rendered r) {
    for (ObjectNode w : r.workloads()) {
      String kind = w.path("kind").asText();
      if (kind.equals("CronJob") || kind.equals("Job")) {
        continue; // the Job controller generates its selector
      }
      JsonNode selector = w.path("spec").path("selector");
      assertThat(selector.isMissingNode()).as(Rendered.id(w) + " has a selector").isFalse();
      assertThat(Rendered.matches(selector, Rendered.podLabels(w))).as(Rendered.id(w) + " selects its pod template").isTrue();
      for (ObjectNode other : r.workloads()) {
        if (other != w) {
          assertThat(Rendered.matches(selector, Rendered.podLabels(other)))
              .as(Rendered.id(w) + " selector must not also select " + Rendered.id(other)).isFalse();
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("appRenders")
  void servicesSelectPodsAndTargetPortsTheyExpose(Rendered r) {
    assertThat(ManifestChecks.services(r, SECRETS)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("appRenders")
  void networkPoliciesSelectWorkloadsAndEveryPodCanResolveNames(Rendered r) {
    assertThat(policiesSelectingNoPod(r)).isEmpty();
    assertThat(r.ofKind("NetworkPolicy")).as("a default-deny policy")
        .anyMatch(np -> np.path("spec").path("podSelector").isEmpty() && np.path("spec").path("ingress").isMissingNode()
            && np.path("spec").path("egress").isMissingNode());
    for (ObjectNode w : r.workloads()) {
      assertThat(Egress.of(r, w).allowsNamespace("kube-system", 53, "UDP")).as(Rendered.id(w) + " may query DNS").isTrue();
    }
  }

  /** NetworkPolicies whose podSelector matches no workload's pod template (they silently do nothing). */
  static List<String> policiesSelectingNoPod(Rendered r) {
    List<String> out = new ArrayList<>();
    for (ObjectNode np : r.ofKind("NetworkPolicy")) {
      if (r.workloads().stream().noneMatch(w -> Rendered.matches(np.path("spec").path("podSelector"), Rendered.podLabels(w)))) {
        out.add(Rendered.id(np) + " podSelector " + np.path("spec").path("podSelector") + " matches no workload's pods");
      }
    }
    return out;
  }

  @Test
  void theSeedsWorkerPolicyThatMatchedNoPodIsCaught() {
    Rendered prod = Rendered.of("overlays/prod");
    ObjectNode np = prod.find("NetworkPolicy", "allow-postgres").orElseThrow();
    // the seed's PostgreSQL policy selected app.kubernetes.io/name while worker pods carried only `app`
    ObjectNode spec = (ObjectNode) np.path("spec");
    spec.putObject("podSelector").putObject("matchLabels").put("app", "ssmd-worker");
    assertThat(policiesSelectingNoPod(prod)).singleElement().asString().contains("allow-postgres");
    assertThat(endpointProblems(prod, tmp)).anySatisfy(p -> assertThat(p).contains("ssmd-worker").contains("no egress to PostgreSQL"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("appRenders")
  void probesUseDeclaredPortsLivenessOnHealthAndReadinessOnReady(Rendered r) {
    assertThat(ManifestChecks.probes(r)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("appRenders")
  void containersHaveLimitsAndRunLockedDownAsNonRoot(Rendered r) {
    assertThat(ManifestChecks.security(r)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("appRenders")
  void imagesCarryAReleaseTag(Rendered r) {
    assertThat(ManifestChecks.images(r)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("appRenders")
  void everyObjectAndPodCarriesTheRecommendedLabels(Rendered r) {
    for (ObjectNode o : r.objects()) {
      String kind = o.path("kind").asText();
      if (Set.of("Namespace", "NetworkPolicy", "ConfigMap").contains(kind)) {
        continue;
      }
      assertThat(Rendered.labels(o.path("metadata").path("labels")).keySet()).as(Rendered.id(o) + " labels").containsAll(LABELS);
    }
    for (ObjectNode w : r.workloads()) {
      Map<String, String> pod = Rendered.podLabels(w);
      assertThat(pod.keySet()).as(Rendered.id(w) + " pod labels").containsAll(LABELS);
      assertThat(pod).as(Rendered.id(w) + " pod labels agree with the workload's")
          .containsAllEntriesOf(Map.of("app.kubernetes.io/component",
              Rendered.labels(w.path("metadata").path("labels")).get("app.kubernetes.io/component")));
      assertThat(w.path("metadata").path("namespace").asText()).as(Rendered.id(w) + " namespace").isEqualTo("ssmd");
      String image = Rendered.containers(w).getFirst().path("image").asText();
      assertThat(pod.get("app.kubernetes.io/version")).as(Rendered.id(w) + " version label is the image tag " + image)
          .isEqualTo(image.substring(image.lastIndexOf(':') + 1));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("appRenders")
  void referencedConfigMapsSecretsFilesAndVariablesExist(Rendered r) {
    List<String> problems = new ArrayList<>();
    int i = 0;
    for (PodView p : pods(r, tmp.resolve(r.name().replace('/', '-')))) {
      p.args();
      p.problems.forEach(x -> problems.add(p.describe() + ": " + x));
      i++;
    }
    assertThat(i).isPositive();
    for (ObjectNode pdb : r.ofKind("PodDisruptionBudget")) {
      assertThat(r.workloads()).as(Rendered.id(pdb) + " selects a workload")
          .anyMatch(w -> Rendered.matches(pdb.path("spec").path("selector"), Rendered.podLabels(w)));
    }
    for (ObjectNode hpa : r.ofKind("HorizontalPodAutoscaler")) {
      JsonNode ref = hpa.path("spec").path("scaleTargetRef");
      assertThat(r.find(ref.path("kind").asText(), ref.path("name").asText())).as(Rendered.id(hpa) + " target").isPresent();
    }
    for (ObjectNode w : r.workloads()) {
      String sa = Kustomize.podTemplate(w).path("spec").path("serviceAccountName").asText("");
      if (!sa.isEmpty()) {
        assertThat(r.find("ServiceAccount", sa)).as(Rendered.id(w) + " ServiceAccount " + sa).isPresent();
      }
      for (JsonNode v : Kustomize.podTemplate(w).path("spec").path("volumes")) {
        if (v.has("persistentVolumeClaim")) {
          assertThat(r.find("PersistentVolumeClaim", v.path("persistentVolumeClaim").path("claimName").asText()))
              .as(Rendered.id(w) + " claim").isPresent();
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("appRenders")
  void connectorShardsAreStatefulSetPodsWhoseCountMatchesReplicas(Rendered r) {
    List<ObjectNode> connectors = r.workloads().stream()
        .filter(w -> "connector".equals(Rendered.podLabels(w).get("app.kubernetes.io/component"))).toList();
    assertThat(connectors).hasSize(3).allSatisfy(w -> assertThat(w.path("kind").asText()).isEqualTo("StatefulSet"));
    for (ObjectNode w : connectors) {
      PodView p = new PodView(r, w, Rendered.containers(w).getFirst(), SECRETS, tmp.resolve("shard-" + Rendered.id(w).replace('/', '-')));
      int replicas = w.path("spec").path("replicas").asInt(1);
      assertThat(p.args()).as(Rendered.id(w) + " shard count is the replica count")
          .contains("--shard-count=" + replicas).contains("--shard-index=0");
      assertThat(w.path("spec").path("podManagementPolicy").asText()).isEqualTo("Parallel");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("appRenders")
  void archiversRecreateOnTheirOwnClaimAndWorkersScaleWithoutUnavailablePods(Rendered r) {
    List<ObjectNode> archivers = r.workloads().stream()
        .filter(w -> "archiver".equals(Rendered.podLabels(w).get("app.kubernetes.io/component"))).toList();
    assertThat(archivers).hasSize(3);
    Set<String> claims = new HashSet<>();
    for (ObjectNode a : archivers) {
      assertThat(a.path("spec").path("strategy").path("type").asText()).as(Rendered.id(a)).isEqualTo("Recreate");
      assertThat(a.path("spec").path("replicas").asInt()).isEqualTo(1);
      Kustomize.podTemplate(a).path("spec").path("volumes").forEach(v -> {
        if (v.has("persistentVolumeClaim")) {
          assertThat(claims.add(v.path("persistentVolumeClaim").path("claimName").asText())).as("claims are not shared").isTrue();
        }
      });
    }
    assertThat(claims).hasSize(3);
    ObjectNode worker = r.find("Deployment", "ssmd-worker").orElseThrow();
    assertThat(worker.path("spec").has("replicas")).as("the HPA owns the worker's replica count").isFalse();
    assertThat(worker.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable").asInt(-1)).isZero();
    ObjectNode hpa = r.find("HorizontalPodAutoscaler", "ssmd-worker").orElseThrow();
    ObjectNode pdb = r.find("PodDisruptionBudget", "ssmd-worker").orElseThrow();
    assertThat(hpa.path("spec").path("minReplicas").asInt()).as("min replicas above the PDB's minAvailable")
        .isGreaterThan(pdb.path("spec").path("minAvailable").asInt());
    assertThat(pdb.path("spec").path("minAvailable").asInt()).isEqualTo(2);
    Map<String, Integer> targets = new LinkedHashMap<>();
    hpa.path("spec").path("metrics").forEach(m -> targets.put(m.path("resource").path("name").asText(),
        m.path("resource").path("target").path("averageUtilization").asInt()));
    assertThat(targets).containsEntry("cpu", 70).containsEntry("memory", 75);
    if (!r.name().equals("overlays/staging")) {
      assertThat(hpa.path("spec").path("minReplicas").asInt()).isEqualTo(3);
      assertThat(hpa.path("spec").path("maxReplicas").asInt()).isEqualTo(20);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("appRenders")
  void environmentsLoadAndTheirEndpointsAndSecretsAreReachableFromThePodsThatUseThem(Rendered r) {
    assertThat(endpointProblems(r, tmp)).isEmpty();
  }

  /**
   * For every pod: each environment it loads parses, and the endpoints it uses (NATS, S3, the
   * venue, Redis, PostgreSQL, Temporal) are allowed by its egress policies; the secrets its command
   * resolves at start-up resolve from what the pod mounts; its variables are documented.
   */
  static List<String> endpointProblems(Rendered r, Path dir) {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (PodView p : pods(r, dir.resolve("env-" + r.name().replace('/', '-')))) {
      Egress egress = Egress.of(r, p.workload);
      Set<String> asked = new HashSet<>();
      SecretResolver resolver = new SecretResolver(n -> {
        asked.add(n);
        return p.lookup(n);
      }, p.root);
      for (Path envFile : environmentsOf(p)) {
        ResolvedEnvironment env = ConfigLoader.loadEnvironment(envFile);
        checked++;
        String where = p.describe() + " (" + env.name() + ")";
        URI nats = env.environment().transport().url();
        if (nats != null && !egress.allows(nats.getHost(), nats.getPort())) {
          problems.add(where + ": no egress to NATS " + nats);
        }
        var storage = env.environment().storage();
        boolean usesStorage = Set.of("archiver", "env-apply", "worker").contains(p.component);
        if (usesStorage && storage.type() == StorageType.S3 && !egress.allows(storage.endpoint().getHost(), port(storage.endpoint()))) {
          problems.add(where + ": no egress to S3 " + storage.endpoint());
        }
        if (p.component.equals("connector") && !egress.allows(env.endpoint().getHost(), port(env.endpoint()))) {
          problems.add(where + ": no egress to the venue " + env.endpoint());
        }
        if (Set.of("worker", "gateway").contains(p.component)) {
          URI cache = env.environment().cache().url();
          if (cache != null && !egress.allows(cache.getHost(), cache.getPort())) {
            problems.add(where + ": no egress to Redis " + cache);
          }
        }
        if (p.component.equals("worker")) {
          env.restEndpoint().filter(u -> !egress.allows(u.getHost(), port(u))).ifPresent(u -> problems.add(where + ": no egress to " + u));
        }
        // the keys each command resolves at start-up: the connector its venue's key (Capture),
        // the archiver and env apply the S3 credentials (Storage), the worker every key
        List<String> needed = new ArrayList<>();
        switch (p.component) {
          case "connector" -> {
            if (env.environment().keys().containsKey(env.feedName())) {
              needed.add(env.feedName());
            }
          }
          case "archiver", "env-apply" -> {
            if (storage.type() == StorageType.S3) {
              needed.add(storage.credentials());
            }
          }
          default -> { }
        }
        try {
          if (p.component.equals("worker")) {
            resolver.resolveAll(env.environment());
          }
          for (String key : needed) {
            if (resolver.resolve(key, env.environment().keys().get(key)).isEmpty()) {
              problems.add(where + ": keys." + key + " is not provided to the pod");
            }
          }
        } catch (RuntimeException e) {
          problems.add(where + ": secrets do not resolve: " + e.getMessage());
        }
      }
      String db = p.env.get("DATABASE_URL");
      if (db != null) {
        URI u = URI.create(db.replaceFirst("^jdbc:", ""));
        if (!egress.allows(u.getHost(), u.getPort())) {
          problems.add(p.describe() + ": no egress to PostgreSQL " + u.getHost() + ":" + u.getPort());
        }
      }
      for (String temporal : List.of("TEMPORAL_ADDRESS")) {
        String addr = p.env.get(temporal);
        if (addr != null) {
          URI u = URI.create("grpc://" + addr);
          if (!egress.allows(u.getHost(), u.getPort())) {
            problems.add(p.describe() + ": no egress to Temporal " + addr);
          }
        }
      }
      Set<String> allowed = new HashSet<>(EnvVars.documented(p.component));
      allowed.addAll(asked);
      for (String name : p.env.keySet()) {
        if (!allowed.contains(name)) {
          problems.add(p.describe() + ": environment variable " + name + " is not documented for component " + p.component
              + " in deploy/env-vars.yaml nor named by an environment's secret source");
        }
      }
    }
    if (checked < 3) {
      problems.add("only " + checked + " environment files loaded");
    }
    return problems;
  }

  @Test
  void podMonitorScrapesTheHealthPortOfEveryLongRunningComponent() {
    Rendered monitoring = Rendered.of("monitoring");
    Rendered prod = Rendered.of("overlays/prod");
    ObjectNode pm = monitoring.ofKind("PodMonitor").getFirst();
    String port = pm.path("spec").path("podMetricsEndpoints").get(0).path("port").asText();
    Set<String> scraped = new HashSet<>();
    for (ObjectNode w : prod.workloads()) {
      if (Rendered.matches(pm.path("spec").path("selector"), Rendered.podLabels(w))) {
        assertThat(Rendered.containers(w)).as(Rendered.id(w) + " exposes port " + port)
            .anyMatch(c -> containerExposes(c, com.fasterxml.jackson.databind.node.TextNode.valueOf(port)));
        scraped.add(Rendered.podLabels(w).get("app.kubernetes.io/component"));
      }
    }
    assertThat(scraped).containsExactlyInAnyOrder("connector", "archiver", "gateway", "agent", "worker");
    ObjectNode metricsIngress = prod.find("NetworkPolicy", "allow-metrics-from-monitoring").orElseThrow();
    assertThat(metricsIngress.path("spec").path("ingress").get(0).path("ports").get(0).path("port").asInt()).isEqualTo(8080);
  }

  static List<Path> environmentsOf(PodView p) throws RuntimeException {
    List<String> args = p.args();
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--env=")) {
        out.add(p.at(a.substring("--env=".length())));
      } else if (a.equals("--env") && i + 1 < args.size()) {
        out.add(p.at(args.get(i + 1)));
      } else if (i >= 2 && args.get(0).equals("env") && args.get(1).equals("apply") && !a.startsWith("-")) {
        out.add(p.at(a));
      }
    }
    String configDir = p.env.get("SSMD_CONFIG_DIR");
    if (configDir != null && p.component.equals("worker")) {
      try (Stream<Path> files = Files.list(p.at(configDir).resolve("environments"))) {
        files.sorted().forEach(out::add);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return out;
  }

  static List<PodView> pods(Rendered r, Path dir) {
    List<PodView> out = new ArrayList<>();
    int i = 0;
    for (ObjectNode w : r.workloads()) {
      for (JsonNode c : Rendered.containers(w)) {
        out.add(new PodView(r, w, c, SECRETS, dir.resolve("pod" + i++)));
      }
    }
    return out;
  }

  private static int port(URI u) {
    if (u.getPort() > 0) {
      return u.getPort();
    }
    return switch (u.getScheme()) {
      case "https", "wss" -> 443;
      case "http", "ws" -> 80;
      default -> throw new IllegalArgumentException("no default port for " + u);
    };
  }

  private static boolean exposes(JsonNode workload, JsonNode port) {
    return Rendered.containers(workload).stream().anyMatch(c -> containerExposes(c, port));
  }

  static boolean containerExposes(JsonNode c, JsonNode port) {
    for (JsonNode p : c.path("ports")) {
      if (port.isTextual() && !port.asText().matches("\\d+") ? p.path("name").asText().equals(port.asText())
          : p.path("containerPort").asInt() == port.asInt()) {
        return true;
      }
    }
    return false;
  }
}
