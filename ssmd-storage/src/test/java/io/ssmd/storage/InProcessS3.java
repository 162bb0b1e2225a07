package io.ssmd.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.http.HttpResponse;
import org.jclouds.http.HttpResponseException;

/**
 * An S3 server in this JVM: s3proxy over jclouds' in-memory {@code transient} blob store, on a free
 * loopback port, with AWS v2/v4 authentication. Faults can be armed per key to play a misbehaving
 * server: store a truncated or altered copy of the bytes it received, or answer 503 a number of times.
 */
final class InProcessS3 implements AutoCloseable {
  static final String ACCESS_KEY = "ssmd-test-access";
  static final String SECRET_KEY = "ssmd-test-secret-0123456789";

  /** What the server does wrong for one key. */
  enum Fault { TRUNCATE, FLIP_BYTE }

  private final BlobStoreContext context;
  private final FaultyBlobStore blobStore;
  private final S3Proxy proxy;
  private final URI endpoint;

  InProcessS3() throws Exception {
    context = ContextBuilder.newBuilder("transient")
        .credentials("unused", "unused")
        .build(BlobStoreContext.class);
    blobStore = new FaultyBlobStore(context.getBlobStore());
    proxy = S3Proxy.builder()
        .blobStore(blobStore)
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  URI endpoint() {
    return endpoint;
  }

  S3Options options(String bucket) {
    return S3Options.pathStyle(endpoint, bucket, ACCESS_KEY, SECRET_KEY);
  }

  /** Creates a bucket directly in the backing store. */
  void createBucket(String bucket) {
    context.getBlobStore().createContainerInLocation(null, bucket);
  }

  /** Makes the server mangle what it stores under {@code key} from now on. */
  void arm(String key, Fault fault) {
    blobStore.faults.put(key, fault);
  }

  /** Makes the next {@code times} writes of {@code key} fail with HTTP 503. */
  void failWrites(String key, int times) {
    blobStore.unavailable.put(key, new AtomicInteger(times));
  }

  /** Writes of {@code key} in {@code bucket} that reached the store (mangled or not). */
  int writesOf(String bucket, String key) {
    AtomicInteger n = blobStore.writes.get(bucket + "/" + key);
    return n == null ? 0 : n.get();
  }

  /** Replaces an object's bytes directly in the backing store, keeping the given metadata. */
  void overwrite(String bucket, String key, byte[] content, Map<String, String> userMetadata) {
    BlobStore raw = context.getBlobStore();
    raw.putBlob(bucket, raw.blobBuilder(key).payload(content).contentLength(content.length)
        .userMetadata(userMetadata).build());
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } finally {
      context.close();
    }
  }

  private static final class FaultyBlobStore extends ForwardingBlobStore {
    final Map<String, Fault> faults = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> unavailable = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();

    FaultyBlobStore(BlobStore delegate) {
      super(delegate);
    }

    @Override
    public String putBlob(String container, Blob blob) {
      return putBlob(container, blob, PutOptions.NONE);
    }

    @Override
    public String putBlob(String container, Blob blob, PutOptions options) {
      String key = blob.getMetadata().getName();
      AtomicInteger failures = unavailable.get(key);
      if (failures != null && failures.getAndDecrement() > 0) {
        throw new HttpResponseException("injected 503 for " + key, null,
            HttpResponse.builder().statusCode(503).message("Service Unavailable").build());
      }
      writes.computeIfAbsent(container + "/" + key, k -> new AtomicInteger()).incrementAndGet();
      Fault fault = faults.get(key);
      if (fault == null) {
        return delegate().putBlob(container, blob, options);
      }
      byte[] bytes;
      try (InputStream in = blob.getPayload().openStream()) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      byte[] mangled = switch (fault) {
        case TRUNCATE -> java.util.Arrays.copyOf(bytes, bytes.length / 2);
        case FLIP_BYTE -> {
          byte[] copy = bytes.clone();
          copy[copy.length / 2] ^= 0x5a;
          yield copy;
        }
      };
      Blob replaced = delegate().blobBuilder(key)
          .payload(mangled)
          .contentLength(mangled.length)
          .userMetadata(blob.getMetadata().getUserMetadata())
          .build();
      return delegate().putBlob(container, replaced, options);
    }
  }
}
