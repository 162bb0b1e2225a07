package io.ssmd.gateway;

import java.util.List;

/** Error codes of the client protocol ({@code {"id":..,"type":"error","error":{"code":..,"message":..}}}). */
final class ErrorCode {
  static final String MALFORMED_JSON = "malformed_json";
  static final String BAD_REQUEST = "bad_request";
  static final String UNKNOWN_OP = "unknown_op";
  static final String FORBIDDEN_FEED = "forbidden_feed";
  static final String UNKNOWN_FEED = "unknown_feed";
  static final String TOO_MANY_SUBSCRIPTIONS = "too_many_subscriptions";
  static final String BINARY_NOT_SUPPORTED = "binary_not_supported";
  static final String ALREADY_AUTHENTICATED = "already_authenticated";

  static final List<String> ALL = List.of(MALFORMED_JSON, BAD_REQUEST, UNKNOWN_OP, FORBIDDEN_FEED, UNKNOWN_FEED,
      TOO_MANY_SUBSCRIPTIONS, BINARY_NOT_SUPPORTED, ALREADY_AUTHENTICATED);

  private ErrorCode() {}
}
