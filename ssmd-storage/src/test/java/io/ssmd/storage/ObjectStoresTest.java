package io.ssmd.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoresTest {
  @TempDir Path tmp;

  @Test
  void opensALocalStoreWithTheBucketAsSubdirectory() {
    try (ObjectStore raw = ObjectStores.open("local", tmp.toString(), "raw", "storage.buckets.raw", null, null, null, false);
        ObjectStore root = ObjectStores.open("LOCAL", tmp.toString(), "", null, null, null, null, false)) {
      assertThat(raw).isInstanceOfSatisfying(LocalObjectStore.class, s -> assertThat(s.root()).isEqualTo(tmp.resolve("raw")));
      assertThat(raw.describe()).isEqualTo("local:" + tmp.resolve("raw"));
      assertThat(((LocalObjectStore) root).root()).isEqualTo(tmp);
    }
    assertThat(tmp.resolve("raw")).isDirectory();
  }

  @Test
  void opensAnS3StoreFromPlainValues() {
    try (ObjectStore s3 = ObjectStores.open("s3", "http://garage:3900", "ssmd-raw", "storage.buckets.raw", "garage",
        "GK123", "s3cr3t", true)) {
      assertThat(s3).isInstanceOfSatisfying(S3ObjectStore.class, s -> {
        assertThat(s.options()).isEqualTo(new S3Options(URI.create("http://garage:3900"), "garage", "ssmd-raw", "GK123",
            "s3cr3t", true));
      });
      assertThat(s3.describe()).isEqualTo("s3://ssmd-raw (http://garage:3900)").doesNotContain("s3cr3t");
    }
  }

  @Test
  void rejectsAnUnknownTypeAndMissingValuesWithEveryProblem() {
    assertThatThrownBy(() -> ObjectStores.open("gcs", "x", null, null, null, null, null, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("storage type 'gcs' is not supported; use one of [local, s3]");
    assertThatThrownBy(() -> ObjectStores.open("local", " ", null, null, null, null, null, false))
        .hasMessageContaining("storage path is missing");
    assertThatThrownBy(() -> ObjectStores.open("s3", "not a url", "B", null, null, "", "", true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid S3 storage settings: endpoint 'not a url' is not a URL")
        .hasMessageContaining("bucket 'B' is not a valid S3 bucket name")
        .hasMessageContaining("access key is missing")
        .hasMessageContaining("secret key is missing");
  }

  @Test
  void s3OptionsValidateEveryFieldAndNeverPrintTheSecret() {
    S3Options o = new S3Options(URI.create("https://s3.amazonaws.com"), " ", "ssmd-raw", "AKIA1", "very-secret", false);
    assertThat(o.region()).isEqualTo("us-east-1");
    assertThat(o.toString()).contains("AKIA1").contains("secretKey=***").doesNotContain("very-secret");
    assertThat(o.withBucket("ssmd-normalized").bucket()).isEqualTo("ssmd-normalized");

    assertThatThrownBy(() -> new S3Options(URI.create("ftp://host/path"), null, "x", "a", "very-secret", true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endpoint ftp://host/path must start with http:// or https://")
        .hasMessageContaining("bucket 'x' is not a valid S3 bucket name")
        .hasMessageNotContaining("very-secret");
    assertThatThrownBy(() -> new S3Options(URI.create("http://host:9000/bucket"), null, "abc", "a", "b", true))
        .hasMessageContaining("must not have a path");
    assertThatThrownBy(() -> new S3Options(URI.create("http://user:pw@host:9000"), null, "abc", "a", "b", true))
        .hasMessageContaining("must not contain credentials")
        .hasMessageNotContaining("pw");
  }

  @Test
  void contentTypesFollowTheKeysExtension() {
    assertThat(S3ObjectStore.contentTypeOf("k/2026-11-22/0000.jsonl.gz")).isEqualTo("application/gzip");
    assertThat(S3ObjectStore.contentTypeOf("k/2026-11-22/manifest.json")).isEqualTo("application/json");
    assertThat(S3ObjectStore.contentTypeOf("k/trade.parquet")).isEqualTo("application/vnd.apache.parquet");
    assertThat(S3ObjectStore.contentTypeOf("k/other")).isEqualTo("application/octet-stream");
  }
}
