package org.fenghuo.dashboards.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.fenghuo.core.config.ConfigException;

/**
 * The users file: {@code {"users": [{"name", "role", "scope", "passwordHash"}]}} with bcrypt hashes. Read once at
 * start; every problem is reported with the file and the entry at fault.
 */
public final class UsersFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME_PATTERN = "[a-z0-9][a-z0-9._-]{0,63}";
    private final Map<String, User> users;

    private UsersFile(Map<String, User> users) {
        this.users = Map.copyOf(users);
    }

    /**
     * @param knownScope whether a scope names a region of the region file (a user who could see nothing is a mistake)
     */
    public static UsersFile load(Path file, Predicate<String> knownScope) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("users file " + file + " is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.path("users").isArray()) {
            throw new ConfigException("users file " + file + ": expected an object with a \"users\" array");
        }
        Map<String, User> users = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode n : root.get("users")) {
            String where = "users file " + file + ", entry " + i++;
            String name = text(n, "name");
            if (name == null || !name.matches(NAME_PATTERN)) {
                throw new ConfigException(where + ": name '" + name + "' must be 1–64 lower-case letters, digits, '.', '_' or '-'");
            }
            where += " (" + name + ")";
            Role role;
            try {
                role = Role.valueOf(String.valueOf(text(n, "role")).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": role '" + text(n, "role") + "' is not one of DUTY_OFFICER, ANALYST, ADMIN");
            }
            String scope = text(n, "scope") == null ? "" : text(n, "scope");
            if (!scope.matches("\\d{0,15}")) throw new ConfigException(where + ": scope '" + scope + "' is not a region code prefix (digits)");
            if (!scope.isEmpty() && !knownScope.test(scope)) {
                throw new ConfigException(where + ": scope '" + scope + "' matches no region of the region file");
            }
            String hash = text(n, "passwordHash");
            if (!PasswordHasher.isHash(hash)) throw new ConfigException(where + ": passwordHash is not a bcrypt hash ($2a$/$2b$/$2y$…)");
            if (users.put(name, new User(name, role, scope, hash)) != null) throw new ConfigException(where + ": user named twice");
        }
        if (users.isEmpty()) throw new ConfigException("users file " + file + " has no users: nobody could log in");
        return new UsersFile(users);
    }


    /** Writes users readable by the owner only (the hashes are still secrets worth keeping). */
    public static void write(Path file, List<User> users) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("users");
        for (User u : users) {
            list.addObject().put("name", u.name()).put("role", u.role().name()).put("scope", u.scope()).put("passwordHash", u.passwordHash());
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public Optional<User> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(users.get(name.toLowerCase(Locale.ROOT)));
    }

    public List<User> all() {
        return new ArrayList<>(users.values());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
