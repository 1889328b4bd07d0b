package org.fenghuo.dashboards;

import java.util.concurrent.CountDownLatch;
import org.fenghuo.core.config.ConfigException;
import org.fenghuo.core.config.Settings;

/** Runs the dashboards service alone: {@code --fenghuo.x=value} arguments or {@code FENGHUO_X} variables (see README). */
public final class DashboardMain {
    private DashboardMain() {}

    public static void main(String[] args) throws InterruptedException {
        DashboardServer server;
        try {
            DashboardConfig config = DashboardConfig.from(Settings.fromArgs(args, System.getenv(), DashboardConfig.ALL));
            server = DashboardServer.start(config);
            System.out.println("dashboard: http://" + displayHost(config.host()) + ":" + server.port() + "/");
        } catch (ConfigException e) {
            System.err.println("fenghuo dashboards: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        DashboardServer running = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stop.countDown();
        }, "fenghuo-dashboards-shutdown"));
        stop.await();
    }

    static String displayHost(String host) {
        return host.equals("0.0.0.0") ? "127.0.0.1" : host;
    }
}
