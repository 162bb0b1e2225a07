package io.ssmd.storage;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where an S3-compatible bucket is and how to sign requests to it.
 *
 * @param endpoint  {@code http(s)://host[:port]} of the S3 API (AWS, Garage, MinIO, ...)
 * @param region    signing region; blank means {@code us-east-1} (what Garage and MinIO accept by default)
 * @param bucket    bucket name (3 to 63 characters: lower-case letters, digits, '.', '-')
 * @param accessKey access key id
 * @param secretKey secret key; never printed ({@link #toString()} redacts it)
 * @param pathStyle true for {@code http://host/bucket/key} (Garage, MinIO, s3proxy), false for
 *                  virtual-host style {@code http://bucket.host/key} (AWS)
 */
public record S3Options(URI endpoint, String region, String bucket, String accessKey, String secretKey, boolean pathStyle) {

  /** The region used when none is configured. */
  public static final String DEFAULT_REGION = "us-east-1";

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  /** Checks every field and reports all problems at once. */
  public S3Options {
    region = region == null || region.isBlank() ? DEFAULT_REGION : region.strip();
    List<String> problems = new ArrayList<>();
    if (endpoint == null) {
      problems.add("endpoint is missing: give the S3 API URL, e.g. http://localhost:3900");
    } else if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
      problems.add("endpoint " + endpoint + " must start with http:// or https://");
    } else if (endpoint.getHost() == null) {
      problems.add("endpoint " + endpoint + " has no host");
    } else if (endpoint.getPath() != null && !endpoint.getPath().isEmpty() && !"/".equals(endpoint.getPath())) {
      problems.add("endpoint " + endpoint + " must not have a path (the bucket is configured separately)");
    } else if (endpoint.getUserInfo() != null) {
      problems.add("endpoint must not contain credentials; use the access key and secret key settings");
    }
    if (bucket == null || bucket.isBlank()) {
      problems.add("bucket is missing");
    } else if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      problems.add("bucket '" + bucket + "' is not a valid S3 bucket name (3-63 characters: a-z, 0-9, '.', '-';"
          + " starts and ends with a letter or digit)");
    }
    if (accessKey == null || accessKey.isBlank()) {
      problems.add("access key is missing");
    }
    if (secretKey == null || secretKey.isBlank()) {
      problems.add("secret key is missing");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid S3 storage settings: " + String.join("; ", problems));
    }
  }

  /** Path-style options with the default region, as Garage, MinIO and s3proxy expect. */
  public static S3Options pathStyle(URI endpoint, String bucket, String accessKey, String secretKey) {
    return new S3Options(endpoint, DEFAULT_REGION, bucket, accessKey, secretKey, true);
  }

  /** The same server and credentials with another bucket (raw vs normalized). */
  public S3Options withBucket(String otherBucket) {
    return new S3Options(endpoint, region, otherBucket, accessKey, secretKey, pathStyle);
  }

  /** Redacts the secret key. */
  @Override
  public String toString() {
    return "S3Options[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", accessKey=" + accessKey
        + ", secretKey=***, pathStyle=" + pathStyle + "]";
  }
}
