package io.ssmd.venue.kalshi;

import io.ssmd.connector.AuthException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs Kalshi requests: {@code KALSHI-ACCESS-SIGNATURE} = base64 RSA-PSS (SHA-256, MGF1-SHA-256,
 * salt 32) over {@code timestampMillis + METHOD + path}, the path without query string. Used for
 * the WebSocket handshake and usable for REST. Reads PKCS#8 and PKCS#1 PEM keys; no error message
 * ever contains key material.
 */
public final class KalshiSigner {
  public static final String KEY_HEADER = "KALSHI-ACCESS-KEY";
  public static final String TIMESTAMP_HEADER = "KALSHI-ACCESS-TIMESTAMP";
  public static final String SIGNATURE_HEADER = "KALSHI-ACCESS-SIGNATURE";

  private static final PSSParameterSpec PSS = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

  private final String keyId;
  private final PrivateKey key;

  private KalshiSigner(String keyId, PrivateKey key) {
    this.keyId = keyId;
    this.key = key;
  }

  /**
   * @throws AuthException when the key id or key is missing or the PEM is not a readable RSA key
   */
  public static KalshiSigner of(String keyId, String privateKeyPem) {
    if (keyId == null || keyId.isBlank()) {
      throw new AuthException("Kalshi API key id is missing (set the api key of the kalshi feed)");
    }
    if (privateKeyPem == null || privateKeyPem.isBlank()) {
      throw new AuthException("Kalshi private key is missing (set the private key of the kalshi feed)");
    }
    return new KalshiSigner(keyId.trim(), readPrivateKey(privateKeyPem));
  }

  public String keyId() {
    return keyId;
  }

  /** The three auth headers for {@code method} on {@code path} (query string ignored) at {@code nowMillis}. */
  public Map<String, String> headers(String method, String path, long nowMillis) {
    int q = path.indexOf('?');
    String p = q < 0 ? path : path.substring(0, q);
    String ts = Long.toString(nowMillis);
    Map<String, String> h = new LinkedHashMap<>();
    h.put(KEY_HEADER, keyId);
    h.put(TIMESTAMP_HEADER, ts);
    h.put(SIGNATURE_HEADER, sign(ts + method + p));
    return h;
  }

  String sign(String message) {
    try {
      Signature s = Signature.getInstance("RSASSA-PSS");
      s.setParameter(PSS);
      s.initSign(key);
      s.update(message.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new AuthException("Kalshi request signing failed (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * Reads an RSA private key PEM. PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, the form Kalshi hands
   * out) is wrapped into a PKCS#8 PrivateKeyInfo, the only encoding the JDK's KeyFactory reads.
   */
  static PrivateKey readPrivateKey(String pem) {
    String text = pem.trim();
    boolean pkcs1;
    if (text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
      pkcs1 = true;
    } else if (text.contains("-----BEGIN PRIVATE KEY-----")) {
      pkcs1 = false;
    } else if (text.contains("ENCRYPTED")) {
      throw new AuthException("Kalshi private key is encrypted; provide an unencrypted PKCS#1 or PKCS#8 PEM");
    } else {
      throw new AuthException("Kalshi private key is not a PEM RSA private key (expected BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)");
    }
    String label = pkcs1 ? "RSA PRIVATE KEY" : "PRIVATE KEY";
    int start = text.indexOf("-----BEGIN " + label + "-----") + ("-----BEGIN " + label + "-----").length();
    int end = text.indexOf("-----END " + label + "-----", start);
    if (end < 0) {
      throw new AuthException("Kalshi private key PEM has no END line");
    }
    String body = text.substring(start, end);
    if (body.contains(":")) {
      // Proc-Type / DEK-Info headers: a legacy OpenSSL-encrypted PKCS#1 key
      throw new AuthException("Kalshi private key is encrypted; provide an unencrypted PKCS#1 or PKCS#8 PEM");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new AuthException("Kalshi private key PEM is not valid base64");
    }
    byte[] pkcs8 = der;
    try {
      if (pkcs1) {
        pkcs8 = Der.wrapPkcs1(der);
      }
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new AuthException("Kalshi private key is not a readable RSA key (" + e.getClass().getSimpleName() + ")");
    } finally {
      Arrays.fill(der, (byte) 0);
      if (pkcs8 != der) {
        Arrays.fill(pkcs8, (byte) 0);
      }
    }
  }

  /** DER for PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING RSAPrivateKey } (RFC 5208). */
  static final class Der {
    // AlgorithmIdentifier { 1.2.840.113549.1.1.1 rsaEncryption, NULL }
    private static final byte[] RSA_ALGORITHM = {
      0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private Der() {}

    static byte[] wrapPkcs1(byte[] pkcs1) {
      if (pkcs1.length < 2 || pkcs1[0] != 0x30) {
        throw new IllegalArgumentException("PKCS#1 key is not a DER SEQUENCE");
      }
      byte[] octet = tlv(0x04, pkcs1);
      byte[] body = new byte[VERSION_0.length + RSA_ALGORITHM.length + octet.length];
      System.arraycopy(VERSION_0, 0, body, 0, VERSION_0.length);
      System.arraycopy(RSA_ALGORITHM, 0, body, VERSION_0.length, RSA_ALGORITHM.length);
      System.arraycopy(octet, 0, body, VERSION_0.length + RSA_ALGORITHM.length, octet.length);
      Arrays.fill(octet, (byte) 0);
      return tlv(0x30, body);
    }

    static byte[] tlv(int tag, byte[] content) {
      int n = content.length;
      byte[] len;
      if (n < 0x80) {
        len = new byte[] {(byte) n};
      } else if (n < 0x100) {
        len = new byte[] {(byte) 0x81, (byte) n};
      } else if (n < 0x10000) {
        len = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
      } else {
        len = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
      }
      byte[] out = new byte[1 + len.length + n];
      out[0] = (byte) tag;
      System.arraycopy(len, 0, out, 1, len.length);
      System.arraycopy(content, 0, out, 1 + len.length, n);
      return out;
    }
  }
}
