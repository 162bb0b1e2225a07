package io.ssmd.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void picksAPortThatCanBeBoundAndDetectsListeners() throws Exception {
    int port = FreePorts.pick();
    assertThat(port).isBetween(1, 65535);
    assertThat(FreePorts.isListening(port)).isFalse();
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      assertThat(FreePorts.isListening(port)).isTrue();
    }
  }
}
