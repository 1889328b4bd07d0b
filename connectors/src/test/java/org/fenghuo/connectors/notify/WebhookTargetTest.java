package org.fenghuo.connectors.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.util.List;
import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.AlertNotification.Reason;
import org.fenghuo.core.model.EventRegion;
import org.junit.jupiter.api.Test;

/** Config strings, routing and redaction of {@link WebhookTarget}. */
class WebhookTargetTest {

    @Test
    void parsesTheDocumentedSpec() {
        WebhookTarget t = WebhookTarget.parse(
                "https://ops.example/hook;minLevel=ORANGE;regions=339901,339902;reasons=NEW,ESCALATED;name=district-1");

        assertThat(t.name()).isEqualTo("district-1");
        assertThat(t.url()).isEqualTo(URI.create("https://ops.example/hook"));
        assertThat(t.minLevel()).isEqualTo(AlertLevel.ORANGE);
        assertThat(t.regionPrefixes()).containsExactly("339901", "339902");
        assertThat(t.reasons()).containsExactlyInAnyOrder(Reason.NEW, Reason.ESCALATED);
        assertThat(t.headers()).isEmpty();
    }

    @Test
    void defaultsAcceptEverythingAndNameTheHost() {
        WebhookTarget t = WebhookTarget.parse("  http://10.1.2.3:8080/notify  ");

        assertThat(t.name()).isEqualTo("10.1.2.3:8080");
        assertThat(t.minLevel()).isEqualTo(AlertLevel.BLUE);
        assertThat(t.regionPrefixes()).isEmpty();
        assertThat(t.reasons()).isEmpty();
        assertThat(WebhookTarget.parse("https://ops.example/hook").name()).isEqualTo("ops.example");
    }

    @Test
    void keysAreCaseInsensitiveAndLevelsMayBeWrittenInChinese() {
        WebhookTarget t = WebhookTarget.parse("https://ops.example/hook;MINLEVEL=红色;Reasons=level_raised;NAME=x");
        assertThat(t.minLevel()).isEqualTo(AlertLevel.RED);
        assertThat(t.reasons()).containsExactly(Reason.LEVEL_RAISED);
    }

    @Test
    void headersArePercentDecodedAndNeverShown() {
        WebhookTarget t = WebhookTarget.parse(
                "https://oapi.example/robot/send?access_token=tok123;header.Authorization=Bearer%20s3cret%7Cx;name=chat");

        assertThat(t.headers()).containsEntry("Authorization", "Bearer s3cret|x");
        assertThat(t.toString())
                .contains("chat", "Authorization: ***", "https://oapi.example/…")
                .doesNotContain("s3cret", "tok123", "robot");
        assertThat(t.redactedUrl()).isEqualTo("https://oapi.example/…");
    }

    @Test
    void parseListSplitsOnWhitespaceAndBars() {
        List<WebhookTarget> targets = WebhookTarget.parseList(
                " https://a.example/h;name=a |https://b.example/h;minLevel=RED\n\thttps://c.example/h||");

        assertThat(targets).extracting(WebhookTarget::name).containsExactly("a", "b.example", "c.example");
        assertThat(targets.get(1).minLevel()).isEqualTo(AlertLevel.RED);
        assertThat(WebhookTarget.parseList("  ")).isEmpty();
        assertThat(WebhookTarget.parseList(null)).isEmpty();
    }

    @Test
    void badSpecsSayWhatIsWrongAndHowToFixIt() {
        assertThatThrownBy(() -> WebhookTarget.parse("ftp://x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhook 'ftp://x': url must be http or https");
        assertThatThrownBy(() -> WebhookTarget.parse("https://ops.example/hook;minLevel=PINK"))
                .hasMessage("webhook 'https://ops.example/…': minLevel 'PINK' unknown: one of BLUE, YELLOW, ORANGE, RED");
        assertThatThrownBy(() -> WebhookTarget.parse("https://ops.example/hook;reasons=NEW,CLOSED"))
                .hasMessageContaining("reason 'CLOSED' unknown: one of NEW, LEVEL_RAISED, ESCALATED");
        assertThatThrownBy(() -> WebhookTarget.parse("https://ops.example/hook;regions=33990a"))
                .hasMessageContaining("regions '33990a' is not a region code prefix");
        assertThatThrownBy(() -> WebhookTarget.parse("https://ops.example/hook;minlevl=RED"))
                .hasMessageContaining("unknown option 'minlevl' (known: name, minLevel, regions, reasons, header.<Name>)");
        assertThatThrownBy(() -> WebhookTarget.parse("https://ops.example/hook;ORANGE"))
                .hasMessageContaining("option 'ORANGE' is not key=value");
        assertThatThrownBy(() -> WebhookTarget.parse("https://ops.example/hook;name=a;name=b"))
                .hasMessageContaining("option 'name' is given twice");
        assertThatThrownBy(() -> WebhookTarget.parse("https://ops.example/hook;minLevel="))
                .hasMessageContaining("option 'minLevel' has no value");
        assertThatThrownBy(() -> WebhookTarget.parse("/relative/hook"))
                .hasMessageContaining("url must be absolute http or https");
        assertThatThrownBy(() -> WebhookTarget.parse("https://user:pw@ops.example/hook"))
                .hasMessageContaining("must not carry user:password")
                .hasMessageNotContaining("pw@");
        assertThatThrownBy(() -> WebhookTarget.parse("https://ops.example/hook;header.Content-Type=text/plain"))
                .hasMessageContaining("header 'Content-Type' is set by the notifier");
        assertThatThrownBy(() -> WebhookTarget.parse("https://ops.example/hook;header.X-Token=a%zz-secret"))
                .hasMessageContaining("bad %-escape")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> WebhookTarget.parse(""))
                .hasMessageContaining("webhook spec is empty");
    }

    @Test
    void parseListReportsEveryBadSpecWithoutEchoingSecrets() {
        // an unencoded space splits "Bearer abc123secret" into two specs
        assertThatThrownBy(() -> WebhookTarget.parseList(
                "ftp://a https://ok.example/h;header.Authorization=Bearer abc123secret|https://ok.example/h;minLevel=PINK"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("webhook 'ftp://a': url must be http or https")
                .hasMessageContaining("webhook #3 does not start with an http(s) URL")
                .hasMessageContaining("Bearer%20TOKEN")
                .hasMessageContaining("minLevel 'PINK' unknown")
                .hasMessageNotContaining("abc123secret");
    }

    @Test
    void routesByLevelRegionPrefixAndReason() {
        WebhookTarget district1 = WebhookTarget.of("d1", "https://ops.example/d1").withRegions("339901");
        WebhookTarget orangeUp = WebhookTarget.of("o", "https://ops.example/o").withMinLevel(AlertLevel.ORANGE);
        WebhookTarget escalations = WebhookTarget.of("e", "https://ops.example/e").withReasons(Reason.ESCALATED);
        WebhookTarget grid = WebhookTarget.of("g", "https://ops.example/g").withRegions("339902003004005");

        var d1Yellow = Fixtures.notification("n1", AlertLevel.YELLOW, Reason.NEW, Fixtures.region(1, 1, 1, 1), null);
        var d2Red = Fixtures.notification("n2", AlertLevel.RED, Reason.NEW, Fixtures.region(2, 3, 4, 5), null);
        var escalatedNoRegion = Fixtures.notification("n3", AlertLevel.YELLOW, Reason.ESCALATED, null, "339901002");

        assertThat(district1.accepts(d1Yellow)).isTrue();
        assertThat(district1.accepts(d2Red)).isFalse();
        assertThat(district1.accepts(escalatedNoRegion)).as("responsibleRegion counts").isTrue();
        assertThat(orangeUp.accepts(d1Yellow)).isFalse();
        assertThat(orangeUp.accepts(d2Red)).isTrue();
        assertThat(escalations.accepts(d2Red)).isFalse();
        assertThat(escalations.accepts(escalatedNoRegion)).isTrue();
        assertThat(grid.accepts(d2Red)).as("the grid code matches").isTrue();
        assertThat(grid.accepts(d1Yellow)).isFalse();
        assertThat(grid.accepts(Fixtures.notification("n4", AlertLevel.RED, Reason.NEW,
                new EventRegion("339902", null, null, null), null)))
                .as("a district-wide alert does not start with a grid prefix").isFalse();
    }

    @Test
    void isSerializable() throws Exception {
        WebhookTarget t = WebhookTarget.parse(
                "https://ops.example/hook;minLevel=ORANGE;regions=339901;reasons=NEW;name=d1;header.X-Token=abc");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(t);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(t);
        }
    }
}
