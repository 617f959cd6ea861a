package io.mayfly.wasm;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * An actor module checked against the ABI and compiled once. Every instance of it reuses the
 * compiled code. Thread-safe; instances are not (see {@link GuestInstance}).
 */
public final class ActorModule {
  /** The ABI version this host implements. */
  public static final int ABI_VERSION = 1;

  static final String EXPORT_MEMORY = "memory";
  static final String EXPORT_VERSION = "mayfly_abi_version";
  static final String EXPORT_ALLOC = "mayfly_alloc";
  static final String EXPORT_HANDLE = "mayfly_handle";
  static final String EXPORT_EXPIRE = "mayfly_on_expire";
  static final String EXPORT_INITIALIZE = "_initialize";

  private static final byte[] MAGIC = {0, 'a', 's', 'm'};

  private final WasmModule module;
  private final Function<Instance, Machine> machines;
  private final MemoryLimits memoryLimits;
  private final List<AbiFunction> imports;
  private final List<WasiFunction> wasiImports;
  private final ModuleInfo info;

  private ActorModule(
      WasmModule module,
      Function<Instance, Machine> machines,
      MemoryLimits memoryLimits,
      Imports imports,
      ModuleInfo info) {
    this.module = module;
    this.machines = machines;
    this.memoryLimits = memoryLimits;
    this.imports = imports.abi();
    this.wasiImports = imports.wasi();
    this.info = info;
  }

  /** The host functions a module imports: the actor ABI's and WASI's. */
  private record Imports(List<AbiFunction> abi, List<WasiFunction> wasi) {
    List<String> names() {
      var names = new ArrayList<String>();
      abi.forEach(f -> names.add(f.importName));
      wasi.forEach(f -> names.add(f.qualifiedName()));
      return List.copyOf(names);
    }
  }

  /**
   * Parses, validates, checks the ABI and compiles a module, then instantiates it once to read its
   * ABI version. Run it with the calling thread's watchdog slot armed: a start function that never
   * returns is stopped by the deadline.
   *
   * @throws InvalidModuleException if the bytes are not an acceptable Wasm module
   * @throws AbiViolationException if the module does not follow the actor ABI
   */
  public static ActorModule compile(byte[] bytes, ModuleLimits limits) {
    checkEnvelope(bytes, limits);
    WasmModule module = parse(bytes);
    int functionCount =
        module.functionSection().functionCount()
            + module.importSection().count(ExternalType.FUNCTION);
    if (functionCount > limits.maxFunctions()) {
      throw new InvalidModuleException(
          "module declares "
              + functionCount
              + " functions, more than the limit of "
              + limits.maxFunctions());
    }
    Imports imports = checkImports(module);
    List<String> exports = checkExports(module);
    MemoryLimits memoryLimits = memoryLimits(module, limits);

    Function<Instance, Machine> machines = compileMachines(module);
    var info =
        new ModuleInfo(
            sha256(bytes),
            bytes.length,
            functionCount,
            imports.names(),
            exports,
            exports.contains(EXPORT_EXPIRE),
            machines == null ? ModuleInfo.Engine.INTERPRETED : ModuleInfo.Engine.COMPILED);
    return new ActorModule(module, machines, memoryLimits, imports, info);
  }

  /** What deploy learned about the module. */
  public ModuleInfo info() {
    return info;
  }

  /** The memory cap of every instance, in pages. */
  public int maxMemoryPages() {
    return memoryLimits.maximumPages();
  }

  /**
   * Creates a fresh instance and runs its start function and {@code _initialize}. Bound it like a
   * turn: arm the calling thread's watchdog slot first.
   */
  public GuestInstance instantiate() {
    return GuestInstance.create(this);
  }

  WasmModule wasm() {
    return module;
  }

  Function<Instance, Machine> machines() {
    return machines;
  }

  MemoryLimits memoryLimits() {
    return memoryLimits;
  }

  List<AbiFunction> abiImports() {
    return imports;
  }

  List<WasiFunction> wasiImports() {
    return wasiImports;
  }

  /**
   * Instantiates the module once and checks the ABI version it reports. Run it with the calling
   * thread's watchdog slot armed: a start function that never returns is stopped by the deadline.
   *
   * @return the instance, ready for turns
   * @throws AbiViolationException if the module reports another ABI version
   * @throws TurnTimeoutException if its start code runs past the armed deadline
   * @throws GuestTrapException if its start code traps
   */
  public GuestInstance probe() {
    GuestInstance probe = instantiate();
    int version = probe.abiVersion();
    if (version != ABI_VERSION) {
      throw new AbiViolationException(
          "module was built for actor ABI version "
              + version
              + "; this host supports version "
              + ABI_VERSION);
    }
    return probe;
  }

  private static void checkEnvelope(byte[] bytes, ModuleLimits limits) {
    if (bytes.length > limits.maxModuleBytes()) {
      throw new InvalidModuleException(
          "module is "
              + bytes.length
              + " bytes, larger than the limit of "
              + limits.maxModuleBytes()
              + " bytes");
    }
    if (bytes.length < 8 || !java.util.Arrays.equals(bytes, 0, 4, MAGIC, 0, 4)) {
      throw new InvalidModuleException(
          "not a WebAssembly module: it does not start with the magic bytes \\0asm");
    }
  }

  private static WasmModule parse(byte[] bytes) {
    try {
      return Parser.parse(bytes);
    } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new InvalidModuleException("malformed or invalid module: " + describe(e), e);
    }
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static Imports checkImports(WasmModule module) {
    var abi = new ArrayList<AbiFunction>();
    var wasi = new ArrayList<WasiFunction>();
    var section = module.importSection();
    for (int i = 0; i < section.importCount(); i++) {
      var imp = section.getImport(i);
      String where = imp.module() + "." + imp.name();
      boolean isAbi = AbiFunction.NAMESPACE.equals(imp.module());
      if (!isAbi && !WasiFunction.NAMESPACE.equals(imp.module())) {
        throw new AbiViolationException(
            "unknown import "
                + where
                + ": actors may import only host functions of the '"
                + AbiFunction.NAMESPACE
                + "' namespace and the WASI subset of '"
                + WasiFunction.NAMESPACE
                + "' (see docs/abi.md)");
      }
      if (imp.importType() != ExternalType.FUNCTION) {
        throw new AbiViolationException(
            "unsupported import "
                + where
                + ": only functions may be imported, not "
                + imp.importType());
      }
      FunctionType declared = module.typeSection().getType(((FunctionImport) imp).typeIndex());
      if (isAbi) {
        AbiFunction f = AbiFunction.byName(imp.name());
        if (f == null) {
          throw new AbiViolationException(
              "unknown import " + where + ": the host has no such function in ABI v" + ABI_VERSION);
        }
        checkSignature(where, declared, f.type);
        abi.add(f);
      } else {
        WasiFunction f = WasiFunction.byName(imp.name());
        if (f == null) {
          throw new AbiViolationException(
              "unsupported WASI import "
                  + where
                  + ": the host implements only the WASI subset in docs/abi.md (standard output"
                  + " and error, clocks, random; no files, sockets, arguments or environment)");
        }
        checkSignature(where, declared, f.type);
        wasi.add(f);
      }
    }
    return new Imports(List.copyOf(abi), List.copyOf(wasi));
  }

  private static void checkSignature(String where, FunctionType declared, FunctionType expected) {
    if (!sameSignature(declared, expected)) {
      throw new AbiViolationException(
          "import "
              + where
              + " has signature "
              + signature(declared)
              + ", expected "
              + signature(expected));
    }
  }

  private static List<String> checkExports(WasmModule module) {
    var names = new ArrayList<String>();
    var section = module.exportSection();
    for (int i = 0; i < section.exportCount(); i++) {
      names.add(section.getExport(i).name());
    }
    Export memory = findExport(module, EXPORT_MEMORY);
    if (memory == null || memory.exportType() != ExternalType.MEMORY) {
      throw new AbiViolationException("missing export 'memory': an actor must export its memory");
    }
    requireFunction(module, EXPORT_VERSION, FunctionType.of(List.of(), List.of(ValType.I32)));
    requireFunction(
        module, EXPORT_ALLOC, FunctionType.of(List.of(ValType.I32), List.of(ValType.I32)));
    requireFunction(
        module,
        EXPORT_HANDLE,
        FunctionType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32)));
    if (findExport(module, EXPORT_EXPIRE) != null) {
      requireFunction(module, EXPORT_EXPIRE, FunctionType.of(List.of(), List.of(ValType.I32)));
    }
    if (findExport(module, EXPORT_INITIALIZE) != null) {
      requireFunction(module, EXPORT_INITIALIZE, FunctionType.empty());
    }
    return List.copyOf(names);
  }

  private static void requireFunction(WasmModule module, String name, FunctionType expected) {
    Export export = findExport(module, name);
    if (export == null) {
      throw new AbiViolationException(
          "missing export '" + name + "' " + signature(expected) + " (see docs/abi.md)");
    }
    if (export.exportType() != ExternalType.FUNCTION) {
      throw new AbiViolationException(
          "export '" + name + "' must be a function, but is a " + export.exportType());
    }
    FunctionType actual = functionType(module, export.index());
    if (!sameSignature(actual, expected)) {
      throw new AbiViolationException(
          "export '"
              + name
              + "' has signature "
              + signature(actual)
              + ", expected "
              + signature(expected));
    }
  }

  private static Export findExport(WasmModule module, String name) {
    var section = module.exportSection();
    for (int i = 0; i < section.exportCount(); i++) {
      if (section.getExport(i).name().equals(name)) {
        return section.getExport(i);
      }
    }
    return null;
  }

  private static FunctionType functionType(WasmModule module, int functionIndex) {
    int imported = module.importSection().count(ExternalType.FUNCTION);
    if (functionIndex < imported) {
      int seen = 0;
      var section = module.importSection();
      for (int i = 0; i < section.importCount(); i++) {
        if (section.getImport(i) instanceof FunctionImport fi && seen++ == functionIndex) {
          return module.typeSection().getType(fi.typeIndex());
        }
      }
    }
    return module
        .typeSection()
        .getType(module.functionSection().getFunctionType(functionIndex - imported));
  }

  private static boolean sameSignature(FunctionType a, FunctionType b) {
    return a.params().equals(b.params()) && a.returns().equals(b.returns());
  }

  private static String signature(FunctionType type) {
    return "("
        + String.join(", ", type.params().stream().map(ActorModule::valType).toList())
        + ") -> ("
        + String.join(", ", type.returns().stream().map(ActorModule::valType).toList())
        + ")";
  }

  private static String valType(ValType t) {
    if (t.equals(ValType.I32)) {
      return "i32";
    } else if (t.equals(ValType.I64)) {
      return "i64";
    } else if (t.equals(ValType.F32)) {
      return "f32";
    } else if (t.equals(ValType.F64)) {
      return "f64";
    }
    return t.toString();
  }

  private static MemoryLimits memoryLimits(WasmModule module, ModuleLimits limits) {
    var section = module.memorySection();
    if (section.isEmpty() || section.get().memoryCount() == 0) {
      throw new AbiViolationException(
          "module defines no memory; an actor must define and export one");
    }
    MemoryLimits declared = section.get().getMemory(0).limits();
    if (declared.initialPages() > limits.maxMemoryPages()) {
      throw new InvalidModuleException(
          "module needs "
              + declared.initialPages()
              + " pages of memory at start, more than the cap of "
              + limits.maxMemoryPages()
              + " pages");
    }
    int max = Math.min(declared.maximumPages(), limits.maxMemoryPages());
    return new MemoryLimits(declared.initialPages(), max);
  }

  /**
   * Compiles the module to JVM bytecode once. Functions too large for one JVM method fall back to
   * the interpreter; a module the compiler refuses altogether runs interpreted (null).
   */
  private static Function<Instance, Machine> compileMachines(WasmModule module) {
    try {
      return MachineFactoryCompiler.builder(module)
          .withInterpreterFallback(InterpreterFallback.SILENT)
          .compile();
    } catch (ChicoryException | IllegalStateException | IllegalArgumentException e) {
      System.getLogger(ActorModule.class.getName())
          .log(
              System.Logger.Level.WARNING,
              "module cannot be compiled, it will be interpreted: " + describe(e));
      return null;
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }
}
