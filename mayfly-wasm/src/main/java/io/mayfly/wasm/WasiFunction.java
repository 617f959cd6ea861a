package io.mayfly.wasm;

import static com.dylibso.chicory.wasm.types.ValType.I32;
import static com.dylibso.chicory.wasm.types.ValType.I64;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The WASI preview 1 functions (namespace {@code wasi_snapshot_preview1}) the host implements, as
 * the WASI section of docs/abi.md lists them: what wasi-libc and Rust's standard library import for
 * their start-up, standard output and error, clocks and randomness. A module importing any other
 * WASI function is refused at deploy.
 */
enum WasiFunction {
  ARGS_GET("args_get", List.of(I32, I32)),
  ARGS_SIZES_GET("args_sizes_get", List.of(I32, I32)),
  ENVIRON_GET("environ_get", List.of(I32, I32)),
  ENVIRON_SIZES_GET("environ_sizes_get", List.of(I32, I32)),
  CLOCK_RES_GET("clock_res_get", List.of(I32, I32)),
  CLOCK_TIME_GET("clock_time_get", List.of(I32, I64, I32)),
  FD_CLOSE("fd_close", List.of(I32)),
  FD_FDSTAT_GET("fd_fdstat_get", List.of(I32, I32)),
  FD_PRESTAT_GET("fd_prestat_get", List.of(I32, I32)),
  FD_PRESTAT_DIR_NAME("fd_prestat_dir_name", List.of(I32, I32, I32)),
  FD_READ("fd_read", List.of(I32, I32, I32, I32)),
  FD_SEEK("fd_seek", List.of(I32, I64, I32, I32)),
  FD_WRITE("fd_write", List.of(I32, I32, I32, I32)),
  POLL_ONEOFF("poll_oneoff", List.of(I32, I32, I32, I32)),
  PROC_EXIT("proc_exit", List.of(I32), List.of()),
  RANDOM_GET("random_get", List.of(I32, I32)),
  SCHED_YIELD("sched_yield", List.of());

  static final String NAMESPACE = "wasi_snapshot_preview1";
  private static final Map<String, WasiFunction> BY_NAME = new HashMap<>();

  static {
    for (WasiFunction f : values()) {
      BY_NAME.put(f.importName, f);
    }
  }

  final String importName;
  final FunctionType type;

  /** A function returning a WASI errno ({@code i32}). */
  WasiFunction(String importName, List<ValType> params) {
    this(importName, params, List.of(I32));
  }

  WasiFunction(String importName, List<ValType> params, List<ValType> results) {
    this.importName = importName;
    this.type = FunctionType.of(params, results);
  }

  /** The import as {@code ModuleInfo} lists it: {@code wasi_snapshot_preview1.NAME}. */
  String qualifiedName() {
    return NAMESPACE + "." + importName;
  }

  static WasiFunction byName(String name) {
    return BY_NAME.get(name);
  }
}
