package io.ssmd.cli;

import io.ssmd.config.KeyMaterial;
import io.ssmd.config.KeySpec;
import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.config.SecretResolver;
import io.ssmd.config.StorageConfig;
import io.ssmd.config.StorageType;
import io.ssmd.storage.ObjectStores;
import io.ssmd.storage.S3ObjectStore;

/** Maps an environment's {@code storage} block onto object stores (buckets {@code raw} and {@code normalized}). */
final class Storage {
  private Storage() {}

  /** True when archives stay in a local directory (the archive root is the store). */
  static boolean local(ResolvedEnvironment r) {
    return r.environment().storage().type() == StorageType.LOCAL;
  }

  /** The S3 bucket store for {@code raw} or {@code normalized}; credentials from {@code keys[storage.credentials]}. */
  static S3ObjectStore s3(ResolvedEnvironment r, SecretResolver secrets, boolean raw) {
    StorageConfig s = r.environment().storage();
    String keyName = s.credentials();
    KeySpec spec = r.environment().key(keyName).orElseThrow(() -> new UsageException(
        r.environmentFile() + ": storage.credentials names key '" + keyName + "', which keys does not define"));
    KeyMaterial k = secrets.resolve(keyName, spec).orElseThrow(() -> new UsageException(
        r.environmentFile() + ": keys." + keyName + " (S3 credentials) could not be resolved from " + spec.source()));
    String bucket = raw ? s.buckets().raw() : s.buckets().normalized();
    return ObjectStores.s3(
        ObjectStores.s3Options(s.endpoint().toString(), s.region(), bucket, k.field("access_key").reveal(),
            k.field("secret_key").reveal(), true),
        raw ? "storage.buckets.raw" : "storage.buckets.normalized");
  }
}
