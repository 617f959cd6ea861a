package io.mayfly.wasm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes small Wasm binaries directly, for modules too large or too broken for wat2wasm. */
final class WasmBinary {
  private WasmBinary() {}

  static void leb(ByteArrayOutputStream out, long value) {
    long v = value;
    while (true) {
      int b = (int) (v & 0x7f);
      v >>>= 7;
      if (v == 0) {
        out.write(b);
        return;
      }
      out.write(b | 0x80);
    }
  }

  static void sleb(ByteArrayOutputStream out, long value) {
    long v = value;
    while (true) {
      int b = (int) (v & 0x7f);
      v >>= 7;
      boolean done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
      out.write(done ? b : b | 0x80);
      if (done) {
        return;
      }
    }
  }

  static void section(ByteArrayOutputStream module, int id, ByteArrayOutputStream content) {
    module.write(id);
    leb(module, content.size());
    module.writeBytes(content.toByteArray());
  }

  static void name(ByteArrayOutputStream out, String name) {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    leb(out, b.length);
    out.writeBytes(b);
  }

  static ByteArrayOutputStream header() {
    var out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
    return out;
  }

  /**
   * A valid actor with {@code extra} more functions, each returning its index; the handler returns
   * what the last of them returns.
   */
  static byte[] actorWithFunctions(int extra) {
    var m = header();
    var types = new ByteArrayOutputStream();
    leb(types, 3);
    types.writeBytes(new byte[] {0x60, 0, 1, 0x7f}); // () -> i32
    types.writeBytes(new byte[] {0x60, 1, 0x7f, 1, 0x7f}); // (i32) -> i32
    types.writeBytes(new byte[] {0x60, 2, 0x7f, 0x7f, 1, 0x7f}); // (i32, i32) -> i32
    section(m, 1, types);
    var funcs = new ByteArrayOutputStream();
    leb(funcs, 3 + extra);
    funcs.writeBytes(new byte[] {0, 1, 2});
    for (int i = 0; i < extra; i++) {
      funcs.write(0);
    }
    section(m, 3, funcs);
    var memory = new ByteArrayOutputStream();
    memory.writeBytes(new byte[] {1, 0, 1});
    section(m, 5, memory);
    var exports = new ByteArrayOutputStream();
    leb(exports, 4);
    name(exports, "memory");
    exports.writeBytes(new byte[] {2, 0});
    String[] fns = {"mayfly_abi_version", "mayfly_alloc", "mayfly_handle"};
    for (int i = 0; i < 3; i++) {
      name(exports, fns[i]);
      exports.writeBytes(new byte[] {0, (byte) i});
    }
    section(m, 7, exports);
    var code = new ByteArrayOutputStream();
    leb(code, 3 + extra);
    body(code, new byte[] {0x41, 1}); // i32.const 1
    body(code, new byte[] {0x41, (byte) 0x80, 0x08}); // i32.const 1024
    var call = new ByteArrayOutputStream();
    call.write(0x10);
    leb(call, 2 + extra);
    body(code, call.toByteArray());
    for (int i = 0; i < extra; i++) {
      var c = new ByteArrayOutputStream();
      c.write(0x41);
      sleb(c, i + 3);
      body(code, c.toByteArray());
    }
    section(m, 10, code);
    return m.toByteArray();
  }

  private static void body(ByteArrayOutputStream code, byte[] instructions) {
    leb(code, instructions.length + 2);
    code.write(0); // no locals
    code.writeBytes(instructions);
    code.write(0x0b);
  }

  /** A function declared to return i32 whose body leaves an i64: well-formed, but invalid. */
  static byte[] invalidBody() {
    return new byte[] {
      0, 'a', 's', 'm', 1, 0, 0, 0, //
      1, 5, 1, 0x60, 0, 1, 0x7f, //
      3, 2, 1, 0, //
      10, 6, 1, 4, 0, 0x42, 1, 0x0b
    };
  }
}
