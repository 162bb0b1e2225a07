package io.ssmd.connector;

/**
 * Credentials are missing, unreadable or were refused by the venue. Fatal: the connector reports
 * it and backs off slowly instead of retrying at speed. The message never contains secret material.
 */
public class AuthException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuthException(String message) {
    super(message);
  }

  public AuthException(String message, Throwable cause) {
    super(message, cause);
  }
}
