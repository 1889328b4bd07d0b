package org.fenghuo.localservices;

/** Kafka and Elasticsearch as child processes of this JVM, from artifacts in the local Maven repository. */
final class LocalProcessProvider implements ServiceProvider {
    @Override
    public String name() {
        return LocalServicesOptions.PROVIDER_LOCAL;
    }

    @Override
    public RunningServices start(LocalServicesOptions options) {
        return LocalProcessServices.start(options);
    }
}
