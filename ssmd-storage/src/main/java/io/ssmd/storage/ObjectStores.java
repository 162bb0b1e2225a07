package io.ssmd.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens an {@link ObjectStore} from plain configuration values, so the CLI and deployables can map
 * {@code storage {type, path | endpoint, buckets {...}}} onto a store without knowing the classes.
 */
public final class ObjectStores {
  private ObjectStores() {}

  /** The storage types accepted by {@link #open}. */
  public static final List<String> TYPES = List.of("local", "s3");

  /**
   * Opens one bucket.
   *
   * <ul>
   *   <li>{@code local}: {@code location} is a directory; the bucket, when given, is a subdirectory of it
   *       (so {@code raw} and {@code normalized} do not mix), otherwise the directory itself is the store.
   *   <li>{@code s3}: {@code location} is the endpoint URL; bucket, access key and secret key are required;
   *       a blank region means {@value S3Options#DEFAULT_REGION}.
   * </ul>
   *
   * @param bucketSetting the configuration key the bucket came from (e.g. {@code storage.buckets.raw}),
   *                      named in errors about the bucket
   * @throws IllegalArgumentException listing every problem with the values
   */
  public static ObjectStore open(String type, String location, String bucket, String bucketSetting, String region,
      String accessKey, String secretKey, boolean pathStyle) {
    String t = type == null ? "" : type.strip().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "local" -> {
        if (location == null || location.isBlank()) {
          throw new IllegalArgumentException("storage path is missing: give the directory for type local");
        }
        Path root = Path.of(location);
        yield local(bucket == null || bucket.isBlank() ? root : root.resolve(bucket));
      }
      case "s3" -> s3(s3Options(location, region, bucket, accessKey, secretKey, pathStyle), bucketSetting);
      default -> throw new IllegalArgumentException(
          "storage type '" + type + "' is not supported; use one of " + TYPES);
    };
  }

  /** A store in a local directory (created if missing). */
  public static LocalObjectStore local(Path root) {
    return new LocalObjectStore(root);
  }

  /** A store in an S3-compatible bucket. */
  public static S3ObjectStore s3(S3Options options, String bucketSetting) {
    return new S3ObjectStore(options, bucketSetting == null || bucketSetting.isBlank() ? "the storage bucket setting" : bucketSetting);
  }

  /** Builds {@link S3Options} from strings, reporting a malformed endpoint together with any other problem. */
  public static S3Options s3Options(String endpoint, String region, String bucket, String accessKey, String secretKey,
      boolean pathStyle) {
    URI uri = null;
    List<String> problems = new ArrayList<>();
    if (endpoint == null || endpoint.isBlank()) {
      problems.add("endpoint is missing: give the S3 API URL, e.g. http://localhost:3900");
    } else {
      try {
        uri = new URI(endpoint.strip());
      } catch (URISyntaxException e) {
        problems.add("endpoint '" + endpoint + "' is not a URL: " + e.getReason());
      }
    }
    if (problems.isEmpty()) {
      return new S3Options(uri, region, bucket, accessKey, secretKey, pathStyle);
    }
    try {
      // let the record report its own problems alongside the endpoint's
      new S3Options(URI.create("http://placeholder"), region, bucket, accessKey, secretKey, pathStyle);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage().replaceFirst("^invalid S3 storage settings: ", ""));
    }
    throw new IllegalArgumentException("invalid S3 storage settings: " + String.join("; ", problems));
  }
}
