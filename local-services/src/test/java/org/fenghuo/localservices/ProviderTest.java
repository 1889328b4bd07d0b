package org.fenghuo.localservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProviderTest {

    @Test
    void testcontainersGivesAClearMessageInsteadOfAStackTrace() {
        LocalServicesOptions options = LocalServicesOptions.builder().provider("testcontainers").build();
        assertThatThrownBy(() -> LocalServices.start(options))
                .isInstanceOf(ServicesConfigException.class)
                .hasMessageContaining("fenghuo.services.provider")
                .hasMessageContaining("Docker")
                .hasMessageContaining("not implemented")
                .hasMessageContaining("=local")
                .hasNoCause();
    }

    @Test
    void providersByName() {
        assertThat(ServiceProvider.forName("local").name()).isEqualTo("local");
        assertThat(ServiceProvider.forName("testcontainers").name()).isEqualTo("testcontainers");
        assertThatThrownBy(() -> ServiceProvider.forName("docker-compose"))
                .isInstanceOf(ServicesConfigException.class).hasMessageContaining("fenghuo.services.provider");
    }
}
