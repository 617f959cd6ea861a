/**
 * The Wasm host of Mayfly: validates and compiles actor modules once, binds the actor ABI, pools
 * instances and enforces their limits (memory cap, turn deadline, sizes).
 */
module io.mayfly.wasm {
  requires com.dylibso.chicory.runtime;
  requires com.dylibso.chicory.compiler;
  requires com.dylibso.chicory.wasm;

  exports io.mayfly.wasm;
}
