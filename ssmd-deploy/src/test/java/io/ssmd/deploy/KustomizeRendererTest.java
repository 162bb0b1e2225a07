package io.ssmd.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The test renderer against the real thing: where {@code kubectl} (with its built-in kustomize) is
 * installed, every kustomization renders to the same objects, up to the generated names' hash
 * suffixes; and the renderer refuses what it does not implement instead of ignoring it.
 */
class KustomizeRendererTest {
  @TempDir Path tmp;

  static Stream<String> dirs() {
    return Rendered.DIRS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dirs")
  @Timeout(60)
  void rendersWhatKubectlKustomizeRenders(String dir) throws Exception {
    Path kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).map(p -> Path.of(p, "kubectl"))
        .filter(Files::isExecutable).findFirst().orElse(null);
    Assumptions.assumeTrue(kubectl != null, "kubectl is not installed; the renderer is compared with kubectl kustomize where it is");
    Process p = new ProcessBuilder(kubectl.toString(), "kustomize", Yaml.DEPLOY.resolve(dir).toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(50, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl kustomize " + dir).isZero();
    Path f = tmp.resolve("out.yaml");
    Files.writeString(f, out);
    Map<String, JsonNode> theirs = byId(Kustomize.read(f).stream().map(n -> (ObjectNode) n).toList());
    Map<String, JsonNode> ours = byId(Kustomize.build(Yaml.DEPLOY.resolve(dir)));
    assertThat(ours.keySet()).isEqualTo(theirs.keySet());
    for (String id : ours.keySet()) {
      assertThat(ours.get(id)).as(id + " differs at " + diff(ours.get(id), theirs.get(id), "")).isEqualTo(theirs.get(id));
    }
  }

  @Test
  void refusesKustomizationFieldsItDoesNotImplement() throws Exception {
    Files.writeString(tmp.resolve("kustomization.yaml"), "resources: []\nreplicas:\n  - {name: x, count: 2}\n");
    assertThatThrownBy(() -> Kustomize.build(tmp)).hasMessageContaining("kustomization field 'replicas' is not supported");
  }

  @Test
  void refusesGeneratorFilesOutsideTheKustomizationAsKustomizeDoes() throws Exception {
    Path k = Files.createDirectories(tmp.resolve("k"));
    Files.writeString(tmp.resolve("outside.yaml"), "a: 1\n");
    Files.writeString(k.resolve("kustomization.yaml"), "configMapGenerator:\n  - name: c\n    files: [../outside.yaml]\n");
    assertThatThrownBy(() -> Kustomize.build(k)).hasMessageContaining("outside the kustomization directory");
  }

  @Test
  void aPatchForAMissingResourceIsAnError() throws Exception {
    Files.writeString(tmp.resolve("kustomization.yaml"), "resources: []\npatches:\n  - path: p.yaml\n");
    Files.writeString(tmp.resolve("p.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nope}\n");
    assertThatThrownBy(() -> Kustomize.build(tmp)).hasMessageContaining("Deployment/nope matches no resource");
  }

  /** The first path at which two trees differ, with both values. */
  static String diff(JsonNode a, JsonNode b, String path) {
    if (a.equals(b)) {
      return null;
    }
    if (a.isObject() && b.isObject()) {
      Set<String> keys = new java.util.TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        String d = diff(a.path(k), b.path(k), path + "." + k);
        if (d != null) {
          return d;
        }
      }
    }
    if (a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        String d = diff(a.get(i), b.get(i), path + "[" + i + "]");
        if (d != null) {
          return d;
        }
      }
    }
    return path + ": ours " + a + ", kustomize " + b;
  }

  private static Map<String, JsonNode> byId(List<ObjectNode> objects) {
    Set<String> generated = new HashSet<>();
    for (ObjectNode o : objects) {
      String name = o.path("metadata").path("name").asText();
      if (name.matches(".*-[a-z0-9]{10}") && Set.of("ConfigMap", "Secret").contains(o.path("kind").asText())) {
        generated.add(name.substring(0, name.length() - 11));
      }
    }
    Map<String, JsonNode> out = new TreeMap<>();
    for (ObjectNode o : objects) {
      JsonNode n = Kustomize.withoutHashes(o, generated);
      out.put(Rendered.id(n), n);
    }
    return out;
  }
}
