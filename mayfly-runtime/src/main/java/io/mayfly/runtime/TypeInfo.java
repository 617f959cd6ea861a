package io.mayfly.runtime;

import io.mayfly.wasm.ModuleInfo;

/**
 * A deployed actor type.
 *
 * @param type its name
 * @param version 1 for the first deploy, incremented by every redeploy
 * @param module what deploy learned about the module
 * @param config how its actors live
 */
public record TypeInfo(String type, int version, ModuleInfo module, TypeConfig config) {}
