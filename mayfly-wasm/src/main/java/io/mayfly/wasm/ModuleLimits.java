package io.mayfly.wasm;

/**
 * Bounds applied to one actor module: what is accepted at deploy and what one instance may use.
 *
 * @param maxModuleBytes largest module accepted at deploy
 * @param maxFunctions most functions (imported and defined) a module may declare
 * @param maxMemoryPages cap on an instance's linear memory, in 64 KiB pages; {@code memory.grow}
 *     beyond it returns -1 to the guest
 */
public record ModuleLimits(int maxModuleBytes, int maxFunctions, int maxMemoryPages) {
  /** Largest memory cap: keeps every pointer below 2 GiB so packed results stay non-negative. */
  public static final int MAX_MEMORY_PAGES = 32_768;

  /** The defaults, documented in docs/configuration.md. */
  public static final ModuleLimits DEFAULTS = new ModuleLimits(16 << 20, 50_000, 256);

  public ModuleLimits {
    if (maxModuleBytes < 8) {
      throw new IllegalArgumentException(
          "maxModuleBytes must be at least 8, was " + maxModuleBytes);
    }
    if (maxFunctions < 1) {
      throw new IllegalArgumentException("maxFunctions must be positive, was " + maxFunctions);
    }
    if (maxMemoryPages < 1 || maxMemoryPages > MAX_MEMORY_PAGES) {
      throw new IllegalArgumentException(
          "maxMemoryPages must be in 1.." + MAX_MEMORY_PAGES + ", was " + maxMemoryPages);
    }
  }

  /** A copy with another memory cap. */
  public ModuleLimits withMaxMemoryPages(int pages) {
    return new ModuleLimits(maxModuleBytes, maxFunctions, pages);
  }
}
