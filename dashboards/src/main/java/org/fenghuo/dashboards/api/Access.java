package org.fenghuo.dashboards.api;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.Set;
import org.fenghuo.dashboards.auth.Session;
import org.fenghuo.dashboards.auth.SessionStore;

/**
 * Who is asking: every {@code /api} request but the public ones must carry a live session cookie, and every
 * state-changing one also the session's CSRF token in {@value #CSRF_HEADER}.
 */
public final class Access {
    public static final String COOKIE = "FENGHUO_SESSION";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String SESSION_ATTRIBUTE = "fenghuo.session";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final SessionStore sessions;
    private final boolean secureCookies;

    public Access(SessionStore sessions, boolean secureCookies) {
        this.sessions = sessions;
        this.secureCookies = secureCookies;
    }

    public void check(Context ctx) {
        String path = ctx.path();
        String method = ctx.method().name();
        if (path.equals("/api/openapi.json") || (path.equals("/api/session") && method.equals("POST"))) return;
        Session s = sessions.find(ctx.cookie(COOKIE)).orElseThrow(() -> ApiException.unauthorized("未登录或登录已过期，请重新登录"));
        if (!SAFE_METHODS.contains(method) && !SessionStore.csrfMatches(s, ctx.header(CSRF_HEADER))) {
            throw ApiException.forbidden("缺少或错误的 CSRF 令牌 (" + CSRF_HEADER + ")，请刷新页面后重试");
        }
        ctx.attribute(SESSION_ATTRIBUTE, s);
    }

    public static Session session(Context ctx) {
        Session s = ctx.attribute(SESSION_ATTRIBUTE);
        if (s == null) throw ApiException.unauthorized("未登录或登录已过期，请重新登录");
        return s;
    }

    public void setCookie(Context ctx, Session s) {
        int maxAge = (int) sessions.ttl().toSeconds();
        ctx.cookie(new Cookie(COOKIE, s.id(), "/", maxAge, secureCookies, true, null, SameSite.STRICT));
    }

    public void clearCookie(Context ctx) {
        ctx.cookie(new Cookie(COOKIE, "", "/", 0, secureCookies, true, null, SameSite.STRICT));
    }
}
