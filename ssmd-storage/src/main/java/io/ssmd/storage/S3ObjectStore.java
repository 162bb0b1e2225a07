package io.ssmd.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.ObjectWriteResponse;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ObjectStore} in one bucket of an S3-compatible server (AWS, Garage, MinIO), through the
 * MinIO Java client.
 *
 * <p>{@link #put} uploads with the file's SHA-256 as user metadata {@value #SHA256_METADATA}
 * (multipart for large files is done by the client), then HEADs the object and checks its size, the
 * metadata and, for single-part uploads, that the ETag is the MD5 of the file, so a server that kept
 * other bytes than were sent is caught. Objects this store wrote can therefore be trusted by their
 * size and {@code sha256} metadata alone, which is what resuming an upload relies on.
 *
 * <p>Errors are classified: network failures, 5xx, 429 and {@code SlowDown} are retriable; bad
 * credentials, a missing bucket and other 4xx are not, and the message says what to fix. Messages name
 * the endpoint, bucket and key, never the secret key.
 *
 * <p>{@link #list} does not fill in {@code sha256}: S3 listings carry no user metadata, and a HEAD per
 * object would make listing a day's archive slow; {@link #head} gives it.
 */
public final class S3ObjectStore implements ObjectStore {
  private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);

  /** User-metadata key holding the hex SHA-256 of the object's content. */
  public static final String SHA256_METADATA = "sha256";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  // generous: a multipart part of a large file over a slow link must not time out
  private static final Duration IO_TIMEOUT = Duration.ofMinutes(2);

  private static final Set<String> AUTH_CODES = Set.of(
      "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken",
      "AuthorizationHeaderMalformed", "InvalidSecurity", "AllAccessDisabled", "AccountProblem");
  private static final Set<String> RETRIABLE_CODES = Set.of(
      "SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout", "RequestTimeTooSkewed",
      "OperationAborted", "Throttling", "ThrottlingException", "TooManyRequests", "XMinioServerNotInitialized");

  private static final Pattern NON_XML = Pattern.compile("Response code: (\\d+)(?:, Content-Type: ([^,]*))?");

  private final S3Options options;
  private final String bucketSetting;
  private final MinioClient client;
  private final String description;
  // set once the bucket was seen to exist, so a 404 on HEAD can be told apart from a missing bucket cheaply
  private volatile boolean bucketSeen;

  /** A store for {@code options.bucket()}; errors about a missing bucket suggest fixing "the storage bucket setting". */
  public S3ObjectStore(S3Options options) {
    this(options, "the storage bucket setting");
  }

  /**
   * A store for {@code options.bucket()}.
   *
   * @param bucketSetting the configuration key the bucket name came from (e.g. {@code storage.buckets.raw}),
   *                      named in the error when the bucket does not exist
   */
  public S3ObjectStore(S3Options options, String bucketSetting) {
    this.options = options;
    this.bucketSetting = bucketSetting;
    this.description = "s3://" + options.bucket() + " (" + options.endpoint() + ")";
    OkHttpClient http = new OkHttpClient.Builder()
        .connectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(IO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .writeTimeout(IO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        // S3-compatible servers vary in HTTP/2 support; HTTP/1.1 is what they all speak
        .protocols(List.of(Protocol.HTTP_1_1))
        .build();
    this.client = MinioClient.builder()
        .endpoint(options.endpoint().toString())
        .region(options.region())
        .credentials(options.accessKey(), options.secretKey())
        .httpClient(http, true)
        .build();
    if (options.pathStyle()) {
      client.disableVirtualStyleEndpoint();
    } else {
      client.enableVirtualStyleEndpoint();
    }
  }

  /** The settings this store was opened with (the secret is redacted in their {@code toString}). */
  public S3Options options() {
    return options;
  }

  @Override
  public String describe() {
    return description;
  }

  /** True if the bucket exists (and the credentials may see it). */
  public boolean bucketExists() {
    try {
      boolean exists = client.bucketExists(BucketExistsArgs.builder().bucket(options.bucket()).build());
      bucketSeen = exists;
      return exists;
    } catch (Exception e) {
      throw failure("cannot check bucket " + options.bucket(), null, e);
    }
  }

  /**
   * Creates the bucket if it is missing (for {@code ssmd env apply}); safe to call any number of times
   * and from several processes at once.
   *
   * @return true if this call created it
   */
  public boolean ensureBucket() {
    if (bucketExists()) {
      return false;
    }
    try {
      client.makeBucket(MakeBucketArgs.builder().bucket(options.bucket()).region(options.region()).build());
      bucketSeen = true;
      LOG.info("created bucket {} at {}", options.bucket(), options.endpoint());
      return true;
    } catch (ErrorResponseException e) {
      String code = e.errorResponse().code();
      if ("BucketAlreadyOwnedByYou".equals(code)) {
        // created concurrently by another process: the outcome wanted
        bucketSeen = true;
        return false;
      }
      if ("BucketAlreadyExists".equals(code)) {
        throw new StorageException(description + ": bucket name " + options.bucket()
            + " is taken by another account; choose another name for " + bucketSetting, false);
      }
      throw failure("cannot create bucket " + options.bucket(), null, e);
    } catch (Exception e) {
      throw failure("cannot create bucket " + options.bucket(), null, e);
    }
  }

  @Override
  public StoredObject put(String key, Path file) {
    ObjectKeys.requireValid(key, description);
    FileDigest digest;
    try {
      digest = FileDigest.of(file);
    } catch (NoSuchFileException e) {
      throw new StorageException(description + ": cannot upload " + key + ": source " + file + " does not exist", false, e);
    } catch (IOException e) {
      throw new StorageException(description + ": cannot upload " + key + ": cannot read " + file + ": " + e.getMessage(), true, e);
    }
    ObjectWriteResponse written;
    try {
      written = client.uploadObject(UploadObjectArgs.builder()
          .bucket(options.bucket())
          .object(key)
          .filename(file.toString())
          .contentType(contentTypeOf(key))
          .userMetadata(Map.of(SHA256_METADATA, digest.sha256()))
          .build());
    } catch (Exception e) {
      throw failure("cannot upload " + key, key, e);
    }
    bucketSeen = true;
    StatObjectResponse stat;
    try {
      stat = client.statObject(StatObjectArgs.builder().bucket(options.bucket()).object(key).build());
    } catch (Exception e) {
      throw failure("cannot verify " + key + " after upload", key, e);
    }
    verify(key, digest, stat);
    LOG.debug("uploaded {} to {} ({} bytes, sha256 {}, etag {})", key, description, digest.size(), digest.sha256(),
        written.etag());
    return new StoredObject(key, stat.size(), digest.sha256());
  }

  private void verify(String key, FileDigest expected, StatObjectResponse stat) {
    List<String> problems = new ArrayList<>();
    if (stat.size() != expected.size()) {
      problems.add("size " + stat.size() + " bytes, expected " + expected.size());
    }
    String storedSha = sha256Of(stat);
    if (!expected.sha256().equals(storedSha)) {
      problems.add("sha256 metadata " + storedSha + ", expected " + expected.sha256());
    }
    String etag = stat.etag() == null ? "" : stat.etag().replace("\"", "").toLowerCase(Locale.ROOT);
    // a multipart ETag ("<md5 of part md5s>-<parts>") depends on the part size, so only a plain MD5 is compared
    if (etag.length() == 32 && !etag.contains("-") && !etag.equals(expected.md5())) {
      problems.add("ETag " + etag + " is not the MD5 of the file (" + expected.md5() + "): the server stored other bytes");
    }
    if (!problems.isEmpty()) {
      // retriable: corruption in transit or a concurrent writer may not happen again
      throw new StorageException(
          description + ": verification of " + key + " after upload failed: " + String.join("; ", problems), true);
    }
  }

  @Override
  public Optional<StoredObject> head(String key) {
    ObjectKeys.requireValid(key, description);
    try {
      StatObjectResponse stat = client.statObject(StatObjectArgs.builder().bucket(options.bucket()).object(key).build());
      bucketSeen = true;
      return Optional.of(new StoredObject(key, stat.size(), sha256Of(stat)));
    } catch (ErrorResponseException e) {
      if ("NoSuchKey".equals(e.errorResponse().code()) || e.response() != null && e.response().code() == 404) {
        // HEAD responses have no body, so a missing bucket also looks like a missing key
        if (!bucketSeen && !bucketExists()) {
          throw missingBucket();
        }
        return Optional.empty();
      }
      throw failure("cannot read metadata of " + key, key, e);
    } catch (Exception e) {
      throw failure("cannot read metadata of " + key, key, e);
    }
  }

  @Override
  public List<StoredObject> list(String prefix) {
    String p = ObjectKeys.requireValidPrefix(prefix, description);
    List<StoredObject> out = new ArrayList<>();
    try {
      Iterable<Result<Item>> items = client.listObjects(
          ListObjectsArgs.builder().bucket(options.bucket()).prefix(p).recursive(true).build());
      for (Result<Item> r : items) {
        Item item = r.get();
        if (!item.isDir()) {
          out.add(new StoredObject(item.objectName(), item.size(), null));
        }
      }
    } catch (Exception e) {
      throw failure("cannot list " + (p.isEmpty() ? "the bucket" : p), null, e);
    }
    bucketSeen = true;
    out.sort(Comparator.comparing(StoredObject::key));
    return out;
  }

  @Override
  public InputStream get(String key) {
    ObjectKeys.requireValid(key, description);
    try {
      return client.getObject(GetObjectArgs.builder().bucket(options.bucket()).object(key).build());
    } catch (Exception e) {
      throw failure("cannot read " + key, key, e);
    }
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (Exception e) {
      LOG.debug("closing the S3 client for {}: {}", description, e.toString());
    }
  }

  @Override
  public String toString() {
    return description;
  }

  private static String sha256Of(StatObjectResponse stat) {
    Map<String, String> meta = stat.userMetadata();
    if (meta == null) {
      return null;
    }
    for (Map.Entry<String, String> e : meta.entrySet()) {
      // servers differ in the case they return metadata names in
      if (SHA256_METADATA.equalsIgnoreCase(e.getKey()) && e.getValue() != null) {
        return e.getValue().strip().toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  private StorageException missingBucket() {
    return new StorageException("bucket " + options.bucket() + " does not exist at " + options.endpoint()
        + "; create it (ssmd env apply) or fix " + bucketSetting, false);
  }

  /**
   * Classifies a client error. MinIO's response exceptions are not kept as causes: their HTTP trace
   * carries request headers, which have no place in logs.
   */
  StorageException failure(String action, String key, Exception e) {
    String where = description + ": " + action;
    if (e instanceof StorageException se) {
      return se;
    }
    if (e instanceof ErrorResponseException ere) {
      String code = ere.errorResponse() == null ? "" : String.valueOf(ere.errorResponse().code());
      int status = ere.response() == null ? 0 : ere.response().code();
      String serverMessage = ere.errorResponse() == null ? "" : ere.errorResponse().message();
      if ("NoSuchBucket".equals(code)) {
        return missingBucket();
      }
      if ("NoSuchKey".equals(code) || status == 404 && key != null) {
        return new StorageException(where + ": no object " + key, false);
      }
      if (AUTH_CODES.contains(code) || status == 401 || status == 403) {
        return new StorageException(where + ": " + authAdvice(code, status), false);
      }
      if (RETRIABLE_CODES.contains(code) || status == 429 || status >= 500) {
        return new StorageException(where + ": server answered " + status + " " + code + " (" + serverMessage
            + "); retrying may help", true);
      }
      return new StorageException(where + ": server answered " + status + " " + code + ": " + serverMessage, false);
    }
    if (e instanceof ServerException se) {
      int status = se.statusCode();
      boolean retriable = status == 429 || status >= 500;
      return new StorageException(where + ": server answered HTTP " + status, retriable);
    }
    if (e instanceof InvalidResponseException ire) {
      // the message is "Non-XML response from server. Response code: N, Content-Type: T, body: ..."
      Matcher m = NON_XML.matcher(String.valueOf(ire.getMessage()));
      boolean found = m.find();
      int status = found ? Integer.parseInt(m.group(1)) : 0;
      String type = found && m.group(2) != null && !"null".equals(m.group(2).strip()) ? m.group(2).strip() : "";
      if (status == 401 || status == 403) {
        return new StorageException(where + ": " + authAdvice("", status), false);
      }
      boolean retriable = status == 0 || status == 429 || status >= 500;
      return new StorageException(where + ": server answered HTTP " + status + " without an S3 error"
          + (type.isEmpty() ? "" : " (" + type + ")")
          + (retriable ? "; retrying may help" : "; is " + options.endpoint() + " an S3 endpoint?"), retriable);
    }
    if (e instanceof InsufficientDataException) {
      return new StorageException(where + ": the file got shorter while it was uploaded", false);
    }
    if (e instanceof IOException io) {
      return new StorageException(where + ": cannot reach " + options.endpoint() + ": " + io, true, io);
    }
    if (e instanceof IllegalArgumentException iae) {
      return new StorageException(where + ": " + iae.getMessage(), false);
    }
    return new StorageException(where + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), false);
  }

  private String authAdvice(String code, int status) {
    return switch (code) {
      case "InvalidAccessKeyId" -> "the server does not know the access key (InvalidAccessKeyId); check the storage access key";
      case "SignatureDoesNotMatch" ->
          "the secret key does not match the access key (SignatureDoesNotMatch); check the storage secret key";
      case "AuthorizationHeaderMalformed" ->
          "the server rejected the request signature (AuthorizationHeaderMalformed); check the region (" + options.region() + ")";
      case "ExpiredToken", "InvalidToken" -> "the credentials are no longer valid (" + code + "); renew them";
      default -> "access denied (HTTP " + status + (code.isEmpty() ? "" : " " + code) + ") to bucket " + options.bucket()
          + "; check the storage access key and secret key and that they may use this bucket";
    };
  }

  /** Content types for what ssmd stores, so a browser or {@code aws s3 cp} treats objects sensibly. */
  static String contentTypeOf(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    if (k.endsWith(".gz")) {
      return "application/gzip";
    }
    if (k.endsWith(".json")) {
      return "application/json";
    }
    if (k.endsWith(".parquet")) {
      return "application/vnd.apache.parquet";
    }
    return "application/octet-stream";
  }
}
