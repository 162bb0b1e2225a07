package io.ssmd.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/** deploy/env-vars.yaml: the environment variables each component documents. */
final class EnvVars {
  private static final JsonNode DOC = Kustomize.read(Yaml.DEPLOY.resolve("env-vars.yaml")).getFirst();

  private EnvVars() {}

  static Set<String> documented(String component) {
    Set<String> out = new HashSet<>();
    DOC.path("components").path(component).fieldNames().forEachRemaining(out::add);
    return out;
  }

  static Set<String> components() {
    Set<String> out = new HashSet<>();
    DOC.path("components").fieldNames().forEachRemaining(out::add);
    return out;
  }
}
