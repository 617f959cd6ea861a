package io.mayfly.bench.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IngressWrkTest {
  private static final String REPORT =
      """
      Running 1s test @ http://127.0.0.1:41234
        2 threads and 8 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency   812.34us  400.12us   9.87ms   91.20%
          Req/Sec     4.95k   310.22     5.40k    70.00%
        Latency Distribution
           50%  745.00us
           75%    0.92ms
           90%    1.10ms
           99%    2.51ms
        9901 requests in 1.00s, 0.87MB read
      Requests/sec:   9852.47
      Transfer/sec:      0.87MB
      """;

  @Test
  void readsRequestsPerSecondAndThePercentilesInMicrosecondsAndMilliseconds() {
    IngressWrk.Result r = IngressWrk.parse(REPORT);

    assertThat(r.requestsPerSecond()).isEqualTo(9852.47);
    assertThat(r.requests()).isEqualTo(9901);
    assertThat(r.p50Nanos()).isEqualTo(745_000);
    assertThat(r.p75Nanos()).isEqualTo(920_000);
    assertThat(r.p90Nanos()).isEqualTo(1_100_000);
    assertThat(r.p99Nanos()).isEqualTo(2_510_000);
    assertThat(r.errors()).isZero();
  }

  @Test
  void readsSecondsAndRequestCountsWithMetricSuffixes() {
    String report =
        REPORT
            .replace("99%    2.51ms", "99%    1.20s")
            .replace("9901 requests in", "1.25M requests in")
            .replace("75%    0.92ms", "75%    2.00m");

    IngressWrk.Result r = IngressWrk.parse(report);

    assertThat(r.p99Nanos()).isEqualTo(1_200_000_000L);
    assertThat(r.p75Nanos()).isEqualTo(120_000_000_000L);
    assertThat(r.requests()).isEqualTo(1_250_000);
    assertThat(IngressWrk.parse(report.replace("1.25M requests", "31.5k requests")).requests())
        .isEqualTo(31_500);
  }

  @Test
  void countsNon2xxResponsesAndSocketErrorsAsErrors() {
    String report =
        REPORT.replace(
            "Requests/sec:",
            "  Socket errors: connect 0, read 2, write 1, timeout 3\n"
                + "  Non-2xx or 3xx responses: 17\n"
                + "Requests/sec:");

    assertThat(IngressWrk.parse(report).errors()).isEqualTo(23);
  }

  @Test
  void aReportWithoutTheLatencyDistributionSaysToRunWrkWithLatency() {
    String report = REPORT.replaceAll("(?s)  Latency Distribution.*?99%\\s+\\S+\\n", "");

    assertThatThrownBy(() -> IngressWrk.parse(report))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--latency");
  }

  @Test
  void aDurationWithoutAUnitIsRefused() {
    assertThatThrownBy(() -> IngressWrk.nanos("12.5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("12.5");
  }
}
