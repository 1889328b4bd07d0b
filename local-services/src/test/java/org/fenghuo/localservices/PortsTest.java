package org.fenghuo.localservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void portsAreDistinctAndBindable() throws Exception {
        int[] ports = Ports.allocate(4);
        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(4);
        for (int port : ports) {
            // below the ephemeral range, where no outgoing connection can take the port before the child binds it
            assertThat(port).isBetween(Ports.LOWEST, Ports.ephemeralStart() - 1);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    @Test
    void acceptsTellsListeningFromClosedPorts() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(Ports.accepts("127.0.0.1", s.getLocalPort(), 500)).isTrue();
        }
        int closed = Ports.allocate(1)[0];
        assertThat(Ports.accepts("127.0.0.1", closed, 500)).isFalse();
    }
}
