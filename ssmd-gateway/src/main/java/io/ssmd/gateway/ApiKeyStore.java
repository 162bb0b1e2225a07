package io.ssmd.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The API keys file (YAML), read by the gateway and written by {@code ssmd gateway key add|revoke}:
 *
 * <pre>
 * keys:
 *   - name: alice
 *     hash: 9f2c…            # hex SHA-256(salt bytes + key bytes)
 *     salt: 41ab…            # hex, 16 random bytes, one per key
 *     created: 2026-11-22T10:00:00Z
 *     revoked: null          # or the time it was revoked
 *     feeds: [kalshi]        # optional; absent or empty: every feed
 * </pre>
 *
 * Keys are {@code ssmd_} followed by 32 random bytes in URL-safe base64, so a salted SHA-256 is
 * enough (no dictionary to guess from) and a check is microseconds. The key itself is shown once
 * when created and is never stored or logged. The file is re-read when its modification time
 * changes (checked at most every second), so a revocation takes effect for new connections
 * without a restart.
 */
public final class ApiKeyStore {
  /** Every generated key starts with this, so a leaked key is recognisable by secret scanners. */
  public static final String KEY_PREFIX = "ssmd_";
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          // a hex hash or salt made only of digits must stay a string when read back
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
  private static final Set<String> FIELDS = Set.of("name", "hash", "salt", "created", "revoked", "feeds");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long RECHECK_NANOS = 1_000_000_000L;

  private final Path file;
  private volatile List<ApiKey> keys;
  private volatile FileTime loadedMtime;
  private volatile long checkedAtNanos;

  private ApiKeyStore(Path file, List<ApiKey> keys, FileTime mtime) {
    this.file = file;
    this.keys = List.copyOf(keys);
    this.loadedMtime = mtime;
    this.checkedAtNanos = System.nanoTime();
  }

  /** Keys held in memory only (tests, embedding); never re-read. */
  public static ApiKeyStore of(List<ApiKey> keys) {
    return new ApiKeyStore(null, keys, null);
  }

  /**
   * Reads a keys file; a missing file is an empty store (that {@code key add} creates).
   *
   * @throws IllegalArgumentException naming the file and the entry when it is malformed
   */
  public static ApiKeyStore load(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.exists(file)) {
      return new ApiKeyStore(file, List.of(), null);
    }
    return new ApiKeyStore(file, read(file), mtime(file));
  }

  /** The keys, revoked ones included. */
  public List<ApiKey> keys() {
    reloadIfChanged();
    return keys;
  }

  /** Checks a presented key: accepted, or refused as missing, invalid or revoked. Constant-time per stored key. */
  public AuthResult authenticate(String presented) {
    if (presented == null || presented.isBlank()) {
      return new AuthResult.Refused(GatewayMetrics.Reasons.MISSING, "API key required (Authorization: Bearer <key>, X-API-Key, or {\"op\":\"auth\",\"key\":...})");
    }
    reloadIfChanged();
    byte[] key = presented.trim().getBytes(StandardCharsets.UTF_8);
    for (ApiKey k : keys) {
      byte[] expected;
      byte[] salt;
      try {
        expected = HexFormat.of().parseHex(k.hash());
        salt = HexFormat.of().parseHex(k.salt());
      } catch (IllegalArgumentException e) {
        continue; // validated at load; unreachable for a loaded file
      }
      if (MessageDigest.isEqual(expected, hash(salt, key))) {
        return k.revoked() != null
            ? new AuthResult.Refused(GatewayMetrics.Reasons.REVOKED, "API key '" + k.name() + "' was revoked at " + k.revoked())
            : new AuthResult.Accepted(k);
      }
    }
    return new AuthResult.Refused(GatewayMetrics.Reasons.INVALID, "invalid API key");
  }

  /**
   * Creates a key named {@code name}, writes the file and returns the key (shown once, stored only hashed).
   *
   * @throws IllegalArgumentException when the name is taken or blank
   */
  public synchronized String add(String name, List<String> feeds, Clock clock) {
    if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9_.@-]{1,64}")) {
      throw new IllegalArgumentException("key name must be 1-64 characters of A-Z a-z 0-9 _ . @ -, got '" + name + "'");
    }
    reloadIfChanged();
    if (keys.stream().anyMatch(k -> k.name().equals(name))) {
      throw new IllegalArgumentException("a key named '" + name + "' already exists in " + file + " (revoke it or pick another name)");
    }
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    ApiKey k = new ApiKey(name, HexFormat.of().formatHex(hash(salt, key.getBytes(StandardCharsets.UTF_8))), HexFormat.of().formatHex(salt),
        clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), null, feeds);
    List<ApiKey> next = new ArrayList<>(keys);
    next.add(k);
    save(next);
    return key;
  }

  /**
   * For embedded start-up ({@code ssmd up}): when the store holds no valid key, creates one named
   * {@code name} (every feed) and returns it so the caller can show it once; otherwise empty.
   */
  public synchronized java.util.Optional<String> addIfNone(String name, Clock clock) {
    reloadIfChanged();
    if (keys.stream().anyMatch(k -> k.revoked() == null)) {
      return java.util.Optional.empty();
    }
    java.util.Set<String> taken = new java.util.HashSet<>();
    keys.forEach(k -> taken.add(k.name()));
    String unique = name;
    for (int i = 2; taken.contains(unique); i++) {
      unique = name + "-" + i;
    }
    return java.util.Optional.of(add(unique, List.of(), clock));
  }

  /**
   * Marks the key revoked and writes the file.
   *
   * @return false when it was already revoked
   * @throws IllegalArgumentException when no key has that name
   */
  public synchronized boolean revoke(String name, Clock clock) {
    reloadIfChanged();
    List<ApiKey> next = new ArrayList<>(keys);
    for (int i = 0; i < next.size(); i++) {
      ApiKey k = next.get(i);
      if (k.name().equals(name)) {
        if (k.revoked() != null) {
          return false;
        }
        next.set(i, k.revokedAt(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        save(next);
        return true;
      }
    }
    throw new IllegalArgumentException("no key named '" + name + "' in " + (file == null ? "the key store" : file.toString()));
  }

  private void save(List<ApiKey> next) {
    if (file != null) {
      write(file, next);
      loadedMtime = mtime(file);
    }
    keys = List.copyOf(next);
  }

  private void reloadIfChanged() {
    if (file == null) {
      return;
    }
    long now = System.nanoTime();
    if (now - checkedAtNanos < RECHECK_NANOS) {
      return;
    }
    checkedAtNanos = now;
    FileTime m = Files.exists(file) ? mtime(file) : null;
    if (!Objects.equals(m, loadedMtime)) {
      keys = m == null ? List.of() : read(file);
      loadedMtime = m;
    }
  }

  static byte[] hash(byte[] salt, byte[] key) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(salt);
      d.update(key);
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private static FileTime mtime(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<ApiKey> read(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not a valid keys file (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return List.of();
    }
    if (!root.isObject() || !root.has("keys") || root.size() != 1) {
      throw new IllegalArgumentException(file + ": expected one top-level key 'keys' with a list of {name, hash, salt, created, revoked, feeds}");
    }
    JsonNode list = root.get("keys");
    if (list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException(file + ": 'keys' must be a list");
    }
    List<ApiKey> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(entry(file, i, list.get(i)));
    }
    long distinct = out.stream().map(ApiKey::name).distinct().count();
    if (distinct != out.size()) {
      throw new IllegalArgumentException(file + ": key names must be unique");
    }
    return out;
  }

  private static ApiKey entry(Path file, int i, JsonNode n) {
    String where = file + ": keys[" + i + "]";
    if (!n.isObject()) {
      throw new IllegalArgumentException(where + " must be a mapping of name, hash, salt, created, revoked, feeds");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new IllegalArgumentException(where + "." + f + " is not a known field (expected one of " + FIELDS + ")");
      }
    }
    String name = text(n, "name", where);
    String hash = text(n, "hash", where);
    String salt = text(n, "salt", where);
    try {
      if (HexFormat.of().parseHex(hash).length != 32) {
        throw new IllegalArgumentException(where + ".hash must be 64 hex characters (SHA-256)");
      }
      HexFormat.of().parseHex(salt);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith(file.toString()) ? e.getMessage() : where + ": hash and salt must be hex", e);
    }
    Instant created = instant(n.get("created"), where + ".created", false);
    Instant revoked = instant(n.get("revoked"), where + ".revoked", true);
    List<String> feeds = new ArrayList<>();
    JsonNode f = n.get("feeds");
    if (f != null && !f.isNull()) {
      if (!f.isArray()) {
        throw new IllegalArgumentException(where + ".feeds must be a list of feed names");
      }
      f.forEach(x -> feeds.add(x.asText()));
    }
    return new ApiKey(name, hash, salt, created, revoked, feeds);
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(where + "." + field + " is required (a string)");
    }
    return v.asText();
  }

  private static Instant instant(JsonNode v, String where, boolean optional) {
    if (v == null || v.isNull()) {
      if (optional) {
        return null;
      }
      throw new IllegalArgumentException(where + " is required (ISO-8601 instant, e.g. 2026-11-22T10:00:00Z)");
    }
    try {
      return Instant.parse(v.asText());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(where + " must be an ISO-8601 instant (e.g. 2026-11-22T10:00:00Z), got '" + v.asText() + "'", e);
    }
  }

  private static void write(Path file, List<ApiKey> keys) {
    ObjectNode root = YAML.createObjectNode();
    ArrayNode list = root.putArray("keys");
    for (ApiKey k : keys) {
      ObjectNode n = list.addObject();
      n.put("name", k.name());
      n.put("hash", k.hash());
      n.put("salt", k.salt());
      n.put("created", k.created().toString());
      if (k.revoked() == null) {
        n.putNull("revoked");
      } else {
        n.put("revoked", k.revoked().toString());
      }
      if (!k.feeds().isEmpty()) {
        ArrayNode f = n.putArray("feeds");
        k.feeds().forEach(f::add);
      }
    }
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      YAML.writeValue(tmp.toFile(), root);
      // atomic replace: a gateway re-reading the file never sees half of it
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
