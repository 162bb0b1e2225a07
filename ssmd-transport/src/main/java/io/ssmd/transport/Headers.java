package io.ssmd.transport;

/** Header names carried with every published frame (DESIGN §3). */
public final class Headers {
  public static final String MSG_ID = "Nats-Msg-Id";
  public static final String RECEIVED_AT = "Ssmd-Received-At";
  public static final String CONN = "Ssmd-Conn";
  public static final String SHARD = "Ssmd-Shard";

  private Headers() {}
}
