package io.ssmd.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The egress a pod is allowed by the NetworkPolicies that select it (default deny otherwise). */
final class Egress {
  private static final Pattern SERVICE = Pattern.compile("[a-z0-9-]+\\.([a-z0-9-]+)\\.svc(\\.cluster\\.local)?");
  private final List<JsonNode> rules;

  private Egress(List<JsonNode> rules) {
    this.rules = rules;
  }

  static Egress of(Rendered r, JsonNode workload) {
    List<JsonNode> rules = new ArrayList<>();
    for (JsonNode np : r.ofKind("NetworkPolicy")) {
      boolean egressPolicy = np.path("spec").path("policyTypes").toString().contains("Egress");
      if (egressPolicy && Rendered.matches(np.path("spec").path("podSelector"), Rendered.podLabels(workload))) {
        np.path("spec").path("egress").forEach(rules::add);
      }
    }
    return new Egress(rules);
  }

  /** In-cluster Service DNS names ({@code svc.ns.svc}) by namespace, anything else as an external address. */
  boolean allows(String host, int port) {
    Matcher m = SERVICE.matcher(host);
    if (m.matches()) {
      return allowsNamespace(m.group(1), port, "TCP");
    }
    for (JsonNode rule : rules) {
      if (portAllowed(rule, port, "TCP")) {
        for (JsonNode peer : rule.path("to")) {
          if (peer.path("ipBlock").path("cidr").asText().equals("0.0.0.0/0")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  boolean allowsNamespace(String namespace, int port, String protocol) {
    for (JsonNode rule : rules) {
      if (!portAllowed(rule, port, protocol)) {
        continue;
      }
      if (rule.path("to").isEmpty()) {
        return true;
      }
      for (JsonNode peer : rule.path("to")) {
        if (namespace.equals(peer.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asText())) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean portAllowed(JsonNode rule, int port, String protocol) {
    if (rule.path("ports").isEmpty()) {
      return true;
    }
    for (JsonNode p : rule.path("ports")) {
      if (p.path("port").asInt() == port && p.path("protocol").asText("TCP").equals(protocol)) {
        return true;
      }
    }
    return false;
  }
}
