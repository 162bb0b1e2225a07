package io.ssmd.sim.kalshi;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * Kalshi API-key signatures as the simulator checks them, and development key pairs for
 * {@code ssmd sim} / {@code ssmd up}.
 *
 * <p>Kalshi signs {@code timestamp + METHOD + path} with RSA-PSS (SHA-256, MGF1-SHA-256, salt
 * length 32 = digest length) and sends it base64 in {@code KALSHI-ACCESS-SIGNATURE}; the WebSocket
 * handshake signs {@code timestamp + "GET" + "/trade-api/ws/v2"}.
 */
public final class KalshiAuth {

  /** Header carrying the API key id (a UUID). */
  public static final String KEY_HEADER = "KALSHI-ACCESS-KEY";
  /** Header carrying the signing time, epoch milliseconds as a decimal string. */
  public static final String TIMESTAMP_HEADER = "KALSHI-ACCESS-TIMESTAMP";
  /** Header carrying the base64 RSA-PSS signature. */
  public static final String SIGNATURE_HEADER = "KALSHI-ACCESS-SIGNATURE";

  /** File holding the key id inside a dev key directory. */
  public static final String API_KEY_FILE = "api_key";
  /** File holding the PEM private key inside a dev key directory. */
  public static final String PRIVATE_KEY_FILE = "private_key";

  private static final PSSParameterSpec PSS = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

  private KalshiAuth() {}

  /** A development API key: its id and RSA key pair. {@code toString} never shows key material. */
  public record DevKey(String keyId, PrivateKey privateKey, PublicKey publicKey) {
    public DevKey {
      Objects.requireNonNull(keyId, "keyId");
      Objects.requireNonNull(privateKey, "privateKey");
      Objects.requireNonNull(publicKey, "publicKey");
    }

    @Override
    public String toString() {
      return "DevKey[keyId=" + keyId + "]";
    }
  }

  /** The message Kalshi signs: {@code timestamp + method + path} (path without query string). */
  public static String message(String timestampMillis, String method, String path) {
    int q = path.indexOf('?');
    return timestampMillis + method + (q < 0 ? path : path.substring(0, q));
  }

  /** Base64 RSA-PSS signature of {@code message}. */
  public static String sign(PrivateKey key, String message) {
    try {
      Signature s = Signature.getInstance("RSASSA-PSS");
      s.setParameter(PSS);
      s.initSign(key);
      s.update(message.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA-PSS signing failed: " + e.getClass().getSimpleName(), e);
    }
  }

  /** True when {@code base64Signature} is a valid RSA-PSS signature of {@code message} by {@code key}. */
  public static boolean verify(PublicKey key, String message, String base64Signature) {
    try {
      byte[] sig = Base64.getDecoder().decode(base64Signature.trim());
      Signature s = Signature.getInstance("RSASSA-PSS");
      s.setParameter(PSS);
      s.initVerify(key);
      s.update(message.getBytes(StandardCharsets.UTF_8));
      return s.verify(sig);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }

  /** A fresh 2048-bit RSA key pair with a random UUID key id. */
  public static DevKey generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      KeyPair kp = g.generateKeyPair();
      return new DevKey(UUID.randomUUID().toString(), kp.getPrivate(), kp.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA key generation unavailable", e);
    }
  }

  /**
   * Loads the dev key in {@code dir} ({@code api_key} and a PKCS#8 {@code private_key}) or, when
   * absent, generates one and writes it there, so {@code ssmd sim} and the connector of
   * {@code ssmd up} share credentials across restarts.
   *
   * @param pkcs1 write a new private key as PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) instead of PKCS#8
   */
  public static DevKey loadOrGenerate(Path dir, boolean pkcs1) throws IOException {
    Path keyIdFile = dir.resolve(API_KEY_FILE);
    Path pemFile = dir.resolve(PRIVATE_KEY_FILE);
    if (Files.exists(keyIdFile) && Files.exists(pemFile)) {
      String keyId = Files.readString(keyIdFile, StandardCharsets.US_ASCII).trim();
      PrivateKey pk = readPrivateKeyPem(Files.readString(pemFile, StandardCharsets.US_ASCII));
      return new DevKey(keyId, pk, publicKeyOf(pk));
    }
    DevKey key = generate();
    write(key, dir, pkcs1);
    return key;
  }

  /** Writes {@code api_key} and {@code private_key} (owner-only permissions where supported). */
  public static void write(DevKey key, Path dir, boolean pkcs1) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(API_KEY_FILE), key.keyId() + "\n", StandardCharsets.US_ASCII);
    Path pem = dir.resolve(PRIVATE_KEY_FILE);
    Files.writeString(pem, pkcs1 ? pkcs1Pem(key.privateKey()) : pkcs8Pem(key.privateKey()), StandardCharsets.US_ASCII);
    try {
      Files.setPosixFilePermissions(pem, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // non-POSIX file system: permissions are the platform's default
    }
  }

  /** PEM {@code BEGIN PRIVATE KEY} (PKCS#8), the form the JDK reads directly. */
  public static String pkcs8Pem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  /**
   * PEM {@code BEGIN RSA PRIVATE KEY} (PKCS#1), the form Kalshi's key download uses: the
   * RSAPrivateKey structure carried inside the PKCS#8 wrapper's OCTET STRING.
   */
  public static String pkcs1Pem(PrivateKey key) {
    return pem("RSA PRIVATE KEY", Der.pkcs8Payload(key.getEncoded()));
  }

  /** The public key of an RSA CRT private key (modulus and public exponent). */
  public static PublicKey publicKeyOf(PrivateKey key) {
    if (!(key instanceof RSAPrivateCrtKey crt)) {
      throw new IllegalArgumentException("not an RSA CRT private key");
    }
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot derive the RSA public key", e);
    }
  }

  /** Reads a PKCS#8 or PKCS#1 RSA private key PEM (used for dev keys written by {@link #write}). */
  static PrivateKey readPrivateKeyPem(String pem) throws IOException {
    boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(body);
    try {
      byte[] pkcs8 = pkcs1 ? Der.wrapPkcs1(der) : der;
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IOException("dev private key is not a readable RSA key");
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  private static String pem(String label, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
  }

  /** The few DER operations needed to move between PKCS#1 and PKCS#8 RSA private keys. */
  static final class Der {
    // AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }
    private static final byte[] RSA_ALGORITHM = {
      0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };

    private Der() {}

    /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 }. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
      byte[] version = {0x02, 0x01, 0x00};
      byte[] octet = tlv(0x04, pkcs1);
      byte[] body = new byte[version.length + RSA_ALGORITHM.length + octet.length];
      System.arraycopy(version, 0, body, 0, version.length);
      System.arraycopy(RSA_ALGORITHM, 0, body, version.length, RSA_ALGORITHM.length);
      System.arraycopy(octet, 0, body, version.length + RSA_ALGORITHM.length, octet.length);
      return tlv(0x30, body);
    }

    /** The OCTET STRING content of a PKCS#8 PrivateKeyInfo (the PKCS#1 RSAPrivateKey). */
    static byte[] pkcs8Payload(byte[] pkcs8) {
      int[] pos = {0};
      expectTag(pkcs8, pos, 0x30);
      readLength(pkcs8, pos);
      expectTag(pkcs8, pos, 0x02); // version
      int versionLen = readLength(pkcs8, pos);
      pos[0] += versionLen;
      expectTag(pkcs8, pos, 0x30); // algorithm
      int algorithmLen = readLength(pkcs8, pos);
      pos[0] += algorithmLen;
      expectTag(pkcs8, pos, 0x04);
      int len = readLength(pkcs8, pos);
      return Arrays.copyOfRange(pkcs8, pos[0], pos[0] + len);
    }

    static byte[] tlv(int tag, byte[] content) {
      byte[] len = lengthBytes(content.length);
      byte[] out = new byte[1 + len.length + content.length];
      out[0] = (byte) tag;
      System.arraycopy(len, 0, out, 1, len.length);
      System.arraycopy(content, 0, out, 1 + len.length, content.length);
      return out;
    }

    private static byte[] lengthBytes(int n) {
      if (n < 0x80) {
        return new byte[] {(byte) n};
      }
      byte[] mag = BigInteger.valueOf(n).toByteArray();
      int start = mag[0] == 0 ? 1 : 0;
      byte[] out = new byte[1 + mag.length - start];
      out[0] = (byte) (0x80 | (mag.length - start));
      System.arraycopy(mag, start, out, 1, mag.length - start);
      return out;
    }

    private static void expectTag(byte[] b, int[] pos, int tag) {
      if (pos[0] >= b.length || (b[pos[0]] & 0xff) != tag) {
        throw new IllegalArgumentException("unexpected DER structure");
      }
      pos[0]++;
    }

    private static int readLength(byte[] b, int[] pos) {
      int first = b[pos[0]++] & 0xff;
      if (first < 0x80) {
        return first;
      }
      int n = first & 0x7f;
      if (n == 0 || n > 3) {
        throw new IllegalArgumentException("unsupported DER length");
      }
      int len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (b[pos[0]++] & 0xff);
      }
      return len;
    }
  }
}
