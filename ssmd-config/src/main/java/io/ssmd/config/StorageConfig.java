package io.ssmd.config;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where archives are written ({@code storage}). Defaults are filled only for the keys the chosen
 * type uses, so a key given for the other type is reported instead of silently ignored.
 *
 * @param type {@code local} or {@code s3}
 * @param path archive root directory ({@code local} only)
 * @param endpoint S3 endpoint ({@code s3} only, required)
 * @param region S3 region ({@code s3} only)
 * @param buckets S3 buckets ({@code s3} only)
 * @param credentials name of the {@code s3_credentials} key in {@code keys} ({@code s3} only, required)
 */
public record StorageConfig(StorageType type, Path path, URI endpoint, String region, Buckets buckets, String credentials) {
  /** Local storage under {@code ./data}. */
  public static final StorageConfig DEFAULTS = new StorageConfig(null, null, null, null, null, null);

  public StorageConfig {
    type = ConfigKeys.STORAGE_TYPE.orDefault(type);
    if (type == StorageType.LOCAL) {
      path = ConfigKeys.STORAGE_PATH.orDefault(path);
    } else {
      region = ConfigKeys.STORAGE_REGION.orDefault(region);
      buckets = buckets != null ? buckets : Buckets.DEFAULTS;
    }
  }

  void validate(Problems p) {
    if (type == StorageType.LOCAL) {
      String when = p.path("type") + " is s3";
      p.unused("endpoint", endpoint, when);
      p.unused("region", region, when);
      p.unused("buckets", buckets, when);
      p.unused("credentials", credentials, when);
    } else {
      String when = p.path("type") + " is local";
      p.unused("path", path, when);
      if (endpoint == null) {
        p.missing("endpoint", "required when " + p.path("type") + " is s3");
      }
      Checks.uri(p, "endpoint", endpoint, "http", "https");
      if (region.isBlank()) {
        p.invalid("region", "expected a region such as us-east-1");
      }
      buckets.validate(p.at("buckets"));
      if (credentials == null) {
        p.missing("credentials", "required when " + p.path("type") + " is s3: the name of a key of type s3_credentials");
      }
    }
  }
}
