package io.mayfly.wasm;

import com.dylibso.chicory.runtime.Memory;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;

/**
 * The WASI preview 1 subset of one guest instance, mapped onto Mayfly's semantics (docs/abi.md,
 * section WASI): standard output and error become the actor's log, line by line; both clocks read
 * the turn's node-clock reading; randomness comes from the turn's seed, so a turn replays exactly;
 * {@code proc_exit} fails the turn. There are no files, arguments or environment variables.
 *
 * <p>Per instance, like the instance not thread-safe. The buffers of partial lines and the random
 * stream live for one turn: {@link #endTurn} flushes and resets them.
 */
final class Wasi {
  // WASI errno values (wasi_snapshot_preview1 `errno`).
  static final int SUCCESS = 0;
  static final int EBADF = 8;
  static final int EINVAL = 28;
  static final int ENOSYS = 52;
  static final int ESPIPE = 70;

  static final int STDIN = 0;
  static final int STDOUT = 1;
  static final int STDERR = 2;

  /** Log levels of the ABI's {@code log}: standard output is info, standard error warning. */
  private static final int INFO = 2;

  private static final int WARN = 3;

  /** A line longer than this is logged in pieces of this size. */
  static final int MAX_LINE_BYTES = 8192;

  /** Both clocks tick in milliseconds (the node clock's resolution), as nanoseconds. */
  static final long CLOCK_RESOLUTION_NANOS = 1_000_000L;

  private static final int CLOCK_REALTIME = 0;
  private static final int CLOCK_MONOTONIC = 1;

  private static final byte FILETYPE_CHARACTER_DEVICE = 2;
  private static final long RIGHT_FD_READ = 1L << 1;
  private static final long RIGHT_FD_WRITE = 1L << 6;
  private static final long RIGHT_POLL_FD_READWRITE = 1L << 27;

  private final LineBuffer stdout = new LineBuffer(INFO);
  private final LineBuffer stderr = new LineBuffer(WARN);
  private SplittableRandom random;

  /** The one-value result of a call; read by the caller before the next call on this instance. */
  private final long[] result = new long[1];

  /**
   * Runs one WASI function.
   *
   * @param host the turn's host, or {@code null} outside a turn (start function, {@code
   *     _initialize}), where only functions that need no turn work
   */
  long[] call(WasiFunction f, long[] a, Memory memory, HostCalls host) {
    return switch (f) {
      case ARGS_GET, ENVIRON_GET -> errno(SUCCESS);
      case ARGS_SIZES_GET, ENVIRON_SIZES_GET -> {
        writeU32(memory, a[0], 0);
        writeU32(memory, a[1], 0);
        yield errno(SUCCESS);
      }
      case CLOCK_RES_GET -> {
        if (!knownClock(a[0])) {
          yield errno(EINVAL);
        }
        writeU64(memory, a[1], CLOCK_RESOLUTION_NANOS);
        yield errno(SUCCESS);
      }
      case CLOCK_TIME_GET -> {
        if (!knownClock(a[0])) {
          yield errno(EINVAL);
        }
        // Milliseconds since 1970 fit in nanoseconds until the year 2262.
        writeU64(memory, a[2], turn(f, host).nowMillis() * CLOCK_RESOLUTION_NANOS);
        yield errno(SUCCESS);
      }
      case FD_CLOSE -> errno(standardStream(a[0]) ? SUCCESS : EBADF);
      case FD_FDSTAT_GET -> errno(fdstat(memory, a[0], a[1]));
      case FD_PRESTAT_GET, FD_PRESTAT_DIR_NAME -> errno(EBADF);
      case FD_READ -> errno(read(memory, a[0], a[3]));
      case FD_SEEK -> errno(standardStream(a[0]) ? ESPIPE : EBADF);
      case FD_WRITE -> errno(write(f, memory, a, host));
      case POLL_ONEOFF -> errno(ENOSYS);
      case PROC_EXIT -> throw new GuestTrapException("guest called proc_exit(" + (int) a[0] + ")");
      case RANDOM_GET -> {
        GuestInstance.checkBounds(memory, a[0], a[1]);
        byte[] bytes = new byte[(int) a[1]];
        random(f, host).nextBytes(bytes);
        memory.write((int) a[0], bytes);
        yield errno(SUCCESS);
      }
      case SCHED_YIELD -> errno(SUCCESS);
    };
  }

  /**
   * Ends the turn: logs what is left of a partial line on either stream and forgets the turn's
   * random stream.
   */
  void endTurn(HostCalls host) {
    stdout.flush(host);
    stderr.flush(host);
    random = null;
  }

  private long[] errno(int code) {
    result[0] = code;
    return result;
  }

  private static boolean standardStream(long fd) {
    return fd == STDIN || fd == STDOUT || fd == STDERR;
  }

  private static boolean knownClock(long id) {
    return id == CLOCK_REALTIME || id == CLOCK_MONOTONIC;
  }

  private static HostCalls turn(WasiFunction f, HostCalls host) {
    if (host == null) {
      throw new GuestTrapException(
          "host function "
              + f.qualifiedName()
              + " called outside a turn (from a start function or _initialize?)");
    }
    return host;
  }

  private SplittableRandom random(WasiFunction f, HostCalls host) {
    if (random == null) {
      random = new SplittableRandom(turn(f, host).randomSeed());
    }
    return random;
  }

  /** The standard streams are character devices (a terminal, so C's stdio buffers by line). */
  private static int fdstat(Memory memory, long fd, long ptr) {
    if (!standardStream(fd)) {
      return EBADF;
    }
    GuestInstance.checkBounds(memory, ptr, 24);
    int p = (int) ptr;
    memory.write(p, new byte[24]);
    memory.writeByte(p, FILETYPE_CHARACTER_DEVICE);
    long rights = (fd == STDIN ? RIGHT_FD_READ : RIGHT_FD_WRITE) | RIGHT_POLL_FD_READWRITE;
    memory.writeLong(p + 8, rights);
    return SUCCESS;
  }

  /** Standard input is empty: reading it returns end of file. */
  private static int read(Memory memory, long fd, long nreadPtr) {
    if (fd != STDIN) {
      return EBADF;
    }
    writeU32(memory, nreadPtr, 0);
    return SUCCESS;
  }

  private int write(WasiFunction f, Memory memory, long[] a, HostCalls host) {
    LineBuffer stream = a[0] == STDOUT ? stdout : a[0] == STDERR ? stderr : null;
    if (stream == null) {
      return EBADF;
    }
    HostCalls turn = turn(f, host);
    int iovs = (int) a[1];
    int count = (int) a[2];
    GuestInstance.checkBounds(memory, iovs, 8L * Integer.toUnsignedLong(count));
    long written = 0;
    for (int i = 0; i < count; i++) {
      long ptr = Integer.toUnsignedLong(memory.readInt(iovs + 8 * i));
      long len = Integer.toUnsignedLong(memory.readInt(iovs + 8 * i + 4));
      GuestInstance.checkBounds(memory, ptr, len);
      if (len > 0) {
        stream.append(memory.readBytes((int) ptr, (int) len), turn);
      }
      written += len;
    }
    writeU32(memory, a[3], (int) written);
    return SUCCESS;
  }

  private static void writeU32(Memory memory, long ptr, int value) {
    GuestInstance.checkBounds(memory, ptr, 4);
    memory.writeI32((int) ptr, value);
  }

  private static void writeU64(Memory memory, long ptr, long value) {
    GuestInstance.checkBounds(memory, ptr, 8);
    memory.writeLong((int) ptr, value);
  }

  /** One standard stream: bytes up to a newline become one log line at the stream's level. */
  private static final class LineBuffer {
    private final int level;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LineBuffer(int level) {
      this.level = level;
    }

    void append(byte[] bytes, HostCalls host) {
      int start = 0;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          pending.write(bytes, start, i - start);
          emit(host);
          start = i + 1;
        } else if (pending.size() + (i + 1 - start) == MAX_LINE_BYTES) {
          pending.write(bytes, start, i + 1 - start);
          emit(host);
          start = i + 1;
        }
      }
      pending.write(bytes, start, bytes.length - start);
    }

    void flush(HostCalls host) {
      if (pending.size() > 0) {
        emit(host);
      }
    }

    private void emit(HostCalls host) {
      host.log(level, pending.toByteArray());
      pending.reset();
    }
  }
}
