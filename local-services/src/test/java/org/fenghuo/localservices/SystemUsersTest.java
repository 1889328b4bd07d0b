package org.fenghuo.localservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemUsersTest {
    @TempDir
    Path tmp;

    @Test
    void directoryTheUserCannotEnterIsReportedWithTheSetting() throws Exception {
        RunDirectories.setMode(tmp, "rwxr-xr-x");
        Path locked = Files.createDirectories(tmp.resolve("locked"));
        RunDirectories.setMode(locked, "rwx------");
        Path open = Files.createDirectories(tmp.resolve("open/inner"));

        assertThatThrownBy(() -> SystemUsers.checkTraversable(locked.resolve("runs/x"), "nobody",
                LocalServicesOptions.BASE_DIR))
                .isInstanceOf(ServicesConfigException.class)
                .hasMessageContaining("cannot enter " + locked)
                .hasMessageContaining("-Dfenghuo.services.base-dir=DIR");
        assertThatCode(() -> SystemUsers.checkTraversable(open, "nobody", LocalServicesOptions.BASE_DIR))
                .doesNotThrowAnyException();
    }

    @Test
    void userLookup() {
        assertThat(SystemUsers.exists("root")).isTrue();
        assertThat(SystemUsers.exists("no-such-user-fh")).isFalse();
    }
}
