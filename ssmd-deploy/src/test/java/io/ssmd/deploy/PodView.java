package io.ssmd.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one container of a rendered workload sees: its environment (values, fieldRefs and secret
 * keys resolved the way the kubelet would), its arguments with {@code $(VAR)} expanded, and its
 * mounted files materialised under a temporary root (ConfigMap data as rendered, external Secrets
 * with their documented keys, Vault-injected files from the pod's annotations).
 */
final class PodView {
  private static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
  /** Placeholder content of secret files and variables: present, never a real secret. */
  static final String SECRET = "secret-value";

  final JsonNode workload;
  final JsonNode container;
  final String component;
  final Path root;
  final Map<String, String> env = new LinkedHashMap<>();
  final List<String> problems = new ArrayList<>();

  PodView(Rendered r, JsonNode workload, JsonNode container, ExternalSecrets secrets, Path root) {
    this.workload = workload;
    this.container = container;
    this.component = Rendered.podLabels(workload).getOrDefault("app.kubernetes.io/component", "?");
    this.root = root;
    JsonNode template = Kustomize.podTemplate(workload);
    for (JsonNode e : container.path("env")) {
      String name = e.path("name").asText();
      if (e.has("value")) {
        env.put(name, expand(e.path("value").asText()));
      } else if (e.path("valueFrom").has("fieldRef")) {
        String path = e.path("valueFrom").path("fieldRef").path("fieldPath").asText();
        // the pod ordinal label is set by the StatefulSet controller on every pod it creates
        if (path.equals("metadata.labels['apps.kubernetes.io/pod-index']") && workload.path("kind").asText().equals("StatefulSet")) {
          env.put(name, "0");
        } else {
          problems.add(name + ": fieldRef " + path + " is not available to this pod");
        }
      } else if (e.path("valueFrom").has("secretKeyRef")) {
        JsonNode ref = e.path("valueFrom").path("secretKeyRef");
        String problem = secrets.check(ref.path("name").asText(), ref.path("key").asText());
        if (problem == null) {
          env.put(name, secrets.value(ref.path("name").asText(), ref.path("key").asText()));
        } else if (!ref.path("optional").asBoolean(false)) {
          problems.add(name + ": " + problem);
        }
      } else if (e.path("valueFrom").has("configMapKeyRef")) {
        JsonNode ref = e.path("valueFrom").path("configMapKeyRef");
        JsonNode data = r.configMap(ref.path("name").asText()).orElse(null);
        if (data == null || !data.has(ref.path("key").asText())) {
          problems.add(name + ": ConfigMap " + ref.path("name").asText() + " key " + ref.path("key").asText() + " is not defined");
        } else {
          env.put(name, data.path(ref.path("key").asText()).asText());
        }
      } else {
        problems.add(name + ": neither value nor a supported valueFrom");
      }
    }
    Map<String, JsonNode> volumes = new LinkedHashMap<>();
    template.path("spec").path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
    try {
      for (JsonNode m : container.path("volumeMounts")) {
        JsonNode v = volumes.get(m.path("name").asText());
        if (v == null) {
          problems.add("volumeMount " + m.path("name").asText() + " names no volume of the pod");
          continue;
        }
        Path dir = at(m.path("mountPath").asText());
        Files.createDirectories(dir);
        if (v.has("configMap")) {
          String cm = v.path("configMap").path("name").asText();
          JsonNode data = r.configMap(cm).orElse(null);
          if (data == null) {
            problems.add("volume " + v.path("name").asText() + ": ConfigMap " + cm + " is not defined");
            continue;
          }
          var it = data.fields();
          while (it.hasNext()) {
            var e = it.next();
            Files.writeString(dir.resolve(e.getKey()), e.getValue().asText());
          }
        } else if (v.has("secret")) {
          String name = v.path("secret").path("secretName").asText();
          List<String> keys = secrets.keys(name);
          if (keys == null) {
            problems.add("volume " + v.path("name").asText() + ": Secret " + name + " is not in deploy/external-secrets.yaml");
            continue;
          }
          for (String k : keys) {
            Files.writeString(dir.resolve(k), SECRET);
          }
        }
      }
      // Vault agent injection: agent-inject-secret-<file> rendered under secret-volume-path-<file>
      JsonNode ann = template.path("metadata").path("annotations");
      if (ann.path("vault.hashicorp.com/agent-inject").asText().equals("true")) {
        var it = ann.fieldNames();
        while (it.hasNext()) {
          String a = it.next();
          if (a.startsWith("vault.hashicorp.com/agent-inject-secret-")) {
            String file = a.substring("vault.hashicorp.com/agent-inject-secret-".length());
            String dir = ann.path("vault.hashicorp.com/secret-volume-path-" + file).asText("/vault/secrets");
            Files.createDirectories(at(dir));
            Files.writeString(at(dir).resolve(file), SECRET);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code $(VAR)} expanded from variables defined earlier in the list, as the kubelet does. */
  String expand(String s) {
    Matcher m = VAR.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = env.get(m.group(1));
      if (v == null) {
        problems.add("$(" + m.group(1) + ") in \"" + s + "\" names no variable defined before it");
        v = m.group(0);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(v));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  List<String> args() {
    List<String> out = new ArrayList<>();
    container.path("command").forEach(a -> out.add(expand(a.asText())));
    container.path("args").forEach(a -> out.add(expand(a.asText())));
    return out;
  }

  /** An absolute container path under the materialised root. */
  Path at(String containerPath) {
    return root.resolve(containerPath.replaceFirst("^/+", ""));
  }

  /** Environment lookup for the CLI's SecretResolver: container paths mapped under the root. */
  String lookup(String name) {
    if (name.equals("SSMD_SECRETS_DIR")) {
      return at(env.getOrDefault(name, "/var/run/secrets/ssmd")).toString();
    }
    return env.get(name);
  }

  String describe() {
    return Rendered.id(workload) + " container " + container.path("name").asText();
  }
}
