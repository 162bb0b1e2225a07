package io.ssmd.agent;

import io.ssmd.config.ConfigException;
import io.ssmd.config.ConfigException.Problem;
import io.ssmd.config.Durations;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Loads a signals file, strictly:
 *
 * <pre>
 * signals:
 *   - name: btc_move            # [A-Za-z0-9_-], unique
 *     kind: price_move          # price_move | spread_above | volume_spike | book_imbalance | stale_feed | java
 *     symbols: [kraken:BTC/USD] # [feed:]symbol or glob; a single string is one entry
 *     cooldown: 30s             # optional, default 0s
 *     max_symbols: 10000        # optional
 *     window: 10s               # the kind's own keys
 *     threshold: 0.01
 *   - name: mine
 *     kind: java
 *     class: com.example.MySignal
 *     symbols: ["*"]
 *     params: {k: v}            # strings handed to the signal
 * </pre>
 *
 * Every problem (unknown key, wrong type, missing key, invalid value, unknown kind or class) is
 * reported at once as a {@link ConfigException} whose lines read {@code file:line:col: key.path: what is expected}.
 */
public final class SignalsFile {
  private static final List<String> TOP_KEYS = List.of("signals");
  private static final List<String> JAVA_KEYS = List.of("class", "params");

  private final String file;
  private final List<Problem> problems = new ArrayList<>();

  private SignalsFile(String file) {
    this.file = file;
  }

  /** Reads and validates the file. */
  public static List<SignalDefinition> load(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(path + ": no such signals file (give --signals the path of a YAML file, e.g. exchanges/signals/example.yaml)");
    } catch (IOException e) {
      throw new ConfigException(path + ": cannot read the signals file: " + e.getMessage());
    }
    return parse(path.toString(), text);
  }

  /** Parses and validates YAML text; {@code file} names it in errors. */
  public static List<SignalDefinition> parse(String file, String text) {
    return new SignalsFile(file).read(new StringReader(text));
  }

  private List<SignalDefinition> read(Reader reader) {
    Node root;
    try {
      LoaderOptions lo = new LoaderOptions();
      lo.setAllowDuplicateKeys(false);
      root = new Yaml(lo).compose(reader);
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark();
      throw new ConfigException(List.of(Problem.invalid("", "not valid YAML: " + e.getProblem())
          .at(file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1)));
    } catch (RuntimeException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
    }
    if (root == null) {
      throw new ConfigException(file + ": empty signals file; expected a top-level 'signals:' list");
    }
    if (!(root instanceof MappingNode top)) {
      throw fail(root, "", "expected a mapping with a 'signals' list, got " + describe(root));
    }
    SequenceNode list = null;
    for (NodeTuple t : top.getValue()) {
      String key = scalar(t.getKeyNode());
      if (!TOP_KEYS.contains(key)) {
        problem(t.getKeyNode(), key, "unknown key '" + key + "' (expected: signals)");
      } else if (t.getValueNode() instanceof SequenceNode s) {
        list = s;
      } else {
        problem(t.getValueNode(), "signals", "expected a list of signal declarations, got " + describe(t.getValueNode()));
      }
    }
    List<SignalDefinition> out = new ArrayList<>();
    if (list == null) {
      if (problems.isEmpty()) {
        problem(root, "signals", "missing required key 'signals' (a list of signal declarations)");
      }
    } else if (list.getValue().isEmpty()) {
      problem(list, "signals", "expected at least one signal declaration");
    } else {
      Set<String> names = new HashSet<>();
      for (int i = 0; i < list.getValue().size(); i++) {
        SignalDefinition d = signal(list.getValue().get(i), "signals[" + i + "]");
        if (d != null) {
          if (!names.add(d.name())) {
            problem(list.getValue().get(i), "signals[" + i + "].name", "duplicate signal name '" + d.name() + "' (names must be unique)");
          } else {
            out.add(d);
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return List.copyOf(out);
  }

  private SignalDefinition signal(Node node, String path) {
    if (!(node instanceof MappingNode m)) {
      problem(node, path, "expected a mapping {name, kind, symbols, ...}, got " + describe(node));
      return null;
    }
    Map<String, NodeTuple> keys = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      String k = scalar(t.getKeyNode());
      if (keys.putIfAbsent(k, t) != null) {
        // the node API does not enforce the loader's no-duplicates rule; a repeated key would silently win
        problem(t.getKeyNode(), path + "." + k, "duplicate key '" + k + "'");
      }
    }
    int before = problems.size();
    String kind = text(keys.get("kind"), path + ".kind");
    if (kind == null && !keys.containsKey("kind")) {
      problem(node, path + ".kind", "missing required key 'kind' (one of " + String.join(", ", SignalKinds.names()) + ")");
    }
    List<String> allowed = new ArrayList<>(SignalKinds.COMMON_KEYS);
    if (kind != null) {
      SignalKinds.Kind k = SignalKinds.BUILT_IN.get(kind);
      if (k != null) {
        allowed.addAll(k.keys());
      } else if (SignalKinds.JAVA.equals(kind)) {
        allowed.addAll(JAVA_KEYS);
      } else {
        problem(keys.get("kind").getValueNode(), path + ".kind",
            "unknown kind '" + kind + "' (expected one of " + String.join(", ", SignalKinds.names()) + ")");
        return null;
      }
    }
    Map<String, Node> where = new HashMap<>();
    Map<String, String> params = new LinkedHashMap<>();
    for (Map.Entry<String, NodeTuple> e : keys.entrySet()) {
      String key = e.getKey();
      where.put(key, e.getValue().getValueNode());
      if (!allowed.contains(key)) {
        problem(e.getValue().getKeyNode(), path + "." + key, "unknown key '" + key + "'" + (kind == null ? ""
            : " for kind " + kind) + " (expected one of " + String.join(", ", allowed) + ")");
        continue;
      }
      if (SignalKinds.COMMON_KEYS.contains(key) || key.equals("class")) {
        continue;
      }
      if (key.equals("params")) {
        Node v = e.getValue().getValueNode();
        if (v instanceof MappingNode pm) {
          for (NodeTuple t : pm.getValue()) {
            String pk = scalar(t.getKeyNode());
            String pv = text(t, path + ".params." + pk);
            where.putIfAbsent(pk, t.getValueNode());
            if (pv != null) {
              params.put(pk, pv);
            }
          }
        } else {
          problem(v, path + ".params", "expected a mapping of strings, got " + describe(v));
        }
        continue;
      }
      String v = text(e.getValue(), path + "." + key);
      if (v != null) {
        params.put(key, v);
      }
    }
    String name = text(keys.get("name"), path + ".name");
    if (!keys.containsKey("name")) {
      problem(node, path + ".name", "missing required key 'name'");
    }
    List<String> symbols = symbols(keys.get("symbols"), path + ".symbols");
    if (!keys.containsKey("symbols")) {
      problem(node, path + ".symbols", "missing required key 'symbols' (e.g. [\"kraken:BTC/USD\"] or [\"*\"])");
    }
    Duration cooldown = Duration.ZERO;
    String cd = text(keys.get("cooldown"), path + ".cooldown");
    if (cd != null) {
      try {
        cooldown = Durations.parse(cd);
      } catch (IllegalArgumentException ex) {
        problem(keys.get("cooldown").getValueNode(), path + ".cooldown", ex.getMessage());
      }
    }
    int maxSymbols = SignalDefinition.DEFAULT_MAX_SYMBOLS;
    String ms = text(keys.get("max_symbols"), path + ".max_symbols");
    if (ms != null) {
      try {
        maxSymbols = Integer.parseInt(ms.strip());
      } catch (NumberFormatException ex) {
        problem(keys.get("max_symbols").getValueNode(), path + ".max_symbols", "expected a whole number >= 1, got \"" + ms + "\"");
      }
    }
    String javaClass = text(keys.get("class"), path + ".class");
    if (problems.size() > before) {
      return null;
    }
    SymbolFilter filter;
    try {
      filter = SymbolFilter.of(symbols);
    } catch (IllegalArgumentException ex) {
      problem(keys.get("symbols").getValueNode(), path + ".symbols", ex.getMessage());
      return null;
    }
    try {
      SignalDefinition d = new SignalDefinition(name, kind, filter, cooldown, maxSymbols, javaClass, params);
      SignalEngine.validate(d);
      return d;
    } catch (ParamException ex) {
      Node at = where.getOrDefault(ex.key(), node);
      boolean own = keys.containsKey(ex.key()) || SignalKinds.COMMON_KEYS.contains(ex.key()) || JAVA_KEYS.contains(ex.key());
      String keyPath = own || !SignalKinds.JAVA.equals(kind) ? path + "." + ex.key() : path + ".params." + ex.key();
      problem(at, keyPath, ex.getMessage().substring(ex.key().length() + 2));
      return null;
    } catch (IllegalArgumentException ex) {
      problem(node, path, ex.getMessage());
      return null;
    }
  }

  private List<String> symbols(NodeTuple t, String path) {
    if (t == null) {
      return null;
    }
    Node v = t.getValueNode();
    if (v instanceof ScalarNode s) {
      return List.of(s.getValue());
    }
    if (v instanceof SequenceNode seq) {
      List<String> out = new ArrayList<>();
      for (Node n : seq.getValue()) {
        if (n instanceof ScalarNode s) {
          out.add(s.getValue());
        } else {
          problem(n, path, "expected a symbol string, got " + describe(n));
        }
      }
      return out;
    }
    problem(v, path, "expected a symbol or a list of symbols, got " + describe(v));
    return null;
  }

  /** A scalar value as text, or null (with a problem) when it is not a scalar. */
  private String text(NodeTuple t, String path) {
    if (t == null) {
      return null;
    }
    Node v = t.getValueNode();
    if (v instanceof ScalarNode s) {
      if (s.getValue().isEmpty() && s.getTag().getValue().endsWith(":null")) {
        problem(v, path, "expected a value, got nothing");
        return null;
      }
      return s.getValue();
    }
    problem(v, path, "expected a single value, got " + describe(v));
    return null;
  }

  private static String scalar(Node n) {
    return n instanceof ScalarNode s ? s.getValue() : String.valueOf(n);
  }

  private static String describe(Node n) {
    return switch (n) {
      case MappingNode m -> "a mapping";
      case SequenceNode s -> "a list";
      case ScalarNode s -> "\"" + s.getValue() + "\"";
      default -> n.getNodeId().toString();
    };
  }

  private void problem(Node at, String keyPath, String what) {
    Mark m = at.getStartMark();
    problems.add(Problem.invalid(keyPath, what).at(file, m.getLine() + 1, m.getColumn() + 1));
  }

  private ConfigException fail(Node at, String keyPath, String what) {
    problem(at, keyPath, what);
    return new ConfigException(problems);
  }
}
