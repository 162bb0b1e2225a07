package io.ssmd.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client on a plain socket with a 4 KiB receive buffer (set before connecting, so the
 * kernel cannot autotune it to megabytes): while the test does not call {@link #next()}, it reads
 * nothing and the gateway's writes to it stall after a small, predictable amount of buffering.
 */
final class StalledClient implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private StalledClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static StalledClient connect(URI ws, String key) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress(ws.getHost(), ws.getPort()), 10_000);
    s.setSoTimeout(15_000);
    StalledClient c = new StalledClient(s);
    String upgrade = "GET " + ws.getPath() + " HTTP/1.1\r\nHost: " + ws.getHost() + ":" + ws.getPort() + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n"
        + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + key + "\r\n\r\n";
    c.out.write(upgrade.getBytes(StandardCharsets.US_ASCII));
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) c.in.readUnsignedByte());
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head.toString().lines().findFirst().orElse(""));
    }
    return c;
  }

  /** Sends one masked text frame (client frames must be masked, RFC 6455 §5.3). */
  void send(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = {7, 1, 9, 3};
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(0x81);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else {
      f.write(0x80 | 126);
      f.write(payload.length >> 8);
      f.write(payload.length & 0xff);
    }
    f.write(mask);
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i % 4]);
    }
    out.write(f.toByteArray());
    out.flush();
  }

  /** Reads frames until a WebSocket ping (opcode 9) arrives; false if a text message comes first. */
  boolean awaitPing() throws IOException {
    return next(true) == null;
  }

  /** The next text message as JSON (control frames skipped; a close frame is an {@link IOException} naming its code). */
  JsonNode next() throws IOException {
    return next(false);
  }

  private JsonNode next(boolean untilPing) throws IOException {
    while (true) {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      long len = b1 & 0x7f;
      if (len == 126) {
        len = in.readUnsignedShort();
      } else if (len == 127) {
        len = in.readLong();
      }
      byte[] payload = new byte[(int) len];
      in.readFully(payload);
      int opcode = b0 & 0x0f;
      if (opcode == 0x1) {
        if (untilPing) {
          throw new IOException("a text message came before any ping: " + new String(payload, StandardCharsets.UTF_8));
        }
        return WsClient.JSON.readTree(payload);
      }
      if (opcode == 0x9 && untilPing) {
        return null;
      }
      if (opcode == 0x8) {
        int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        throw new IOException("closed " + code + " " + new String(payload, 2, Math.max(0, payload.length - 2), StandardCharsets.UTF_8));
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
