package io.ssmd.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Finds free TCP ports on the loopback interface for servers started by tests.
 *
 * <p>The port is free when returned; another process may still take it before the caller binds,
 * which is the accepted race of every "pick a free port" helper. Callers that can bind port 0
 * themselves should do that instead.
 */
public final class FreePorts {
  private FreePorts() {}

  /** A port that nothing listens on at 127.0.0.1 right now. */
  public static int pick() {
    try (ServerSocket socket = new ServerSocket()) {
      // Without SO_REUSEADDR the port would sit in TIME_WAIT and the server we start could not bind it.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free loopback port", e);
    }
  }

  /** True when something accepts TCP connections on 127.0.0.1:{@code port}. */
  public static boolean isListening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
