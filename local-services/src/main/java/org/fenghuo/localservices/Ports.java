package org.fenghuo.localservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports for the services' listeners. */
public final class Ports {
    /** The lowest port handed out: above the well-known and most registered services' ports. */
    static final int LOWEST = 10_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LINUX_EPHEMERAL_START = 32_768;

    private Ports() {
    }

    /**
     * Returns {@code count} distinct ports that were free a moment ago, all below the kernel's ephemeral range.
     *
     * <p>Why below: a port the kernel handed out with {@code bind(0)} comes from the ephemeral range, which is also
     * where every outgoing connection on the machine gets its local port. Between choosing a port and the child
     * binding it, a Kafka client or an HTTP call elsewhere could take it (seen in CI: the JobManager's RPC port was
     * gone). Ports below the range are only ever taken by listeners that ask for them by number.
     *
     * <p>All sockets are held open until every port is chosen, so the same port is never handed out twice in one
     * call.
     */
    public static int[] allocate(int count) {
        int ceiling = ephemeralStart();
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            int attempts = 0;
            for (int i = 0; i < count; ) {
                if (++attempts > 200 * count) {
                    throw new IllegalStateException("no free port on 127.0.0.1 between " + LOWEST + " and " + ceiling
                            + " after " + (attempts - 1) + " tries");
                }
                int candidate = ThreadLocalRandom.current().nextInt(LOWEST, ceiling);
                ServerSocket s = new ServerSocket();
                // no SO_REUSEADDR: a port still in TIME_WAIT from an earlier run would fail the child's bind
                s.setReuseAddress(false);
                try {
                    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate));
                } catch (IOException taken) {
                    s.close();
                    continue;
                }
                sockets.add(s);
                ports[i++] = candidate;
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

    /** First port of the kernel's ephemeral range (Linux), or the Linux default where it cannot be read. */
    static int ephemeralStart() {
        try {
            if (Files.isReadable(EPHEMERAL_RANGE)) {
                String[] range = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
                int start = Integer.parseInt(range[0]);
                // a range that starts too low leaves no room below it: fall back to the range's default start
                if (start > LOWEST + 1_000) return start;
            }
        } catch (IOException | RuntimeException unreadable) {
            // the default below is right for almost every Linux
        }
        return LINUX_EPHEMERAL_START;
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
