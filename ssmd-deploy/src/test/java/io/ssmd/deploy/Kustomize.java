package io.ssmd.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kustomize renderer for the subset deploy/ uses (there is no kustomize binary in the build):
 * {@code resources} (files and kustomization directories), {@code namespace}, {@code labels}
 * (pairs, includeSelectors, includeTemplates), {@code images} (newName, newTag), {@code patches}
 * (strategic merge, by apiVersion/kind/name), {@code configMapGenerator} and {@code
 * secretGenerator} (files, literals, behavior create/replace/merge, options) with hash-suffixed
 * names whose references in pod templates are rewritten. A kustomization field outside this subset
 * is an error, so the renderer never silently ignores something kustomize would apply.
 *
 * <p>Hash suffixes are this renderer's own (a SHA-256 of the generated object), not
 * kustomize's: tests compare them only with {@link #withoutHashes}.
 */
final class Kustomize {
  static final ObjectMapper YAML = Yaml.MAPPER;
  private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "namespace", "labels", "resources", "images",
      "patches", "configMapGenerator", "secretGenerator");
  /** Strategic-merge keys of the list fields deploy/ patches (k8s.io/api patchMergeKey). */
  private static final Map<String, String> MERGE_KEYS = Map.of(
      "containers", "name", "initContainers", "name", "env", "name", "volumes", "name", "volumeMounts", "mountPath",
      "ports", "containerPort", "imagePullSecrets", "name");

  private Kustomize() {}

  /** The rendered objects of the kustomization in {@code dir}, in output order. */
  static List<ObjectNode> build(Path dir) {
    Result r = buildTree(dir.toAbsolutePath().normalize(), true);
    return r.objects();
  }

  private record Generated(String kind, String baseName, String hashedName) {}

  private record Result(List<ObjectNode> objects, Map<String, Generated> generated) {}

  private static Result buildTree(Path dir, boolean top) {
    Path file = dir.resolve("kustomization.yaml");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(dir + ": no kustomization.yaml");
    }
    ObjectNode k = (ObjectNode) read(file).getFirst();
    for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!SUPPORTED.contains(f)) {
        throw new IllegalArgumentException(file + ": kustomization field '" + f + "' is not supported by this renderer");
      }
    }
    List<ObjectNode> objects = new ArrayList<>();
    Map<String, Generated> generated = new LinkedHashMap<>();
    for (JsonNode res : k.path("resources")) {
      Path p = dir.resolve(res.asText()).normalize();
      if (Files.isDirectory(p)) {
        Result sub = buildTree(p, false);
        objects.addAll(sub.objects());
        generated.putAll(sub.generated());
      } else {
        for (JsonNode n : read(p)) {
          objects.add((ObjectNode) n);
        }
      }
    }
    generate(dir, k.path("configMapGenerator"), "ConfigMap", objects, generated);
    generate(dir, k.path("secretGenerator"), "Secret", objects, generated);
    for (JsonNode patch : k.path("patches")) {
      if (!patch.has("path") || patch.size() != 1) {
        throw new IllegalArgumentException(file + ": only `patches: - path: FILE` (strategic merge) is supported");
      }
      for (JsonNode p : read(dir.resolve(patch.path("path").asText()))) {
        ObjectNode target = find(objects, p.path("kind").asText(), p.path("metadata").path("name").asText())
            .orElseThrow(() -> new IllegalArgumentException(file + ": patch for " + p.path("kind").asText() + "/"
                + p.path("metadata").path("name").asText() + " matches no resource"));
        merge(target, (ObjectNode) p, "");
      }
    }
    if (k.has("namespace")) {
      String ns = k.path("namespace").asText();
      for (ObjectNode o : objects) {
        if (!o.path("kind").asText().equals("Namespace")) {
          ((ObjectNode) o.path("metadata")).put("namespace", ns);
        }
      }
    }
    for (JsonNode l : k.path("labels")) {
      applyLabels(objects, (ObjectNode) l.path("pairs"), l.path("includeSelectors").asBoolean(false),
          l.path("includeTemplates").asBoolean(false));
    }
    for (JsonNode img : k.path("images")) {
      applyImage(objects, img);
    }
    if (!top) {
      return new Result(objects, generated);
    }
    // names are hashed once, on the final objects (after every overlay's patches and labels, as
    // kustomize does), and references follow
    for (ObjectNode o : objects) {
      Generated g = generatedOf(o, generated);
      if (g != null && g.hashedName() == null) {
        String hashed = g.baseName() + "-" + hash(o);
        ((ObjectNode) o.path("metadata")).put("name", hashed);
        generated.put(g.kind() + "/" + g.baseName(), new Generated(g.kind(), g.baseName(), hashed));
      }
    }
    for (ObjectNode o : objects) {
      rewriteReferences(o, generated);
    }
    return new Result(objects, generated);
  }

  private static Generated generatedOf(ObjectNode o, Map<String, Generated> generated) {
    Generated g = generated.get(o.path("kind").asText() + "/" + o.path("metadata").path("name").asText());
    return g != null && g.hashedName() == null ? g : null;
  }

  private static void generate(Path dir, JsonNode gens, String kind, List<ObjectNode> objects, Map<String, Generated> generated) {
    for (JsonNode g : gens) {
      String name = g.path("name").asText();
      String behavior = g.path("behavior").asText("create");
      ObjectNode data = JsonNodeFactory.instance.objectNode();
      for (JsonNode f : g.path("files")) {
        String spec = f.asText();
        String key = spec.contains("=") ? spec.substring(0, spec.indexOf('=')) : Path.of(spec).getFileName().toString();
        Path src = dir.resolve(spec.contains("=") ? spec.substring(spec.indexOf('=') + 1) : spec).normalize();
        if (!src.startsWith(dir)) {
          throw new IllegalArgumentException(dir + ": " + spec + " is outside the kustomization directory; kustomize's "
              + "load restrictor refuses it");
        }
        data.put(key, readString(src));
      }
      for (JsonNode lit : g.path("literals")) {
        String s = lit.asText();
        data.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
      }
      if (kind.equals("Secret")) {
        ObjectNode enc = JsonNodeFactory.instance.objectNode();
        data.fields().forEachRemaining(e -> enc.put(e.getKey(),
            java.util.Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
        data = enc;
      }
      var existing = find(objects, kind, name);
      ObjectNode obj;
      switch (behavior) {
        case "create" -> {
          if (existing.isPresent()) {
            throw new IllegalArgumentException(dir + ": " + kind + " " + name + " already exists; use behavior merge or replace");
          }
          obj = JsonNodeFactory.instance.objectNode();
          obj.put("apiVersion", "v1");
          obj.put("kind", kind);
          obj.putObject("metadata").put("name", name);
          objects.add(obj);
        }
        case "replace", "merge" -> {
          obj = existing.orElseThrow(() -> new IllegalArgumentException(dir + ": behavior " + behavior + " for " + kind + " "
              + name + " but no such generated object in the resources"));
          if (behavior.equals("replace")) {
            obj.remove("data");
          }
        }
        default -> throw new IllegalArgumentException(dir + ": unknown generator behavior " + behavior);
      }
      ObjectNode target = obj.has("data") ? (ObjectNode) obj.get("data") : obj.putObject("data");
      target.setAll(data);
      JsonNode options = g.path("options");
      if (options.has("labels")) {
        ((ObjectNode) obj.path("metadata")).withObject("labels").setAll((ObjectNode) options.get("labels"));
      }
      boolean noHash = options.path("disableNameSuffixHash").asBoolean(false);
      if (noHash) {
        generated.remove(kind + "/" + name);
      } else {
        generated.putIfAbsent(kind + "/" + name, new Generated(kind, name, null));
      }
    }
  }

  private static java.util.Optional<ObjectNode> find(List<ObjectNode> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> o.path("kind").asText().equals(kind))
        .filter(o -> o.path("metadata").path("name").asText().equals(name))
        .findFirst();
  }

  /** Strategic merge of {@code patch} into {@code target}. */
  static void merge(ObjectNode target, ObjectNode patch, String path) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      var e = it.next();
      String key = e.getKey();
      JsonNode pv = e.getValue();
      JsonNode tv = target.get(key);
      if (pv.isNull()) {
        target.remove(key);
      } else if (pv.isObject() && tv != null && tv.isObject()) {
        merge((ObjectNode) tv, (ObjectNode) pv, path + "." + key);
      } else if (pv.isArray() && tv != null && tv.isArray() && MERGE_KEYS.containsKey(key)) {
        mergeList((ArrayNode) tv, (ArrayNode) pv, MERGE_KEYS.get(key), path + "." + key);
      } else {
        target.set(key, pv.deepCopy());
      }
    }
  }

  /**
   * Merges list items by their merge key. As kustomize (kyaml) orders them: the patch's items
   * first, in patch order (merged into the original item of the same key), then the original
   * items the patch does not name.
   */
  private static void mergeList(ArrayNode target, ArrayNode patch, String mergeKey, String path) {
    List<JsonNode> result = new ArrayList<>();
    Set<JsonNode> patchedKeys = new java.util.HashSet<>();
    for (JsonNode item : patch) {
      JsonNode keyValue = item.get(mergeKey);
      if (keyValue == null) {
        throw new IllegalArgumentException(path + ": patch list item without merge key " + mergeKey);
      }
      patchedKeys.add(keyValue);
      ObjectNode match = null;
      for (JsonNode t : target) {
        if (keyValue.equals(t.get(mergeKey))) {
          match = (ObjectNode) t;
        }
      }
      if (match == null) {
        result.add(item.deepCopy());
      } else {
        merge(match, (ObjectNode) item, path + "[" + keyValue.asText() + "]");
        result.add(match);
      }
    }
    for (JsonNode t : target) {
      if (!patchedKeys.contains(t.get(mergeKey))) {
        result.add(t);
      }
    }
    target.removeAll();
    result.forEach(target::add);
  }

  /** The pod template of a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob), or null. */
  static ObjectNode podTemplate(JsonNode o) {
    JsonNode t = switch (o.path("kind").asText()) {
      case "Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet" -> o.path("spec").path("template");
      case "CronJob" -> o.path("spec").path("jobTemplate").path("spec").path("template");
      default -> null;
    };
    return t instanceof ObjectNode on ? on : null;
  }

  private static void applyLabels(List<ObjectNode> objects, ObjectNode pairs, boolean selectors, boolean templates) {
    for (ObjectNode o : objects) {
      ((ObjectNode) o.path("metadata")).withObject("labels").setAll(pairs.deepCopy());
      ObjectNode template = podTemplate(o);
      if (templates && template != null) {
        template.withObject("metadata").withObject("labels").setAll(pairs.deepCopy());
        if (o.path("kind").asText().equals("CronJob")) {
          // kustomize labels the Job template of a CronJob as well as its pod template
          ((ObjectNode) o.path("spec").path("jobTemplate")).withObject("metadata").withObject("labels").setAll(pairs.deepCopy());
        }
      }
      if (selectors) {
        throw new IllegalArgumentException("labels with includeSelectors: true are not supported (selectors are immutable)");
      }
    }
  }

  private static void applyImage(List<ObjectNode> objects, JsonNode img) {
    String name = img.path("name").asText();
    for (ObjectNode o : objects) {
      ObjectNode t = podTemplate(o);
      if (t == null) {
        continue;
      }
      for (String list : List.of("containers", "initContainers")) {
        for (JsonNode c : t.path("spec").path(list)) {
          String image = c.path("image").asText();
          int at = image.indexOf('@');
          int colon = image.lastIndexOf(':');
          boolean tagged = colon > image.lastIndexOf('/');
          String repo = at >= 0 ? image.substring(0, at) : tagged ? image.substring(0, colon) : image;
          String ref = at >= 0 ? image.substring(at) : tagged ? image.substring(colon) : "";
          if (!repo.equals(name)) {
            continue;
          }
          String newRepo = img.has("newName") ? img.path("newName").asText() : repo;
          String newRef = img.has("digest") ? "@" + img.path("digest").asText()
              : img.has("newTag") ? ":" + img.path("newTag").asText() : ref;
          ((ObjectNode) c).put("image", newRepo + newRef);
        }
      }
    }
  }

  private static void rewriteReferences(ObjectNode o, Map<String, Generated> generated) {
    ObjectNode t = podTemplate(o);
    if (t == null) {
      return;
    }
    JsonNode spec = t.path("spec");
    for (JsonNode v : spec.path("volumes")) {
      rename(v.path("configMap"), "name", "ConfigMap", generated);
      rename(v.path("secret"), "secretName", "Secret", generated);
      for (JsonNode src : v.path("projected").path("sources")) {
        rename(src.path("configMap"), "name", "ConfigMap", generated);
        rename(src.path("secret"), "name", "Secret", generated);
      }
    }
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode c : spec.path(list)) {
        for (JsonNode e : c.path("env")) {
          rename(e.path("valueFrom").path("configMapKeyRef"), "name", "ConfigMap", generated);
          rename(e.path("valueFrom").path("secretKeyRef"), "name", "Secret", generated);
        }
        for (JsonNode e : c.path("envFrom")) {
          rename(e.path("configMapRef"), "name", "ConfigMap", generated);
          rename(e.path("secretRef"), "name", "Secret", generated);
        }
      }
    }
  }

  private static void rename(JsonNode ref, String field, String kind, Map<String, Generated> generated) {
    if (ref instanceof ObjectNode on && on.has(field)) {
      Generated g = generated.get(kind + "/" + on.get(field).asText());
      if (g != null && g.hashedName() != null) {
        on.put(field, g.hashedName());
      }
    }
  }

  private static String hash(ObjectNode o) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      ObjectNode copy = o.deepCopy();
      copy.remove("metadata");
      byte[] h = d.digest(new ObjectMapper().writeValueAsBytes(copy));
      return HexFormat.of().formatHex(h).substring(0, 10);
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A copy with generated names' hash suffixes (ours or kustomize's) replaced by {@code -HASH}. */
  static JsonNode withoutHashes(JsonNode node, Set<String> generatedNames) {
    if (node.isTextual()) {
      for (String n : generatedNames) {
        if (node.asText().matches(java.util.regex.Pattern.quote(n) + "-[a-z0-9]{10}")) {
          return TextNode.valueOf(n + "-HASH");
        }
      }
      return node;
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      node.fields().forEachRemaining(e -> copy.set(e.getKey(), withoutHashes(e.getValue(), generatedNames)));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(n -> copy.add(withoutHashes(n, generatedNames)));
      return copy;
    }
    return node;
  }

  static List<JsonNode> read(Path file) {
    try (var parser = YAML.getFactory().createParser(file.toFile())) {
      List<JsonNode> docs = new ArrayList<>();
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && !n.isNull() && !n.isMissingNode() && n.size() > 0) {
          docs.add(n);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(p + ": " + e.getMessage(), e);
    }
  }
}
