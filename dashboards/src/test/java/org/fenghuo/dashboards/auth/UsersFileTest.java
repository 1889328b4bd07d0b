package org.fenghuo.dashboards.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fenghuo.core.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {
    @TempDir
    Path dir;

    @Test
    void writtenUsersLoadBackAndCheckTheirPasswords() throws Exception {
        Path f = dir.resolve("users.json");
        UsersFile.write(f, List.of(new User("admin", Role.ADMIN, "", PasswordHasher.hash("s3cret-pass", 4)),
                new User("duty-339901", Role.DUTY_OFFICER, "339901", PasswordHasher.hash("other-pass", 4))));
        UsersFile users = UsersFile.load(f, scope -> scope.startsWith("3399"));
        assertThat(users.find("ADMIN")).as("names are case-insensitive").isPresent();
        User duty = users.find("duty-339901").orElseThrow();
        assertThat(duty.scope()).isEqualTo("339901");
        assertThat(PasswordHasher.matches("other-pass", duty.passwordHash())).isTrue();
        assertThat(PasswordHasher.matches("s3cret-pass", duty.passwordHash())).isFalse();
        assertThat(Files.readString(f)).doesNotContain("other-pass");
        assertThat(duty.toString()).doesNotContain(duty.passwordHash());
    }

    @Test
    void problemsNameTheFileAndTheEntry() throws Exception {
        String hash = PasswordHasher.hash("x-password", 4);
        assertThat(problem("{\"users\":[{\"name\":\"a\",\"role\":\"ADMIN\",\"passwordHash\":\"" + hash + "\"},"
                + "{\"name\":\"b\",\"role\":\"CHIEF\",\"passwordHash\":\"" + hash + "\"}]}"))
                .contains("entry 1 (b)").contains("role 'CHIEF'");
        assertThat(problem("{\"users\":[{\"name\":\"a\",\"role\":\"ADMIN\",\"passwordHash\":\"plain\"}]}")).contains("not a bcrypt hash");
        assertThat(problem("{\"users\":[{\"name\":\"a\",\"role\":\"ADMIN\",\"scope\":\"110101\",\"passwordHash\":\"" + hash + "\"}]}"))
                .contains("scope '110101' matches no region");
        assertThat(problem("{\"users\":[]}")).contains("no users");
        assertThat(problem("{\"users\":[{\"name\":\"Bad Name\",\"role\":\"ADMIN\",\"passwordHash\":\"" + hash + "\"}]}")).contains("name 'Bad Name'");
        assertThat(problem("not json")).contains("not valid JSON");
    }

    private String problem(String text) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, text);
        return org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class, () -> UsersFile.load(f, s -> s.startsWith("3399")))
                .getMessage();
    }

    @Test
    void demoUsersAreAdminAnalystAndOneDutyOfficerPerDistrict() {
        var city = org.fenghuo.core.region.RegionHierarchy.of("t", List.of(
                org.fenghuo.core.region.Region.of("339901", "甲区", org.fenghuo.core.region.RegionLevel.DISTRICT, null, List.of()),
                org.fenghuo.core.region.Region.of("339902", "乙区", org.fenghuo.core.region.RegionLevel.DISTRICT, null, List.of())));
        List<User> users = DemoUsers.create(city, "demo-password");
        assertThat(users).extracting(User::name).containsExactly("admin", "analyst", "duty-339901", "duty-339902");
        assertThat(users).extracting(User::role).containsExactly(Role.ADMIN, Role.ANALYST, Role.DUTY_OFFICER, Role.DUTY_OFFICER);
        assertThat(users.get(2).scope()).isEqualTo("339901");
        assertThatThrownBy(() -> DemoUsers.password(java.util.Map.of(DemoUsers.PASSWORD_ENV, "short"))).hasMessageContaining("at least 8");
        assertThat(DemoUsers.password(java.util.Map.of())).hasSize(14);
    }
}
