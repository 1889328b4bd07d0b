package org.fenghuo.core.ids;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CheckDigitsTest {
    @Test
    void identityNumberWithPublishedCheckCharacterIsValid() {
        // the GB 11643 example: 11010519491231002X
        assertThat(CheckDigits.identityCheckChar("11010519491231002")).isEqualTo('X');
        assertThat(CheckDigits.isValidIdentityNumber("11010519491231002X")).isTrue();
        assertThat(CheckDigits.isValidIdentityNumber("11010519491231002x")).isTrue();
    }

    @Test
    void identityNumberWithWrongCheckCharacterIsInvalid() {
        assertThat(CheckDigits.isValidIdentityNumber("110105194912310021")).isFalse();
        assertThat(CheckDigits.isValidIdentityNumber("11010519491231002")).isFalse();
        assertThat(CheckDigits.isValidIdentityNumber("1101051949123100AX")).isFalse();
        assertThat(CheckDigits.isValidIdentityNumber(null)).isFalse();
    }

    @Test
    void everyCheckDigitIsTheOnlyValidOne() {
        String first17 = "33010219800101123";
        char good = CheckDigits.identityCheckChar(first17);
        for (char c : "0123456789X".toCharArray()) {
            assertThat(CheckDigits.isValidIdentityNumber(first17 + c)).isEqualTo(c == good);
        }
    }

    @Test
    void creditCodeWithPublishedCheckCharacterIsValid() {
        // a well-known published code: 91350100M000100Y43
        assertThat(CheckDigits.creditCheckChar("91350100M000100Y4")).isEqualTo('3');
        assertThat(CheckDigits.isValidCreditCode("91350100M000100Y43")).isTrue();
    }

    @Test
    void creditCodeWithWrongCheckOrForbiddenLettersIsInvalid() {
        assertThat(CheckDigits.isValidCreditCode("91350100M000100Y44")).isFalse();
        assertThat(CheckDigits.isValidCreditCode("91350100M000100YI3")).isFalse(); // I is not in the GB 32100 set
        assertThat(CheckDigits.isValidCreditCode("91350100M000100Y4")).isFalse();
    }
}
