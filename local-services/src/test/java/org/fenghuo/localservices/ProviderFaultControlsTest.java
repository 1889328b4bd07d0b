package org.fenghuo.localservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderFaultControlsTest {

    /** A provider's services that offer no fault controls, like a container provider would. */
    private static final class Remote implements RunningServices {
        @Override
        public Optional<String> kafkaBootstrapServers() {
            return Optional.of("k1:9092,k2:9092,k3:9092");
        }

        @Override
        public Optional<String> elasticsearchUrl() {
            return Optional.of("http://es:9200");
        }

        @Override
        public void close() {
        }
    }

    @Test
    void defaultsDescribeTheServicesAndRefuseFaultsWithAClearMessage() {
        Remote remote = new Remote();
        assertThat(remote.kafkaBrokers()).isEqualTo(3);
        assertThat(remote.elasticsearchUrls()).isEqualTo(List.of("http://es:9200"));
        assertThatThrownBy(() -> remote.killKafkaBroker(0))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("killKafkaBroker")
                .hasMessageContaining("fenghuo.services.provider")
                .hasMessageContaining("local");
        assertThatThrownBy(() -> remote.startKafkaBroker(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(remote::stopElasticsearch).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("stopElasticsearch");
        assertThatThrownBy(remote::startElasticsearch).isInstanceOf(UnsupportedOperationException.class);
    }
}
