package io.ssmd.agent;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The signal kinds: the built-in ones with the parameter keys each accepts, and {@code java}. Each
 * key is declared once here, next to its kind; the loader rejects any other key.
 */
public final class SignalKinds {
  /** {@code kind: java} with {@code class: <FQN>} and optional {@code params: {k: v}}. */
  public static final String JAVA = "java";

  /** Keys every declaration may have. */
  public static final List<String> COMMON_KEYS = List.of("name", "kind", "symbols", "cooldown", "max_symbols");

  /** A built-in kind: the parameter keys it accepts (beyond the common ones) and how to make one. */
  public record Kind(String name, List<String> keys, Supplier<Signal> factory, String doc) {}

  /** Built-in kinds by name, in documentation order. */
  public static final Map<String, Kind> BUILT_IN;

  static {
    Map<String, Kind> m = new LinkedHashMap<>();
    add(m, new Kind(PriceMove.KIND, PriceMove.KEYS, PriceMove::new, PriceMove.DOC));
    add(m, new Kind(SpreadAbove.KIND, SpreadAbove.KEYS, SpreadAbove::new, SpreadAbove.DOC));
    add(m, new Kind(VolumeSpike.KIND, VolumeSpike.KEYS, VolumeSpike::new, VolumeSpike.DOC));
    add(m, new Kind(BookImbalance.KIND, BookImbalance.KEYS, BookImbalance::new, BookImbalance.DOC));
    add(m, new Kind(StaleFeed.KIND, StaleFeed.KEYS, StaleFeed::new, StaleFeed.DOC));
    BUILT_IN = java.util.Collections.unmodifiableMap(m);
  }

  private SignalKinds() {}

  private static void add(Map<String, Kind> m, Kind k) {
    m.put(k.name(), k);
  }

  /** Every kind name a declaration may use. */
  public static List<String> names() {
    List<String> n = new java.util.ArrayList<>(BUILT_IN.keySet());
    n.add(JAVA);
    return n;
  }

  /**
   * A new, uninitialised signal for the declaration: a built-in kind, or the {@code java} class by
   * name (public, implementing {@link Signal}, with a public no-argument constructor).
   */
  public static Signal create(SignalDefinition d) {
    Kind k = BUILT_IN.get(d.kind());
    if (k != null) {
      return k.factory().get();
    }
    if (!JAVA.equals(d.kind())) {
      throw new ParamException("kind", "expected one of " + String.join(", ", names()) + ", got \"" + d.kind() + "\"");
    }
    String fqn = d.javaClass();
    if (fqn == null || fqn.isBlank()) {
      throw new ParamException("class", "missing required key 'class' for kind java (a fully qualified class name such as com.example.MySignal)");
    }
    Class<?> c;
    try {
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      c = Class.forName(fqn, true, cl != null ? cl : SignalKinds.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ParamException("class", "class " + fqn + " is not on the classpath (add its jar to the classpath, e.g. CLASSPATH or the launcher's lib dir)");
    }
    if (!Signal.class.isAssignableFrom(c)) {
      throw new ParamException("class", "class " + fqn + " does not implement " + Signal.class.getName());
    }
    if (!Modifier.isPublic(c.getModifiers()) || Modifier.isAbstract(c.getModifiers())) {
      throw new ParamException("class", "class " + fqn + " must be public and concrete");
    }
    try {
      Constructor<?> ctor = c.getConstructor();
      return (Signal) ctor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new ParamException("class", "class " + fqn + " needs a public no-argument constructor");
    } catch (InvocationTargetException e) {
      throw new ParamException("class", "constructor of " + fqn + " failed: " + e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new ParamException("class", "cannot instantiate " + fqn + ": " + e);
    }
  }
}
