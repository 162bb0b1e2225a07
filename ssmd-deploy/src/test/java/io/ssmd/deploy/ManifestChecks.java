package io.ssmd.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks of one render that return every problem found (rather than stopping at the first), so
 * {@link ManifestTest} asserts none and {@link ManifestChecksMutationTest} shows each one catching
 * the mistake it is for.
 */
final class ManifestChecks {
  private ManifestChecks() {}

  /** Services select pods and target ports those pods' containers expose; Ingress backends and TLS. */
  static List<String> services(Rendered r, ExternalSecrets secrets) {
    List<String> out = new ArrayList<>();
    for (ObjectNode s : r.ofKind("Service")) {
      List<ObjectNode> selected = r.workloads().stream()
          .filter(w -> Rendered.matchesMap(s.path("spec").path("selector"), Rendered.podLabels(w))).toList();
      if (selected.isEmpty()) {
        out.add(Rendered.id(s) + ": selector " + s.path("spec").path("selector") + " matches no pod template");
      }
      for (JsonNode port : s.path("spec").path("ports")) {
        JsonNode target = port.has("targetPort") ? port.get("targetPort") : port.get("port");
        for (ObjectNode w : selected) {
          if (Rendered.containers(w).stream().noneMatch(c -> ManifestTest.containerExposes(c, target))) {
            out.add(Rendered.id(s) + ": targetPort " + target.asText() + " is not a container port of " + Rendered.id(w));
          }
        }
      }
    }
    for (ObjectNode ing : r.ofKind("Ingress")) {
      Set<String> tlsHosts = new HashSet<>();
      for (JsonNode tls : ing.path("spec").path("tls")) {
        if (secrets.keys(tls.path("secretName").asText()) == null) {
          out.add(Rendered.id(ing) + ": TLS Secret " + tls.path("secretName").asText() + " is not in deploy/external-secrets.yaml");
        }
        tls.path("hosts").forEach(h -> tlsHosts.add(h.asText()));
      }
      for (JsonNode rule : ing.path("spec").path("rules")) {
        if (!tlsHosts.contains(rule.path("host").asText())) {
          out.add(Rendered.id(ing) + ": host " + rule.path("host").asText() + " is not covered by TLS");
        }
        for (JsonNode p : rule.path("http").path("paths")) {
          JsonNode svc = p.path("backend").path("service");
          ObjectNode s = r.find("Service", svc.path("name").asText()).orElse(null);
          if (s == null) {
            out.add(Rendered.id(ing) + ": backend Service " + svc.path("name").asText() + " does not exist");
            continue;
          }
          JsonNode port = svc.path("port");
          boolean found = false;
          for (JsonNode sp : s.path("spec").path("ports")) {
            found |= port.has("name") ? sp.path("name").asText().equals(port.path("name").asText())
                : sp.path("port").asInt() == port.path("number").asInt();
          }
          if (!found) {
            out.add(Rendered.id(ing) + ": backend port " + port + " is not a port of Service " + svc.path("name").asText());
          }
        }
      }
    }
    return out;
  }

  /** Probes are httpGets on declared ports: startup and liveness on /health, readiness on /ready. */
  static List<String> probes(Rendered r) {
    List<String> out = new ArrayList<>();
    for (ObjectNode w : r.workloads()) {
      boolean longRunning = !Set.of("Job", "CronJob").contains(w.path("kind").asText());
      for (JsonNode c : Rendered.containers(w)) {
        String id = Rendered.id(w) + " " + c.path("name").asText();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
          JsonNode p = c.path(probe);
          if (p.isMissingNode()) {
            if (longRunning && !probe.equals("startupProbe")) {
              out.add(id + ": no " + probe);
            }
            continue;
          }
          JsonNode port = p.path("httpGet").path("port");
          if (port.isMissingNode()) {
            out.add(id + ": " + probe + " is not an httpGet");
            continue;
          }
          if (!ManifestTest.containerExposes(c, port)) {
            out.add(id + ": " + probe + " port " + port.asText() + " is not a declared container port");
          }
          String expected = probe.equals("readinessProbe") ? "/ready" : "/health";
          if (!p.path("httpGet").path("path").asText().equals(expected)) {
            out.add(id + ": " + probe + " path " + p.path("httpGet").path("path").asText() + ", expected " + expected);
          }
        }
      }
    }
    return out;
  }

  /** Requests and limits; non-root uid; read-only root with a writable /tmp; no escalation or capabilities; seccomp. */
  static List<String> security(Rendered r) {
    List<String> out = new ArrayList<>();
    for (ObjectNode w : r.workloads()) {
      JsonNode podSec = Kustomize.podTemplate(w).path("spec").path("securityContext");
      for (JsonNode c : Rendered.containers(w)) {
        String id = Rendered.id(w) + " " + c.path("name").asText();
        JsonNode sec = c.path("securityContext");
        String seccomp = sec.path("seccompProfile").path("type").asText(podSec.path("seccompProfile").path("type").asText());
        if (!seccomp.equals("RuntimeDefault")) {
          out.add(id + ": seccompProfile is not RuntimeDefault");
        }
        for (String kind : List.of("limits", "requests")) {
          for (String res : List.of("cpu", "memory")) {
            if (c.path("resources").path(kind).path(res).asText().isEmpty()) {
              out.add(id + ": no " + kind + "." + res);
            }
          }
        }
        if (!sec.path("runAsNonRoot").asBoolean(podSec.path("runAsNonRoot").asBoolean(false))) {
          out.add(id + ": runAsNonRoot is not true");
        }
        if (sec.path("runAsUser").asLong(podSec.path("runAsUser").asLong(-1)) <= 0) {
          out.add(id + ": runAsUser is unset or root (the image's user would decide)");
        }
        if (!sec.path("readOnlyRootFilesystem").asBoolean()) {
          out.add(id + ": root filesystem is writable");
        }
        if (!sec.path("allowPrivilegeEscalation").isBoolean() || sec.path("allowPrivilegeEscalation").asBoolean()) {
          out.add(id + ": allowPrivilegeEscalation is not false");
        }
        if (!sec.path("capabilities").path("drop").toString().contains("\"ALL\"")) {
          out.add(id + ": capabilities are not dropped (drop: [ALL])");
        }
        if (!sec.path("capabilities").path("add").isMissingNode()) {
          out.add(id + ": adds capabilities " + sec.path("capabilities").path("add"));
        }
        List<String> mounts = new ArrayList<>();
        c.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
        if (!mounts.contains("/tmp")) {
          out.add(id + ": no writable /tmp on a read-only root");
        }
      }
    }
    return out;
  }

  /** Images carry a tag (or digest) and the tag is not latest. */
  static List<String> images(Rendered r) {
    List<String> out = new ArrayList<>();
    for (ObjectNode w : r.workloads()) {
      for (JsonNode c : Rendered.containers(w)) {
        String image = c.path("image").asText();
        boolean digest = image.contains("@sha256:");
        boolean tagged = image.lastIndexOf(':') > image.lastIndexOf('/');
        if (!digest && !tagged) {
          out.add(Rendered.id(w) + ": image " + image + " has no tag");
        } else if (image.endsWith(":latest")) {
          out.add(Rendered.id(w) + ": image " + image + " is :latest");
        }
      }
    }
    return out;
  }
}
