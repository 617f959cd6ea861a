package io.mayfly.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mayfly.testing.Wat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The WASI preview 1 subset (docs/abi.md, section WASI), one function at a time, through guests
 * written in WAT: each handler calls WASI functions and returns their errno or reports what they
 * wrote with {@code mayfly.state_put} under key {@code out}.
 */
class WasiTest {
  private static final String IMPORTS =
      """
      (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "args_sizes_get"
        (func $args_sizes_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "environ_get"
        (func $environ_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "environ_sizes_get"
        (func $environ_sizes_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "clock_res_get"
        (func $clock_res_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "clock_time_get"
        (func $clock_time_get (param i32 i64 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_fdstat_get"
        (func $fd_fdstat_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_prestat_get"
        (func $fd_prestat_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_prestat_dir_name"
        (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_read"
        (func $fd_read (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_seek"
        (func $fd_seek (param i32 i64 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write"
        (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "poll_oneoff"
        (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
      (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
      (import "mayfly" "state_put" (func $state_put (param i32 i32 i32 i32) (result i32)))
      """;

  /** Key "out" at 0; {@code $out} puts memory [ptr, ptr + len) under it. */
  private static final String OUT =
      """
      (data (i32.const 0) "out")
      (func $out (param $ptr i32) (param $len i32)
        (drop (call $state_put (i32.const 0) (i32.const 3) (local.get $ptr) (local.get $len))))
      """;

  private static ActorModule module(String handlerBody) {
    return module("", handlerBody);
  }

  /** A module whose {@code mayfly_handle} runs {@code handlerBody} ($p, $n: the payload). */
  private static ActorModule module(String extra, String handlerBody) {
    String wat =
        "(module "
            + IMPORTS
            + Wat.RUNTIME
            + OUT
            + extra
            + "(func (export \"mayfly_handle\") (param $p i32) (param $n i32) (result i32)\n"
            + handlerBody
            + ")\n)";
    return ActorModule.compile(Wat.compile(wat), ModuleLimits.DEFAULTS);
  }

  /**
   * Writes the payload to {@code fd} through two iovecs (the payload split at its middle) and
   * returns the errno, or 100 + nwritten on success.
   */
  private static final String WRITE_PAYLOAD_TO =
      """
      (i32.store (i32.const 200) (local.get $p))
      (i32.store (i32.const 204) (i32.div_u (local.get $n) (i32.const 2)))
      (i32.store (i32.const 208) (i32.add (local.get $p) (i32.div_u (local.get $n) (i32.const 2))))
      (i32.store (i32.const 212) (i32.sub (local.get $n) (i32.div_u (local.get $n) (i32.const 2))))
      (local.set $n (call $fd_write (i32.const FD) (i32.const 200) (i32.const 2) (i32.const 216)))
      (if (result i32) (local.get $n)
        (then (local.get $n))
        (else (i32.add (i32.const 100) (i32.load (i32.const 216)))))
      """;

  private static ActorModule writer(int fd) {
    return module(WRITE_PAYLOAD_TO.replace("FD", Integer.toString(fd)));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- fd_write: standard output and error become the actor's log --------------------------

  @Test
  void standardOutputIsLoggedLineByLineAtInfoLevel() {
    var host = new FakeHost();
    GuestInstance guest = writer(1).instantiate();
    assertThat(guest.handle(utf8("hello\nbig\nworld\n"), host)).isEqualTo(100 + 16);
    assertThat(host.logs).containsExactly("2 hello", "2 big", "2 world");
  }

  @Test
  void standardErrorIsLoggedAtWarningLevel() {
    var host = new FakeHost();
    assertThat(writer(2).instantiate().handle(utf8("disk almost full\n"), host))
        .isEqualTo(100 + 17);
    assertThat(host.logs).containsExactly("3 disk almost full");
  }

  @Test
  void aPartialLineIsFlushedAtTheEndOfTheTurnAndNotCarriedIntoTheNext() {
    GuestInstance guest = writer(1).instantiate();
    var first = new FakeHost();
    guest.handle(utf8("one\ntwo"), first);
    assertThat(first.logs).containsExactly("2 one", "2 two");
    var second = new FakeHost();
    guest.handle(utf8("three\n"), second);
    assertThat(second.logs).containsExactly("2 three");
  }

  @Test
  void aPartialLineIsFlushedEvenWhenTheTurnFails() {
    var host = new FakeHost();
    ActorModule module =
        module(
            WRITE_PAYLOAD_TO.replace("FD", "1")
                + "(drop) (call $proc_exit (i32.const 7)) (i32.const 0)");
    assertThatThrownBy(() -> module.instantiate().handle(utf8("last words"), host))
        .isInstanceOf(GuestTrapException.class);
    assertThat(host.logs).containsExactly("2 last words");
  }

  @Test
  void anEmptyLineIsLoggedAsAnEmptyMessage() {
    var host = new FakeHost();
    writer(1).instantiate().handle(utf8("a\n\nb\n"), host);
    assertThat(host.logs).containsExactly("2 a", "2 ", "2 b");
  }

  @Test
  void aLineLongerThanTheLimitIsLoggedInPieces() {
    var host = new FakeHost();
    String line = "x".repeat(Wasi.MAX_LINE_BYTES * 2 + 5);
    writer(1).instantiate().handle(utf8(line + "\n"), host);
    assertThat(host.logs)
        .containsExactly(
            "2 " + "x".repeat(Wasi.MAX_LINE_BYTES),
            "2 " + "x".repeat(Wasi.MAX_LINE_BYTES),
            "2 xxxxx");
  }

  @Test
  void writingToAnyOtherDescriptorIsBadf() {
    for (int fd : new int[] {0, 3, 42}) {
      var host = new FakeHost();
      assertThat(writer(fd).instantiate().handle(utf8("x\n"), host))
          .as("fd %d", fd)
          .isEqualTo(Wasi.EBADF);
      assertThat(host.logs).isEmpty();
    }
  }

  @Test
  void anIovecOutsideMemoryTrapsTheTurn() {
    ActorModule module =
        module(
            """
            (i32.store (i32.const 200) (i32.const 131000))
            (i32.store (i32.const 204) (i32.const 1000))
            (call $fd_write (i32.const 1) (i32.const 200) (i32.const 1) (i32.const 216))
            """);
    assertThatThrownBy(() -> module.instantiate().handle(new byte[0], new FakeHost()))
        .isInstanceOf(GuestTrapException.class)
        .hasMessageContaining("outside its memory");
  }

  @Test
  void writingOutsideATurnIsRefusedAtInstantiation() {
    String init =
        """
        (func (export "_initialize")
          (drop (call $fd_write (i32.const 1) (i32.const 200) (i32.const 0) (i32.const 216))))
        """;
    ActorModule module = module(init, "(i32.const 0)");
    assertThatThrownBy(module::instantiate)
        .isInstanceOf(GuestTrapException.class)
        .hasMessageContaining("wasi_snapshot_preview1.fd_write called outside a turn");
  }

  // ---- clocks ---------------------------------------------------------------------------------

  /** Reads clock $p[0] into 300 and reports it; returns the errno. */
  private static final String READ_CLOCK =
      """
      (local.set $n (call $clock_time_get (i32.load8_u (local.get $p)) (i64.const 1) (i32.const 300)))
      (call $out (i32.const 300) (i32.const 8))
      (local.get $n)
      """;

  @Test
  void realtimeAndMonotonicClocksReadTheTurnsNodeClockInNanoseconds() {
    GuestInstance guest = module(READ_CLOCK).instantiate();
    for (byte clock : new byte[] {0, 1}) {
      var host = new FakeHost();
      host.nowMillis = 1_767_225_600_123L;
      assertThat(guest.handle(new byte[] {clock}, host)).isZero();
      assertThat(host.outLong()).as("clock %d", clock).isEqualTo(1_767_225_600_123_000_000L);
    }
  }

  @Test
  void cpuTimeClocksAreInvalid() {
    GuestInstance guest = module(READ_CLOCK).instantiate();
    for (byte clock : new byte[] {2, 3, 9}) {
      assertThat(guest.handle(new byte[] {clock}, new FakeHost()))
          .as("clock %d", clock)
          .isEqualTo(Wasi.EINVAL);
    }
  }

  @Test
  void bothClocksHaveMillisecondResolution() {
    String resolution =
        """
        (local.set $n (call $clock_res_get (i32.load8_u (local.get $p)) (i32.const 300)))
        (call $out (i32.const 300) (i32.const 8))
        (local.get $n)
        """;
    GuestInstance guest = module(resolution).instantiate();
    for (byte clock : new byte[] {0, 1}) {
      var host = new FakeHost();
      assertThat(guest.handle(new byte[] {clock}, host)).isZero();
      assertThat(host.outLong()).isEqualTo(1_000_000L);
    }
    assertThat(guest.handle(new byte[] {2}, new FakeHost())).isEqualTo(Wasi.EINVAL);
  }

  // ---- random_get -----------------------------------------------------------------------------

  /** Two random_get calls of 8 and 24 bytes, reported as 32 bytes. */
  private static final String RANDOM_TWICE =
      """
      (drop (call $random_get (i32.const 300) (i32.const 8)))
      (local.set $n (call $random_get (i32.const 308) (i32.const 24)))
      (call $out (i32.const 300) (i32.const 32))
      (local.get $n)
      """;

  @Test
  void randomBytesAreTheTurnsSeedExpandedBySplittableRandom() {
    var host = new FakeHost();
    host.seed = 0x5eed_1234_abcdL;
    assertThat(module(RANDOM_TWICE).instantiate().handle(new byte[0], host)).isZero();
    byte[] expected = new byte[8];
    var random = new SplittableRandom(0x5eed_1234_abcdL);
    random.nextBytes(expected);
    byte[] rest = new byte[24];
    random.nextBytes(rest);
    assertThat(host.out).startsWith(expected).endsWith(rest);
  }

  @Test
  void aTurnWithTheSameSeedGetsTheSameBytesInAnyInstance() {
    ActorModule module = module(RANDOM_TWICE);
    var recorded = new FakeHost();
    recorded.seed = 42;
    module.instantiate().handle(new byte[0], recorded);
    var replayed = new FakeHost();
    replayed.seed = 42;
    GuestInstance other = module.instantiate();
    other.handle(new byte[0], new FakeHost()); // a turn before does not shift the stream
    other.handle(new byte[0], replayed);
    assertThat(replayed.out).isEqualTo(recorded.out);
    var another = new FakeHost();
    another.seed = 43;
    module.instantiate().handle(new byte[0], another);
    assertThat(another.out).isNotEqualTo(recorded.out);
  }

  // ---- proc_exit ------------------------------------------------------------------------------

  @Test
  void procExitFailsTheTurnNamingTheCodeAndBreaksTheInstance() {
    GuestInstance guest = module("(call $proc_exit (i32.const 3)) (i32.const 0)").instantiate();
    assertThatThrownBy(() -> guest.handle(new byte[0], new FakeHost()))
        .isInstanceOf(GuestTrapException.class)
        .hasMessageContaining("proc_exit(3)");
    assertThat(guest.broken()).isTrue();
  }

  // ---- arguments and environment -----------------------------------------------------------

  @Test
  void thereAreNoArgumentsAndNoEnvironment() {
    String sizes =
        """
        (i64.store (i32.const 300) (i64.const -1))
        (i64.store (i32.const 308) (i64.const -1))
        (local.set $n (i32.or
          (i32.or (call $args_sizes_get (i32.const 300) (i32.const 304))
                  (call $environ_sizes_get (i32.const 308) (i32.const 312)))
          (i32.or (call $args_get (i32.const 400) (i32.const 500))
                  (call $environ_get (i32.const 400) (i32.const 500)))))
        (call $out (i32.const 300) (i32.const 16))
        (local.get $n)
        """;
    var host = new FakeHost();
    assertThat(module(sizes).instantiate().handle(new byte[0], host)).isZero();
    assertThat(host.out).isEqualTo(new byte[16]);
  }

  // ---- descriptors ----------------------------------------------------------------------------

  /** Runs {@code call} with $fd = payload[0] and returns its errno. */
  private static int errno(String call, int fd) {
    ActorModule module =
        module("(local $fd i32) (local.set $fd (i32.load8_u (local.get $p))) " + call);
    return module.instantiate().handle(new byte[] {(byte) fd}, new FakeHost());
  }

  @Test
  void closingAStandardStreamSucceedsAndAnyOtherDescriptorIsBadf() {
    String close = "(call $fd_close (local.get $fd))";
    assertThat(errno(close, 0)).isZero();
    assertThat(errno(close, 1)).isZero();
    assertThat(errno(close, 2)).isZero();
    assertThat(errno(close, 3)).isEqualTo(Wasi.EBADF);
  }

  @Test
  void seekingAStandardStreamIsEspipeAndAnyOtherDescriptorIsBadf() {
    String seek = "(call $fd_seek (local.get $fd) (i64.const 0) (i32.const 0) (i32.const 300))";
    assertThat(errno(seek, 1)).isEqualTo(Wasi.ESPIPE);
    assertThat(errno(seek, 4)).isEqualTo(Wasi.EBADF);
  }

  @Test
  void theStandardStreamsAreCharacterDevicesWithoutSeekRights() {
    String stat =
        """
        (local $fd i32) (local.set $fd (i32.load8_u (local.get $p)))
        (local.set $n (call $fd_fdstat_get (local.get $fd) (i32.const 300)))
        (call $out (i32.const 300) (i32.const 24))
        (local.get $n)
        """;
    ActorModule module = module(stat);
    long[] rights = {1L << 1 | 1L << 27, 1L << 6 | 1L << 27, 1L << 6 | 1L << 27};
    for (int fd = 0; fd <= 2; fd++) {
      var host = new FakeHost();
      assertThat(module.instantiate().handle(new byte[] {(byte) fd}, host)).isZero();
      ByteBuffer fdstat = ByteBuffer.wrap(host.out).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(fdstat.get(0)).as("filetype of %d", fd).isEqualTo((byte) 2);
      assertThat(fdstat.getShort(2)).as("flags of %d", fd).isZero();
      assertThat(fdstat.getLong(8)).as("rights of %d", fd).isEqualTo(rights[fd]);
      assertThat(fdstat.getLong(16)).as("inherited rights of %d", fd).isZero();
    }
    assertThat(module.instantiate().handle(new byte[] {3}, new FakeHost())).isEqualTo(Wasi.EBADF);
  }

  @Test
  void thereAreNoPreopenedDirectories() {
    assertThat(errno("(call $fd_prestat_get (local.get $fd) (i32.const 300))", 3))
        .isEqualTo(Wasi.EBADF);
    assertThat(
            errno("(call $fd_prestat_dir_name (local.get $fd) (i32.const 300) (i32.const 16))", 3))
        .isEqualTo(Wasi.EBADF);
  }

  @Test
  void standardInputIsEmptyAndNothingElseCanBeRead() {
    String read =
        """
        (local $fd i32) (local.set $fd (i32.load8_u (local.get $p)))
        (i32.store (i32.const 200) (i32.const 400))
        (i32.store (i32.const 204) (i32.const 16))
        (i32.store (i32.const 300) (i32.const -1))
        (local.set $n (call $fd_read (local.get $fd) (i32.const 200) (i32.const 1) (i32.const 300)))
        (call $out (i32.const 300) (i32.const 4))
        (local.get $n)
        """;
    var host = new FakeHost();
    assertThat(module(read).instantiate().handle(new byte[] {0}, host)).isZero();
    assertThat(host.out).isEqualTo(new byte[4]);
    assertThat(module(read).instantiate().handle(new byte[] {1}, new FakeHost()))
        .isEqualTo(Wasi.EBADF);
  }

  @Test
  void yieldingSucceedsAndPollingIsNotImplemented() {
    assertThat(errno("(call $sched_yield)", 0)).isZero();
    assertThat(
            errno(
                "(call $poll_oneoff (i32.const 300) (i32.const 400) (i32.const 1) (i32.const 500))",
                0))
        .isEqualTo(Wasi.ENOSYS);
  }

  // ---- deploy ---------------------------------------------------------------------------------

  @Test
  void theWasiImportsAreListedWithTheirNamespace() {
    assertThat(writer(1).info().imports())
        .contains(
            "state_put", "wasi_snapshot_preview1.fd_write", "wasi_snapshot_preview1.proc_exit");
  }

  @Test
  void aWasiFunctionOutsideTheSubsetIsRefusedNamingIt() {
    String wat =
        "(module (import \"wasi_snapshot_preview1\" \"path_open\""
            + " (func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))"
            + ActorModuleTest.VALID_EXPORTS
            + ")";
    assertThatThrownBy(() -> ActorModule.compile(Wat.compile(wat), ModuleLimits.DEFAULTS))
        .isInstanceOf(AbiViolationException.class)
        .hasMessageContaining("unsupported WASI import wasi_snapshot_preview1.path_open");
  }

  @Test
  void aWasiImportWithTheWrongSignatureIsRefused() {
    String wat =
        "(module (import \"wasi_snapshot_preview1\" \"fd_write\" (func (param i32) (result i32)))"
            + ActorModuleTest.VALID_EXPORTS
            + ")";
    assertThatThrownBy(() -> ActorModule.compile(Wat.compile(wat), ModuleLimits.DEFAULTS))
        .isInstanceOf(AbiViolationException.class)
        .hasMessageContaining("import wasi_snapshot_preview1.fd_write has signature (i32) -> (i32)")
        .hasMessageContaining("expected (i32, i32, i32, i32) -> (i32)");
  }

  @Test
  void initializeRunsOncePerInstanceBeforeTheFirstTurn() {
    String init =
        """
        (global $inits (mut i32) (i32.const 0))
        (func (export "_initialize") (global.set $inits (i32.add (global.get $inits) (i32.const 1))))
        """;
    ActorModule module = module(init, "(global.get $inits)");
    GuestInstance guest = module.instantiate();
    assertThat(guest.handle(new byte[0], new FakeHost())).isEqualTo(1);
    assertThat(guest.handle(new byte[0], new FakeHost())).isEqualTo(1);
    assertThat(module.instantiate().handle(new byte[0], new FakeHost())).isEqualTo(1);
  }

  /** A turn's host: a fixed clock and seed; records logs and the value put under "out". */
  static final class FakeHost implements HostCalls {
    long nowMillis = 1_000;
    long seed = 7;
    final List<String> logs = new ArrayList<>();
    byte[] out;

    long outLong() {
      return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Override
    public long nowMillis() {
      return nowMillis;
    }

    @Override
    public long randomSeed() {
      return seed;
    }

    @Override
    public void log(int level, byte[] message) {
      logs.add(level + " " + new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public int statePut(byte[] key, byte[] value) {
      assertThat(new String(key, StandardCharsets.UTF_8)).isEqualTo("out");
      out = value;
      return 0;
    }

    private static AssertionError unexpected() {
      return new AssertionError("the WASI tests use only now, the seed, log and state_put");
    }

    @Override
    public byte[] self() {
      throw unexpected();
    }

    @Override
    public byte[] sender() {
      throw unexpected();
    }

    @Override
    public int messageKind() {
      throw unexpected();
    }

    @Override
    public long correlationId() {
      throw unexpected();
    }

    @Override
    public int replyStatus() {
      throw unexpected();
    }

    @Override
    public byte[] topic() {
      throw unexpected();
    }

    @Override
    public byte[] stateGet(byte[] key) {
      throw unexpected();
    }

    @Override
    public int stateDelete(byte[] key) {
      throw unexpected();
    }

    @Override
    public void stateClear() {
      throw unexpected();
    }

    @Override
    public int stateTtl(byte[] key, int policy, long ttlMillis) {
      throw unexpected();
    }

    @Override
    public int actorTtl(int policy, long ttlMillis) {
      throw unexpected();
    }

    @Override
    public int send(byte[] address, byte[] message) {
      throw unexpected();
    }

    @Override
    public long ask(byte[] address, byte[] message, long timeoutMillis) {
      throw unexpected();
    }

    @Override
    public int reply(byte[] message) {
      throw unexpected();
    }

    @Override
    public byte[] replyHandle() {
      throw unexpected();
    }

    @Override
    public int replyTo(byte[] handle, byte[] message) {
      throw unexpected();
    }

    @Override
    public int publish(byte[] topic, byte[] message) {
      throw unexpected();
    }

    @Override
    public int subscribe(byte[] filter) {
      throw unexpected();
    }

    @Override
    public int unsubscribe(byte[] filter) {
      throw unexpected();
    }

    @Override
    public long timerSet(long delayMillis, byte[] message) {
      throw unexpected();
    }

    @Override
    public int timerCancel(long timerId) {
      throw unexpected();
    }

    @Override
    public byte[] sharedGet(byte[] key) {
      throw unexpected();
    }
  }
}
