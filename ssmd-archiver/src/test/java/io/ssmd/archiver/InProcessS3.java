package io.ssmd.archiver;

import io.ssmd.storage.S3Options;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
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

/**
 * An S3 server in this JVM: s3proxy over jclouds' in-memory {@code transient} blob store on a
 * loopback port, with AWS v2/v4 authentication (as ssmd-storage's {@code S3ObjectStoreIT} runs it).
 * It counts the writes that reach each key, and can be {@linkplain #stop() stopped} and
 * {@linkplain #start() started} again on the same port with its objects kept, to play an S3 outage.
 * Shared with other modules' tests through this module's test-jar (the worker's DayEnd test).
 */
public final class InProcessS3 implements AutoCloseable {
  public static final String ACCESS_KEY = "ssmd-test-access";
  public static final String SECRET_KEY = "ssmd-test-secret-0123456789";

  private final BlobStoreContext context;
  private final CountingBlobStore blobStore;
  private S3Proxy proxy;
  private int port;

  public InProcessS3() throws Exception {
    context = ContextBuilder.newBuilder("transient")
        .credentials("unused", "unused")
        .build(BlobStoreContext.class);
    blobStore = new CountingBlobStore(context.getBlobStore());
    start();
  }

  /** Starts serving: on a free port the first time, on the same port afterwards. */
  public synchronized void start() throws Exception {
    if (proxy != null) {
      throw new IllegalStateException("s3proxy is running");
    }
    S3Proxy p = S3Proxy.builder()
        .blobStore(blobStore)
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    p.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!"STARTED".equals(p.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + p.getState());
      }
      Thread.sleep(10);
    }
    proxy = p;
    port = p.getPort();
  }

  /** Stops serving (connections are refused); the objects stay in the backing store. */
  public synchronized void stop() throws Exception {
    if (proxy != null) {
      proxy.stop();
      proxy = null;
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public S3Options options(String bucket) {
    return S3Options.pathStyle(endpoint(), bucket, ACCESS_KEY, SECRET_KEY);
  }

  /** Creates a bucket directly in the backing store. */
  public void createBucket(String bucket) {
    context.getBlobStore().createContainerInLocation(null, bucket);
  }

  /** Writes of {@code key} in {@code bucket} that reached the store. */
  public int writesOf(String bucket, String key) {
    AtomicInteger n = blobStore.writes.get(bucket + "/" + key);
    return n == null ? 0 : n.get();
  }

  /** Every key written in {@code bucket}, with its number of writes. */
  public Map<String, Integer> writes(String bucket) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    blobStore.writes.forEach((k, v) -> {
      if (k.startsWith(bucket + "/")) {
        out.put(k.substring(bucket.length() + 1), v.get());
      }
    });
    return out;
  }

  /** The bytes of an object read straight from the backing store (works while the proxy is stopped). */
  public Optional<byte[]> content(String bucket, String key) {
    Blob blob = context.getBlobStore().getBlob(bucket, key);
    if (blob == null) {
      return Optional.empty();
    }
    try (InputStream in = blob.getPayload().openStream()) {
      return Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes an object directly from the backing store. */
  public void delete(String bucket, String key) {
    context.getBlobStore().removeBlob(bucket, key);
  }

  @Override
  public void close() throws Exception {
    try {
      stop();
    } finally {
      context.close();
    }
  }

  private static final class CountingBlobStore extends ForwardingBlobStore {
    final Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();

    CountingBlobStore(BlobStore delegate) {
      super(delegate);
    }

    @Override
    public String putBlob(String container, Blob blob) {
      return putBlob(container, blob, PutOptions.NONE);
    }

    @Override
    public String putBlob(String container, Blob blob, PutOptions options) {
      writes.computeIfAbsent(container + "/" + blob.getMetadata().getName(), k -> new AtomicInteger()).incrementAndGet();
      return delegate().putBlob(container, blob, options);
    }
  }
}
