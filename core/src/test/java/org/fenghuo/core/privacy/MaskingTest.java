package org.fenghuo.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskingTest {
    @Test
    void masksAsDesignSection3Shows() {
        assertThat(Masking.phone("13812345678")).isEqualTo("138****5678");
        assertThat(Masking.phone("138-1234-5678")).isEqualTo("138****5678");
        assertThat(Masking.identityNumber("11010519491231002x")).isEqualTo("110105********002X".substring(0, 14) + "002X");
        assertThat(Masking.identityNumber("110105194912311234")).isEqualTo("110105********1234");
        assertThat(Masking.name("张三")).isEqualTo("张*");
        assertThat(Masking.name("欧阳娜娜")).isEqualTo("欧***");
        assertThat(Masking.name(null)).isNull();
    }

    @Test
    void keyedHashLinksTheSamePersonAndHidesTheNumber() {
        PersonKeyer a = new PersonKeyer("0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8));
        PersonKeyer b = new PersonKeyer("another-secret-0123456789".getBytes(StandardCharsets.UTF_8));
        String id = "11010519491231002X";
        assertThat(a.byIdentityNumber(id)).startsWith("PER:").isEqualTo(a.byIdentityNumber("11010519491231002x"));
        assertThat(a.byIdentityNumber(id)).doesNotContain("1101051949").isNotEqualTo(b.byIdentityNumber(id));
        assertThat(a.byPhone("+86 138 1234 5678")).isEqualTo(a.byPhone("13812345678"));
        assertThat(a.byPhone("13812345678")).isNotEqualTo(a.byIdentityNumber(id));
    }

    @Test
    void shortSecretIsRefusedWithTheSettingName() {
        assertThatThrownBy(() -> new PersonKeyer("short".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("fenghuo.privacy.secret");
    }

    @Test
    void scrubsNumbersAndKnownNamesFromFreeText() {
        String text = "王小明(身份证11010519491231002X,电话13812345678)称工资被拖欠,座机0571-87654321";
        String out = TextScrubber.scrub(text, List.of("王小明"));
        assertThat(out).doesNotContain("11010519491231002X", "13812345678", "王小明", "87654321")
                .contains("王**", "138****5678", "110105********002X");
    }
}
