package org.fenghuo.dashboards.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;
import org.fenghuo.dashboards.DashboardMetrics;
import org.fenghuo.dashboards.RegionMap;
import org.fenghuo.dashboards.auth.LoginThrottle;
import org.fenghuo.dashboards.auth.PasswordHasher;
import org.fenghuo.dashboards.auth.Session;
import org.fenghuo.dashboards.auth.SessionStore;
import org.fenghuo.dashboards.auth.User;
import org.fenghuo.dashboards.auth.UsersFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Log in, who am I, log out. */
public final class SessionApi {
    private static final Logger LOG = LoggerFactory.getLogger(SessionApi.class);
    private final UsersFile users;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    private final Access access;
    private final RegionMap regions;
    private final DashboardMetrics metrics;

    public SessionApi(UsersFile users, SessionStore sessions, LoginThrottle throttle, Access access, RegionMap regions, DashboardMetrics metrics) {
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
        this.access = access;
        this.regions = regions;
        this.metrics = metrics;
    }

    public void login(Context ctx) {
        JsonNode body = Json.body(ctx);
        String name = body.path("username").asText("").trim();
        String password = body.path("password").asText("");
        if (name.isEmpty() || password.isEmpty()) throw ApiException.badRequest("请填写用户名和密码 (username, password)");
        if (name.length() > 64 || password.length() > 200) throw ApiException.badRequest("用户名或密码过长");
        Optional<Duration> wait = throttle.blockedFor(name, ctx.ip());
        if (wait.isPresent()) {
            metrics.loginFailure("locked");
            long seconds = Math.max(1, wait.get().toSeconds());
            ctx.header("Retry-After", String.valueOf(seconds));
            throw new ApiException(429, "登录失败次数过多，请 " + (seconds + 59) / 60 + " 分钟后再试");
        }
        Optional<User> user = users.find(name);
        boolean ok = user.map(u -> PasswordHasher.matches(password, u.passwordHash())).orElseGet(() -> PasswordHasher.decoyCheck(password));
        if (!ok) {
            throttle.failed(name, ctx.ip());
            metrics.loginFailure(user.isPresent() ? "bad-password" : "unknown-user");
            LOG.info("refused login for user name of {} characters from {}", name.length(), ctx.ip()); // never the name: it may be a password typed in the wrong box
            throw ApiException.unauthorized("用户名或密码错误");
        }
        throttle.succeeded(name);
        Session s = sessions.open(user.get());
        access.setCookie(ctx, s);
        LOG.info("{} logged in from {}", user.get(), ctx.ip());
        ctx.json(describe(s));
    }

    public void current(Context ctx) {
        ctx.json(describe(Access.session(ctx)));
    }

    public void logout(Context ctx) {
        sessions.close(Access.session(ctx).id());
        access.clearCookie(ctx);
        ctx.status(204);
    }

    private ObjectNode describe(Session s) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        User u = s.user();
        out.putObject("user").put("name", u.name()).put("role", u.role().name()).put("roleName", u.role().label())
                .put("scope", u.scope()).put("scopeName", regions.name(u.scope())).put("scopeLevel", regions.levelOf(u.scope()))
                .put("mayAct", u.role().mayAct());
        out.put("csrfToken", s.csrfToken()).put("expiresAt", s.expiresAt().toString());
        return out;
    }
}
