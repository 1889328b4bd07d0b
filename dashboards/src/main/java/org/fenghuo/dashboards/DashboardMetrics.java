package org.fenghuo.dashboards;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/** The service's metrics, scraped by Prometheus at {@code /metrics}. No label ever carries personal data. */
public final class DashboardMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public DashboardMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** @param route the matched route template ({@code /api/alerts/{id}}), never the raw path with ids in it */
    public void request(String method, String route, int status, Duration took) {
        Timer.builder("fenghuo.dashboard.requests").description("HTTP requests by route and status")
                .tag("method", method).tag("route", route).tag("status", String.valueOf(status))
                .register(registry).record(took);
    }

    public void action(String type) {
        Counter.builder("fenghuo.dashboard.actions").description("alert actions written to alert.actions, by type")
                .tag("action", type).register(registry).increment();
    }

    public void loginFailure(String reason) {
        Counter.builder("fenghuo.dashboard.login.failures").description("refused logins, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    public void liveAlert() {
        Counter.builder("fenghuo.dashboard.live.alerts").description("alert versions received from the alerts topic")
                .register(registry).increment();
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    public String scrape() {
        return registry.scrape();
    }
}
