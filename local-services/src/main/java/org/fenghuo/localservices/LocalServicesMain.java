package org.fenghuo.localservices;

import java.util.concurrent.CountDownLatch;

/**
 * Starts the services and keeps them running until Ctrl-C, for trying things by hand:
 * {@code java -cp ... org.fenghuo.localservices.LocalServicesMain [--stop-after SECONDS]}. Settings come from
 * {@code -Dfenghuo.services.*} / {@code FENGHUO_SERVICES_*}.
 */
public final class LocalServicesMain {
    private LocalServicesMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        long stopAfterSeconds = -1;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--stop-after") && i + 1 < args.length) {
                stopAfterSeconds = Long.parseLong(args[++i]);
            } else {
                System.err.println("usage: LocalServicesMain [--stop-after SECONDS]");
                System.exit(2);
            }
        }
        LocalServices services;
        try {
            services = LocalServices.start();
        } catch (ServicesException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (services.hasKafka()) System.out.println("kafka: " + services.kafkaBootstrapServers());
        if (services.hasElasticsearch()) {
            System.out.println("elasticsearch: " + String.join(",", services.elasticsearchUrls()));
        }
        System.out.println("ready");
        if (stopAfterSeconds >= 0) {
            Thread.sleep(stopAfterSeconds * 1000);
            services.close();
        } else {
            new CountDownLatch(1).await(); // the shutdown hook stops the services on Ctrl-C
        }
    }
}
