package io.mayfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "250ms, PT0.25S",
    "10s, PT10S",
    "5m, PT5M",
    "2h, PT2H",
    "1d, PT24H",
    "20us, PT0.00002S",
    "7ns, PT0.000000007S",
    "0us, PT0S",
    "1m30s, PT1M30S",
    "1d2h3m4s5ms6us7ns, PT26H3M4.005006007S",
    "-5s, PT-5S",
    "' 10s ', PT10S",
    "PT5S, PT5S",
    "PT1M30S, PT1M30S",
    "-PT1S, PT-1S"
  })
  void parsesEveryFormUsersType(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @CsvSource({
    "PT10M, 10m",
    "PT0.6S, 600ms",
    "PT10S, 10s",
    "PT0S, 0s",
    "PT24H, 1d",
    "PT0.00002S, 20us",
    "PT1M30S, 90s",
    "PT36H, 36h",
    "PT26H0.000000001S, 26h1ns",
    "PT86400.000000001S, 1d1ns",
    "PT-5S, -5s",
    "PT9M59.873S, 599873ms"
  })
  void printsTheShortestExactForm(String iso, String text) {
    assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", " ", "10", "s", "10 s", "1.5s", "10sec", "5M", "1s1m", "1s1s", "--1s", "PT"})
  void refusesWhatIsNotADurationNamingTheText(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @Test
  void refusesADurationTooLongForJava() {
    assertThatThrownBy(() -> Durations.parse("9999999999999999999999d"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("too long");
  }

  @Test
  void parsingWhatWasPrintedGivesTheSameDuration() {
    qt().withExamples(20_000)
        .withFixedSeed(20261203L)
        .forAll(longs().all(), integers().between(0, 999_999_999))
        .checkAssert(
            (seconds, nanos) -> {
              Duration d = Duration.ofSeconds(seconds, nanos);
              assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
            });
  }

  @Test
  void parsingWhatWasPrintedGivesTheSameDurationForEverydayValues() {
    qt().withExamples(20_000)
        .withFixedSeed(20261204L)
        .forAll(longs().between(0, 400L * 86_400_000L))
        .checkAssert(
            millis -> {
              Duration d = Duration.ofMillis(millis);
              String text = Durations.format(d);
              assertThat(Durations.parse(text)).isEqualTo(d);
              assertThat(text.length()).isLessThanOrEqualTo((millis + "ms").length());
            });
  }
}
