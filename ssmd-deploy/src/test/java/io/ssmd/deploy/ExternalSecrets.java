package io.ssmd.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** deploy/external-secrets.yaml: the Secrets (and their keys) an operator provides. */
final class ExternalSecrets {
  private final Map<String, List<String>> keys = new LinkedHashMap<>();
  private final Map<String, String> examples = new LinkedHashMap<>();

  ExternalSecrets() {
    JsonNode doc = Kustomize.read(Yaml.DEPLOY.resolve("external-secrets.yaml")).getFirst();
    doc.path("secrets").fields().forEachRemaining(e -> {
      List<String> k = new ArrayList<>();
      e.getValue().path("keys").forEach(x -> k.add(x.asText()));
      keys.put(e.getKey(), k);
      e.getValue().path("example").fields().forEachRemaining(x -> examples.put(e.getKey() + "/" + x.getKey(), x.getValue().asText()));
    });
  }

  /** Keys of a documented Secret, or null when it is not documented. */
  List<String> keys(String secret) {
    return keys.get(secret);
  }

  /** The documented example of a key's value, or a placeholder. */
  String value(String secret, String key) {
    return examples.getOrDefault(secret + "/" + key, PodView.SECRET);
  }

  /** Null when {@code secret}/{@code key} is documented, else what is wrong. */
  String check(String secret, String key) {
    List<String> k = keys.get(secret);
    if (k == null) {
      return "Secret " + secret + " is not in deploy/external-secrets.yaml";
    }
    return k.contains(key) ? null : "Secret " + secret + " has no documented key " + key + " (documented: " + k + ")";
  }
}
