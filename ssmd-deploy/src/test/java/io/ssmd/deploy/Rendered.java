package io.ssmd.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** One rendered kustomization (base or overlay) with lookups the checks share. */
record Rendered(String name, List<ObjectNode> objects) {
  /** The kustomizations users apply or that overlays build on. */
  static final List<String> DIRS = List.of("base", "overlays/prod", "overlays/staging", "overlays/vault", "monitoring");

  static Rendered of(String dir) {
    return new Rendered(dir, Kustomize.build(Yaml.DEPLOY.resolve(dir)));
  }

  static Stream<Rendered> all() {
    return DIRS.stream().map(Rendered::of);
  }

  /** Workloads (objects with a pod template). */
  List<ObjectNode> workloads() {
    return objects.stream().filter(o -> Kustomize.podTemplate(o) != null).toList();
  }

  List<ObjectNode> ofKind(String kind) {
    return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  Optional<ObjectNode> find(String kind, String name) {
    return ofKind(kind).stream().filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst();
  }

  static String id(JsonNode o) {
    return o.path("kind").asText() + "/" + o.path("metadata").path("name").asText();
  }

  static Map<String, String> labels(JsonNode labels) {
    Map<String, String> m = new LinkedHashMap<>();
    labels.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  static Map<String, String> podLabels(JsonNode workload) {
    return labels(Kustomize.podTemplate(workload).path("metadata").path("labels"));
  }

  /** Kubernetes label-selector semantics (matchLabels and matchExpressions In/NotIn/Exists/DoesNotExist). */
  static boolean matches(JsonNode selector, Map<String, String> labels) {
    for (var e : labels(selector.path("matchLabels")).entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (JsonNode x : selector.path("matchExpressions")) {
      String key = x.path("key").asText();
      List<String> values = new ArrayList<>();
      x.path("values").forEach(v -> values.add(v.asText()));
      boolean ok = switch (x.path("operator").asText()) {
        case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
        case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
        case "Exists" -> labels.containsKey(key);
        case "DoesNotExist" -> !labels.containsKey(key);
        default -> throw new IllegalArgumentException("unknown selector operator " + x.path("operator").asText());
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Selector written as a plain label map (Service spec.selector). */
  static boolean matchesMap(JsonNode selector, Map<String, String> labels) {
    for (var e : labels(selector).entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  static List<JsonNode> containers(JsonNode workload) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode spec = Kustomize.podTemplate(workload).path("spec");
    spec.path("initContainers").forEach(out::add);
    spec.path("containers").forEach(out::add);
    return out;
  }

  /** Data keys of a ConfigMap in this render, by name. */
  Optional<JsonNode> configMap(String name) {
    return find("ConfigMap", name).map(c -> c.path("data"));
  }

  @Override
  public String toString() {
    return name;
  }

  static Path deploy(String rel) {
    return Yaml.DEPLOY.resolve(rel);
  }
}
