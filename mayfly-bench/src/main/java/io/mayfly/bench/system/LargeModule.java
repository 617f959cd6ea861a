package io.mayfly.bench.system;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A generated actor module of a given size, mostly code, to time deploys of a module larger than
 * the test guests: {@code n} functions that do integer arithmetic, loads and stores on a scratch
 * area, a short loop and a branch each, and call two others, so the functions form a binary call
 * tree from {@code f0} (every function is reachable; the deepest call is about log2(n) frames).
 * Constants, offsets and operators vary from function to function, so no two bodies are alike.
 *
 * <p>It follows the actor ABI (docs/abi.md): it exports {@code memory}, {@code mayfly_abi_version},
 * a bump {@code mayfly_alloc} and {@code mayfly_handle}, which runs {@code f0} over the scratch
 * area with the payload's length and stores the 4-byte result under the key {@code r} ({@code
 * state_put} is its one import).
 *
 * <p>The binary is written directly, not compiled from WAT: Chicory's {@code Wat2Wasm} takes
 * seconds for 100 KiB in a cold JVM, and writing it lets the size be hit exactly. In WAT, function
 * {@code k} reads:
 *
 * <pre>{@code
 * (func $fk (param $p i32) (param $x i32) (result i32)
 *   (local $a i32) (local $b i32) (local $c i64) (local $i i32)
 *   (local.set $a (OP1 (local.get $x) (i32.const C1)))
 *   (local.set $b (i32.load offset=O1 (local.get $p)))
 *   (block $done (loop $next
 *     (br_if $done (i32.ge_u (local.get $i) (i32.const ROUNDS)))
 *     (local.set $a (i32.xor (i32.mul (local.get $a) (i32.const C2))
 *                            (i32.rotl (local.get $b) (i32.const ROT))))
 *     (local.set $b (OP2 (local.get $b) (i32.load offset=O2 (local.get $p))))
 *     (i32.store offset=O3 (local.get $p) (local.get $a))
 *     (local.set $i (i32.add (local.get $i) (i32.const 1)))
 *     (br $next)))
 *   (local.set $c (i64.mul (i64.extend_i32_u (local.get $a)) (i64.const C3)))
 *   (i64.store offset=O4 (local.get $p) (local.get $c))
 *   (if (i32.gt_u (local.get $a) (local.get $b))
 *     (then (local.set $a (i32.sub (local.get $a) (local.get $b))))
 *     (else (local.set $a (i32.add (local.get $a) (i32.shr_u (local.get $b) (i32.const 3))))))
 *   (local.set $a (i32.add (local.get $a) (call $f{2k+1} (local.get $p) (local.get $a))))
 *   (local.set $a (i32.add (local.get $a) (call $f{2k+2} (local.get $p) (local.get $a))))
 *   (i32.xor (local.get $a) (i32.wrap_i64 (local.get $c))))
 * }</pre>
 */
final class LargeModule {
  /** The target size of the deploy workload: 100 KiB. */
  static final int TARGET_BYTES = 100 * 1024;

  /** Where the functions read and write: a page below the allocator's arena. */
  private static final int SCRATCH = 4096;

  /** The allocator's arena, emptied after each message. */
  private static final int ARENA = 65536;

  /** Functions before the generated ones: the import and the three ABI exports. */
  private static final int FIRST_GENERATED = 4;

  // Opcodes (WebAssembly core specification, section 5.4).
  private static final int BLOCK = 0x02;
  private static final int LOOP = 0x03;
  private static final int IF = 0x04;
  private static final int ELSE = 0x05;
  private static final int END = 0x0B;
  private static final int BR = 0x0C;
  private static final int BR_IF = 0x0D;
  private static final int CALL = 0x10;
  private static final int LOCAL_GET = 0x20;
  private static final int LOCAL_SET = 0x21;
  private static final int GLOBAL_GET = 0x23;
  private static final int GLOBAL_SET = 0x24;
  private static final int I32_LOAD = 0x28;
  private static final int I32_STORE = 0x36;
  private static final int I64_STORE = 0x37;
  private static final int I32_CONST = 0x41;
  private static final int I64_CONST = 0x42;
  private static final int I32_GT_U = 0x4B;
  private static final int I32_GE_U = 0x4F;
  private static final int I32_ADD = 0x6A;
  private static final int I32_SUB = 0x6B;
  private static final int I32_MUL = 0x6C;
  private static final int I32_AND = 0x71;
  private static final int I32_OR = 0x72;
  private static final int I32_XOR = 0x73;
  private static final int I32_SHL = 0x74;
  private static final int I32_SHR_U = 0x76;
  private static final int I32_ROTL = 0x77;
  private static final int I64_MUL = 0x7E;
  private static final int I32_WRAP_I64 = 0xA7;
  private static final int I64_EXTEND_I32_U = 0xAD;
  private static final int EMPTY_BLOCK = 0x40;
  private static final int I32 = 0x7F;
  private static final int I64 = 0x7E;

  private static final int[] BINARY_OPS = {
    I32_ADD, I32_SUB, I32_MUL, I32_XOR, I32_AND, I32_OR, I32_ROTL, I32_SHL
  };

  // Locals of a generated function: two parameters, then four locals.
  private static final int P = 0;
  private static final int X = 1;
  private static final int A = 2;
  private static final int B = 3;
  private static final int C = 4;
  private static final int I = 5;

  private LargeModule() {}

  /** The smallest module of this shape of at least {@code targetBytes}. */
  static byte[] ofAtLeast(int targetBytes) {
    int low = 1;
    int high = 1;
    while (module(high).length < targetBytes) {
      low = high + 1;
      high *= 2;
    }
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (module(mid).length < targetBytes) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return module(low);
  }

  /** The module with {@code functions} generated functions. */
  static byte[] module(int functions) {
    if (functions < 1) {
      throw new IllegalArgumentException("at least one function, was " + functions);
    }
    var wasm = new Bytes();
    wasm.raw(0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00);
    wasm.section(1, types());
    wasm.section(2, imports());
    wasm.section(3, functionTypes(functions));
    wasm.section(5, new Bytes().u32(1).raw(0x00).u32(4)); // one memory of 4 pages, no maximum
    wasm.section(6, new Bytes().u32(1).raw(I32, 0x01, I32_CONST).s64(ARENA).raw(END));
    wasm.section(7, exports());
    wasm.section(10, code(functions));
    wasm.section(11, new Bytes().u32(1).raw(0x00, I32_CONST, 0x00, END).name("r"));
    return wasm.toByteArray();
  }

  /** 0: state_put, 1: () -> i32, 2: (i32) -> i32, 3: (i32 i32) -> i32. */
  private static Bytes types() {
    return new Bytes()
        .u32(4)
        .raw(0x60, 4, I32, I32, I32, I32, 1, I32)
        .raw(0x60, 0, 1, I32)
        .raw(0x60, 1, I32, 1, I32)
        .raw(0x60, 2, I32, I32, 1, I32);
  }

  private static Bytes imports() {
    return new Bytes().u32(1).name("mayfly").name("state_put").raw(0x00).u32(0);
  }

  private static Bytes functionTypes(int functions) {
    var b = new Bytes().u32(3 + functions).u32(1).u32(2).u32(3);
    for (int k = 0; k < functions; k++) {
      b.u32(3);
    }
    return b;
  }

  private static Bytes exports() {
    return new Bytes()
        .u32(4)
        .name("memory")
        .raw(0x02)
        .u32(0)
        .name("mayfly_abi_version")
        .raw(0x00)
        .u32(1)
        .name("mayfly_alloc")
        .raw(0x00)
        .u32(2)
        .name("mayfly_handle")
        .raw(0x00)
        .u32(3);
  }

  private static Bytes code(int functions) {
    var b = new Bytes().u32(3 + functions);
    b.body(new Bytes().u32(0).raw(I32_CONST, 1, END));
    b.body(alloc());
    b.body(handle());
    for (int k = 0; k < functions; k++) {
      b.body(function(k, functions));
    }
    return b;
  }

  /** {@code mayfly_alloc(n)}: returns the arena's top and moves it up by {@code n}. */
  private static Bytes alloc() {
    return new Bytes()
        .raw(1, 1, I32) // local $p
        .raw(GLOBAL_GET, 0, LOCAL_SET, 1)
        .raw(GLOBAL_GET, 0, LOCAL_GET, 0, I32_ADD, GLOBAL_SET, 0)
        .raw(LOCAL_GET, 1, END);
  }

  /** {@code mayfly_handle(ptr, len)}: stores {@code f0(SCRATCH, len)} under key {@code r}. */
  private static Bytes handle() {
    return new Bytes()
        .u32(0)
        .raw(I32_CONST, 16, I32_CONST)
        .s64(SCRATCH)
        .raw(LOCAL_GET, 1, CALL)
        .u32(FIRST_GENERATED)
        .raw(I32_STORE, 2, 0)
        .raw(I32_CONST)
        .s64(ARENA)
        .raw(GLOBAL_SET, 0)
        .raw(I32_CONST, 0, I32_CONST, 1, I32_CONST, 16, I32_CONST, 4, CALL, 0, END);
  }

  /** Generated function {@code k} of {@code n} (see the class comment for its WAT). */
  private static Bytes function(int k, int n) {
    long h = mix(k);
    int c1 = (int) (h >>> 8) & 0xffff;
    int c2 = ((int) (h >>> 24) & 0xffff) | 1;
    int rot = (int) (h >>> 40) & 31;
    int rounds = 2 + (int) ((h >>> 45) & 3);
    int o1 = 4 * (int) ((h >>> 48) & 255);
    int o2 = 4 * (int) ((h >>> 56) & 255);
    int o3 = 4 * ((k * 7) & 255);
    int o4 = 8 * ((k * 13) & 127) + 1024;
    long c3 = mix(~k) | 1;
    var b = new Bytes().raw(3, 2, I32, 1, I64, 1, I32); // $a $b: i32, $c: i64, $i: i32
    b.raw(LOCAL_GET, X, I32_CONST).s64(c1).raw(BINARY_OPS[(int) (h & 7)], LOCAL_SET, A);
    b.raw(LOCAL_GET, P, I32_LOAD, 2).u32(o1).raw(LOCAL_SET, B);
    b.raw(BLOCK, EMPTY_BLOCK, LOOP, EMPTY_BLOCK);
    b.raw(LOCAL_GET, I, I32_CONST).s64(rounds).raw(I32_GE_U, BR_IF, 1);
    b.raw(LOCAL_GET, A, I32_CONST).s64(c2).raw(I32_MUL);
    b.raw(LOCAL_GET, B, I32_CONST).s64(rot).raw(I32_ROTL, I32_XOR, LOCAL_SET, A);
    b.raw(LOCAL_GET, B, LOCAL_GET, P, I32_LOAD, 2).u32(o2);
    b.raw(BINARY_OPS[(int) ((h >>> 3) & 7)], LOCAL_SET, B);
    b.raw(LOCAL_GET, P, LOCAL_GET, A, I32_STORE, 2).u32(o3);
    b.raw(LOCAL_GET, I, I32_CONST, 1, I32_ADD, LOCAL_SET, I);
    b.raw(BR, 0, END, END);
    b.raw(LOCAL_GET, A, I64_EXTEND_I32_U, I64_CONST).s64(c3).raw(I64_MUL, LOCAL_SET, C);
    b.raw(LOCAL_GET, P, LOCAL_GET, C, I64_STORE, 3).u32(o4);
    b.raw(LOCAL_GET, A, LOCAL_GET, B, I32_GT_U, IF, EMPTY_BLOCK);
    b.raw(LOCAL_GET, A, LOCAL_GET, B, I32_SUB, LOCAL_SET, A);
    b.raw(ELSE, LOCAL_GET, A, LOCAL_GET, B, I32_CONST, 3, I32_SHR_U, I32_ADD, LOCAL_SET, A, END);
    for (int child = 2 * k + 1; child <= 2 * k + 2 && child < n; child++) {
      b.raw(LOCAL_GET, A, LOCAL_GET, P, LOCAL_GET, A, CALL).u32(FIRST_GENERATED + child);
      b.raw(I32_ADD, LOCAL_SET, A);
    }
    return b.raw(LOCAL_GET, A, LOCAL_GET, C, I32_WRAP_I64, I32_XOR, END);
  }

  /** A fixed scramble of {@code k} (SplitMix64's finalizer): the same module on every run. */
  private static long mix(long k) {
    long z = k * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Bytes of the binary format: raw bytes, LEB128 numbers, names, sized sections and bodies. */
  private static final class Bytes extends ByteArrayOutputStream {
    Bytes raw(int... bytes) {
      for (int b : bytes) {
        write(b);
      }
      return this;
    }

    /** An unsigned LEB128 number. */
    Bytes u32(long value) {
      do {
        int b = (int) (value & 0x7f);
        value >>>= 7;
        write(value == 0 ? b : b | 0x80);
      } while (value != 0);
      return this;
    }

    /** A signed LEB128 number (the immediates of {@code i32.const} and {@code i64.const}). */
    Bytes s64(long value) {
      while (true) {
        int b = (int) (value & 0x7f);
        value >>= 7;
        boolean done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
        write(done ? b : b | 0x80);
        if (done) {
          return this;
        }
      }
    }

    Bytes name(String name) {
      byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
      u32(utf8.length);
      write(utf8, 0, utf8.length);
      return this;
    }

    Bytes section(int id, Bytes content) {
      raw(id);
      return body(content);
    }

    /** A size-prefixed part: a section's content or a function body. */
    Bytes body(Bytes content) {
      u32(content.size());
      content.copyTo(this);
      return this;
    }

    void copyTo(Bytes other) {
      other.write(buf, 0, count);
    }
  }
}
