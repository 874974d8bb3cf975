// What every JS object that owns a wasm handle shares: the dispose symbol (for `using`) and
// one FinalizationRegistry that frees handles whose owners were collected undisposed.

// Symbol.dispose exists from Node 20 / recent browsers; elsewhere use the well-known
// registry symbol that TypeScript's `using` down-levelling also looks for.
export const disposeSymbol = Symbol.dispose ?? Symbol.for('Symbol.dispose');

/** Frees wasm objects that were never disposed (a safety net only: call dispose()). */
export const finalizer = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((handle) => { try { handle.delete(); } catch { /* already gone */ } })
  : null;
