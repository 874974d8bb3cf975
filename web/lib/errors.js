// Errors of the package: every failure reaches users as a GmmHmmError whose message names the
// argument and the problem, and whose `code` says what kind of failure it was.

/**
 * codes: 'invalid-argument' (bad input), 'not-fitted', 'model-format', 'cancelled',
 * 'out-of-memory', 'disposed' (the object was disposed), 'load' (the wasm could not be
 * loaded), 'internal' (a bug: please report it).
 */
export class GmmHmmError extends Error {
  constructor(message, code = 'invalid-argument', options = undefined) {
    super(message, options);
    this.name = 'GmmHmmError';
    this.code = code;
  }
}

/**
 * Converts what a wasm call threw into a GmmHmmError (prefixing `context`, e.g. "mfcc", to the
 * message) and returns it for the caller to throw:
 *  - an Error with `.code` thrown by the bindings' guarded() (a C++ exception caught there);
 *  - embind's own errors (wrong argument count or type, a deleted object): internal or
 *    invalid-argument;
 *  - a WebAssembly.RuntimeError (a trap, abort): internal — the module is unusable after it;
 *  - a bare number: a C++ exception that escaped guarded(), which is a bug.
 */
export function rethrow(error, context = '') {
  const prefix = context ? `${context}: ` : '';
  // The core often names the method itself ("score: ..."): keep one name, the qualified one.
  const method = context.split('.').pop();
  if (method && error && typeof error === 'object' && typeof error.message === 'string' &&
      error.message.startsWith(`${method}: `)) {
    error.message = error.message.slice(method.length + 2);
  }
  if (error instanceof GmmHmmError) return error;
  if (typeof error === 'number') {
    return new GmmHmmError(`${prefix}internal error: an uncaught C++ exception (pointer ${error}) left WebAssembly`, 'internal');
  }
  if (error && typeof error === 'object') {
    if (typeof error.code === 'string' && error.name === 'GmmHmmError') {
      return new GmmHmmError(prefix + error.message, error.code);
    }
    if (error instanceof RangeError && /stack/i.test(error.message)) {
      return new GmmHmmError(`${prefix}${error.message}`, 'internal', { cause: error });
    }
    if (typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError) {
      return new GmmHmmError(`${prefix}WebAssembly runtime error: ${error.message}`, 'internal', { cause: error });
    }
    if (error.name === 'BindingError' || error.name === 'TypeError') {
      return new GmmHmmError(`${prefix}${error.message}`, 'invalid-argument', { cause: error });
    }
    if (error instanceof Error) {
      return new GmmHmmError(`${prefix}${error.message}`, 'internal', { cause: error });
    }
  }
  return new GmmHmmError(`${prefix}internal error: ${String(error)}`, 'internal');
}

/**
 * Runs `fn` (which calls into wasm) and turns whatever it throws into a GmmHmmError.
 * It also puts the wasm stack pointer back: an exception thrown to JS skips the epilogues of
 * the wasm frames it crosses, so without this every error would leak a little of the
 * 5 MB wasm stack, and thousands of errors later the module would fail.
 * Every call into the bindings goes through here.
 */
export function callWasm(M, context, fn) {
  const stack = M.stackSave();
  try {
    return fn();
  } catch (error) {
    M.stackRestore(stack);
    throw rethrow(error, context);
  }
}

/** Throws a GmmHmmError('invalid-argument') unless `value` is a finite number. */
export function requireNumber(value, name) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new GmmHmmError(`${name} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is undefined, null or a plain object (options). */
export function requireOptions(value, name) {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new GmmHmmError(`${name} must be an object, got ${describe(value)}`);
  }
  return value;
}

/** A short description of a value for error messages. */
export function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${value.length}`;
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'object'}`;
  return String(value);
}

/** An AbortSignal or something that behaves like one (the package only listens to it). */
export function checkSignal(signal) {
  if (signal === undefined) return undefined;
  if (typeof signal !== 'object' || signal === null || typeof signal.aborted !== 'boolean' ||
      typeof signal.addEventListener !== 'function' || typeof signal.removeEventListener !== 'function') {
    throw new GmmHmmError(`signal must be an AbortSignal, got ${describe(signal)}`);
  }
  return signal;
}

/** What an aborted operation rejects with: the signal's reason, or an AbortError. */
export function abortError(signal, what = 'training') {
  if (signal.reason !== undefined) return signal.reason;
  return typeof DOMException === 'function'
    ? new DOMException(`${what} was aborted`, 'AbortError')
    : Object.assign(new Error(`${what} was aborted`), { name: 'AbortError' });
}
