package io.mayfly.wasm;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.ChicoryException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * One instance of an actor module: an execution engine that serves many actors of its type, one
 * turn at a time. Not thread-safe; an {@link InstancePool} hands it to one thread at a time.
 *
 * <p>After a trap, a timeout or memory exhaustion the instance is {@link #broken()} and must be
 * discarded: its memory may be half-written.
 */
public final class GuestInstance {
  private static final long[] NO_RESULT = new long[0];
  private static final long ABSENT = AbiResult.NOT_FOUND.code();
  private static final long PAGE = 65_536;
  private static final long INVALID_ARGUMENT = AbiResult.INVALID_ARGUMENT.code();

  /** Longest state or shared-data key. */
  public static final int MAX_KEY_BYTES = 256;

  private final ActorModule module;
  private Instance instance;
  private Memory memory;
  private ExportFunction alloc;
  private ExportFunction handle;
  private ExportFunction onExpire;
  private HostCalls host;
  private boolean broken;

  /** The WASI subset, when the module imports any of it; null otherwise. */
  private final Wasi wasi;

  /**
   * The one-value result of a host call. The compiled caller reads it before anything else runs on
   * this instance (instances are single-threaded), so one array serves every call.
   */
  private final long[] result = new long[1];

  /**
   * The last state key read from guest memory, handed out again while the guest passes the same
   * bytes: a turn that reads and writes one key (and the next turn on this instance) allocates no
   * array for it. Host calls never change a key array they are given.
   */
  private byte[] lastKey = new byte[0];

  private GuestInstance(ActorModule module) {
    this.module = module;
    this.wasi = module.wasiImports().isEmpty() ? null : new Wasi();
  }

  static GuestInstance create(ActorModule module) {
    var guest = new GuestInstance(module);
    var functions = new ArrayList<ImportFunction>();
    for (AbiFunction f : module.abiImports()) {
      functions.add(
          new HostFunction(
              AbiFunction.NAMESPACE, f.importName, f.type, (inst, args) -> guest.call(f, args)));
    }
    for (WasiFunction f : module.wasiImports()) {
      functions.add(
          new HostFunction(
              WasiFunction.NAMESPACE,
              f.importName,
              f.type,
              (inst, args) -> guest.wasi.call(f, args, guest.memory, guest.host)));
    }
    guest.run(
        () -> {
          var builder =
              Instance.builder(module.wasm())
                  .withMemoryFactory(ByteArrayMemory::new)
                  .withMemoryLimits(module.memoryLimits())
                  .withImportValues(ImportValues.builder().withFunctions(functions).build())
                  .withStart(false);
          if (module.machines() != null) {
            builder.withMachineFactory(module.machines());
          }
          Instance instance = builder.build();
          guest.bind(instance);
          if (module.info().exports().contains(ActorModule.EXPORT_INITIALIZE)) {
            instance.export(ActorModule.EXPORT_INITIALIZE).apply();
          }
          return 0;
        });
    return guest;
  }

  private void bind(Instance instance) {
    this.instance = instance;
    this.memory = instance.memory();
    this.alloc = instance.export(ActorModule.EXPORT_ALLOC);
    this.handle = instance.export(ActorModule.EXPORT_HANDLE);
    this.onExpire =
        module.info().hasExpiryHandler() ? instance.export(ActorModule.EXPORT_EXPIRE) : null;
  }

  /** The module this instance runs. */
  public ActorModule module() {
    return module;
  }

  /** Whether the instance failed and must be discarded. */
  public boolean broken() {
    return broken;
  }

  int abiVersion() {
    return run(() -> (int) instance.export(ActorModule.EXPORT_VERSION).apply()[0]);
  }

  /**
   * Runs {@code mayfly_handle} for one message.
   *
   * @return the guest's result: 0 for success, anything else is an application error code
   * @throws GuestTrapException if the guest trapped
   * @throws TurnTimeoutException if the calling thread was interrupted (its deadline fired)
   * @throws GuestMemoryExhaustedException if the guest ran out of memory
   */
  public int handle(byte[] payload, HostCalls calls) {
    return withHost(
        calls,
        () -> {
          int ptr = write(payload);
          return (int) handle.apply(ptr, payload.length)[0];
        });
  }

  /** Whether the module exports {@code mayfly_on_expire}. */
  public boolean hasExpiryHandler() {
    return onExpire != null;
  }

  /** Runs {@code mayfly_on_expire}; same contract as {@link #handle}. */
  public int expire(HostCalls calls) {
    if (onExpire == null) {
      throw new IllegalStateException("module has no mayfly_on_expire export");
    }
    return withHost(calls, () -> (int) onExpire.apply()[0]);
  }

  private int withHost(HostCalls calls, GuestCall call) {
    if (broken) {
      throw new IllegalStateException("instance is broken and must be discarded");
    }
    this.host = calls;
    try {
      return run(call);
    } finally {
      if (wasi != null) {
        wasi.endTurn(calls);
      }
      this.host = null;
    }
  }

  @FunctionalInterface
  private interface GuestCall {
    int run();
  }

  private int run(GuestCall call) {
    try {
      return call.run();
    } catch (MayflyException e) {
      broken = true;
      throw e;
    } catch (ChicoryException | StackOverflowError | OutOfMemoryError e) {
      broken = true;
      throw classify(e);
    }
  }

  private MayflyException classify(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ChicoryInterruptedException) {
        return new TurnTimeoutException("guest was stopped at its deadline", e);
      }
      if (t instanceof MayflyException m) {
        return m;
      }
    }
    if (e instanceof StackOverflowError) {
      return new GuestTrapException("guest trapped: call stack exhausted", e);
    }
    if (e instanceof OutOfMemoryError) {
      return new GuestMemoryExhaustedException("guest exhausted host memory", e);
    }
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (memory != null && memory.pages() >= module.maxMemoryPages()) {
      return new GuestMemoryExhaustedException(
          "guest trapped after its memory reached the cap of "
              + module.maxMemoryPages()
              + " pages: "
              + reason,
          e);
    }
    String usage =
        memory == null
            ? ""
            : " (memory " + memory.pages() + " of " + module.maxMemoryPages() + " pages)";
    return new GuestTrapException("guest trapped: " + reason + usage, e);
  }

  // ---- host function dispatch ------------------------------------------------------------

  private long[] call(AbiFunction f, long[] a) {
    HostCalls h = host;
    if (h == null) {
      throw new GuestTrapException(
          "host function mayfly."
              + f.importName
              + " called outside a turn (from a start function?)");
    }
    return switch (f) {
      case SELF -> one(packed(h.self()));
      case SENDER -> one(packed(h.sender()));
      case MESSAGE_KIND -> one(h.messageKind());
      case CORRELATION_ID -> one(h.correlationId());
      case REPLY_STATUS -> one(h.replyStatus());
      case TOPIC -> one(packed(h.topic()));
      case NOW_MS -> one(h.nowMillis());
      case LOG -> {
        h.log((int) a[0], read(a[1], a[2]));
        yield NO_RESULT;
      }
      case STATE_GET -> {
        byte[] key = key(a[0], a[1]);
        yield one(validKey(key) ? packed(h.stateGet(key)) : INVALID_ARGUMENT);
      }
      case STATE_PUT -> {
        byte[] key = key(a[0], a[1]);
        yield one(validKey(key) ? h.statePut(key, read(a[2], a[3])) : INVALID_ARGUMENT);
      }
      case STATE_DELETE -> {
        byte[] key = key(a[0], a[1]);
        yield one(validKey(key) ? h.stateDelete(key) : INVALID_ARGUMENT);
      }
      case STATE_CLEAR -> {
        h.stateClear();
        yield NO_RESULT;
      }
      case STATE_TTL -> {
        byte[] key = key(a[0], a[1]);
        yield one(validKey(key) ? h.stateTtl(key, (int) a[2], a[3]) : INVALID_ARGUMENT);
      }
      case ACTOR_TTL -> one(h.actorTtl((int) a[0], a[1]));
      case SEND -> one(h.send(read(a[0], a[1]), read(a[2], a[3])));
      case ASK -> one(h.ask(read(a[0], a[1]), read(a[2], a[3]), a[4]));
      case REPLY -> one(h.reply(read(a[0], a[1])));
      case REPLY_HANDLE -> {
        byte[] handleBytes = h.replyHandle();
        yield one(handleBytes == null ? AbiResult.NO_REQUEST.code() : packed(handleBytes));
      }
      case REPLY_TO -> one(h.replyTo(read(a[0], a[1]), read(a[2], a[3])));
      case PUBLISH -> one(h.publish(read(a[0], a[1]), read(a[2], a[3])));
      case SUBSCRIBE -> one(h.subscribe(read(a[0], a[1])));
      case UNSUBSCRIBE -> one(h.unsubscribe(read(a[0], a[1])));
      case TIMER_SET -> one(h.timerSet(a[0], read(a[1], a[2])));
      case TIMER_CANCEL -> one(h.timerCancel(a[0]));
      case SHARED_GET -> {
        byte[] key = read(a[0], a[1]);
        yield one(validKey(key) ? packed(h.sharedGet(key)) : INVALID_ARGUMENT);
      }
    };
  }

  /** Keys are 1 to {@value #MAX_KEY_BYTES} bytes of well-formed UTF-8. */
  static boolean validKey(byte[] key) {
    if (key.length == 0 || key.length > MAX_KEY_BYTES) {
      return false;
    }
    for (byte b : key) {
      if (b < 0) {
        return isUtf8(key);
      }
    }
    return true;
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private long[] one(long value) {
    result[0] = value;
    return result;
  }

  /** A state key's bytes: {@link #lastKey} itself when the guest passed the same bytes again. */
  private byte[] key(long ptr, long len) {
    byte[] last = lastKey;
    if (len == last.length && len > 0) {
      checkBounds(memory, ptr, len);
      int at = (int) ptr;
      int i = 0;
      while (i < last.length && memory.read(at + i) == last[i]) {
        i++;
      }
      if (i == last.length) {
        return last;
      }
    }
    byte[] key = read(ptr, len);
    lastKey = key;
    return key;
  }

  private byte[] read(long ptr, long len) {
    checkBounds(memory, ptr, len);
    return len == 0 ? new byte[0] : memory.readBytes((int) ptr, (int) len);
  }

  /**
   * Traps the turn unless {@code [ptr, ptr + len)} lies inside the guest's memory. Both are i32
   * values as the guest passed them (negative ones read as large unsigned values).
   */
  static void checkBounds(Memory memory, long ptr, long len) {
    int p = (int) ptr;
    int n = (int) len;
    long size = memory.pages() * PAGE;
    if (p < 0 || n < 0 || len != n || (long) p + n > size) {
      throw new GuestTrapException(
          "guest passed a buffer ["
              + Integer.toUnsignedString(p)
              + ", +"
              + (len < 0 ? Integer.toUnsignedString((int) len) : Long.toString(len))
              + ") outside its memory of "
              + size
              + " bytes");
    }
  }

  private long packed(byte[] data) {
    if (data == null) {
      return ABSENT;
    }
    if (data.length == 0) {
      return 0;
    }
    int ptr = write(data);
    return ((long) ptr << 32) | data.length;
  }

  /** Copies bytes into guest memory through the guest's allocator. */
  private int write(byte[] data) {
    int ptr = (int) alloc.apply(data.length)[0];
    if (data.length == 0) {
      return ptr;
    }
    long size = memory.pages() * PAGE;
    if (ptr == 0) {
      throw new GuestMemoryExhaustedException(
          "guest allocator mayfly_alloc returned 0 for " + data.length + " bytes");
    }
    if (ptr < 0 || (long) ptr + data.length > size) {
      throw new GuestTrapException(
          "guest allocator mayfly_alloc returned "
              + Integer.toUnsignedString(ptr)
              + " for "
              + data.length
              + " bytes, outside its memory of "
              + size
              + " bytes");
    }
    memory.write(ptr, data);
    return ptr;
  }
}
