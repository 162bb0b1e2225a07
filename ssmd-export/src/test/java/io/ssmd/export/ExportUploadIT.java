package io.ssmd.export;

import static io.ssmd.export.ParquetExporterIT.DATE;
import static io.ssmd.export.ParquetExporterIT.FEED;
import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.storage.LocalObjectStore;
import io.ssmd.storage.ObjectStore;
import io.ssmd.storage.S3ObjectStore;
import io.ssmd.storage.S3Options;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Upload of an export to the normalized bucket: a local store and an S3 server running in this JVM (s3proxy). */
@Timeout(90)
class ExportUploadIT {
  private static final String ACCESS = "ssmd-export-test";
  private static final String SECRET = "ssmd-export-test-secret-0123456789";

  @TempDir Path tmp;

  @Test
  void uploadsEveryFileAndThenTheManifestToALocalBucket() throws Exception {
    try (LocalObjectStore store = new LocalObjectStore(tmp.resolve("normalized"))) {
      exportAndCheckUpload(store);
    }
  }

  @Test
  void uploadsEveryFileAndThenTheManifestToAnS3Bucket() throws Exception {
    BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("unused", "unused").build(BlobStoreContext.class);
    S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
    proxy.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
      try (S3ObjectStore store = new S3ObjectStore(S3Options.pathStyle(endpoint, "normalized", ACCESS, SECRET))) {
        store.ensureBucket();
        exportAndCheckUpload(store);
      }
    } finally {
      proxy.stop();
      context.close();
    }
  }

  private void exportAndCheckUpload(ObjectStore store) throws Exception {
    Path root = tmp.resolve("archive");
    if (!Files.exists(root)) {
      ParquetExporterIT.writeMixedDay(root);
    }
    ExportManifest m = new ParquetExporter(Map.of(FEED, new TestNormalizer(FEED)), store).export(root, FEED, DATE, tmp.resolve("export"));

    String prefix = FEED + "/" + DATE + "/";
    assertThat(store.list(prefix)).extracting(o -> o.key().substring(prefix.length()))
        .containsExactlyInAnyOrder("book_delta.parquet", "book_snapshot.parquet", "export-manifest.json", "lifecycle.parquet", "quote.parquet",
            "trade.parquet");
    for (ExportManifest.OutputFile f : m.files()) {
      assertThat(store.head(prefix + f.name())).hasValueSatisfying(o -> assertThat(o.size()).isEqualTo(f.bytes()));
    }
    Path fetched = tmp.resolve("fetched-manifest.json");
    try (var in = store.get(prefix + ExportManifest.FILE_NAME)) {
      Files.copy(in, fetched, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    assertThat(ExportManifest.read(fetched)).isEqualTo(m);
  }
}
