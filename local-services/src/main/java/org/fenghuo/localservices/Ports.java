package org.fenghuo.localservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Free loopback ports. */
public final class Ports {
    private Ports() {
    }

    /**
     * Returns {@code count} distinct ports that were free a moment ago. All sockets are held open until every
     * port is chosen, so the same port is never handed out twice in one call; another process may still take one
     * before the child binds it, which the services handle by retrying with new ports.
     */
    public static int[] allocate(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket();
                sockets.add(s);
                // no SO_REUSEADDR: a port still in TIME_WAIT from an earlier run would fail the child's bind
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot allocate a free port on 127.0.0.1", e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing useful to do: the port is free either way once the JVM lets go
                }
            }
        }
    }

    public static boolean accepts(String host, int port, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
