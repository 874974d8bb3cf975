// Errors of the package: every failure reaches users as a GmmHmmError whose message names the
// argument and the problem, and whose `code` says what kind of failure it was.

/**
 * codes: 'invalid-argument' (bad input), 'not-fitted', 'model-format', 'cancelled',
 * 'out-of-memory', 'disposed' (the object was disposed), 'load' (the wasm could not be
 * loaded), 'internal' (a bug: please report it).
 */
// Each browser bundle ('gmmhmm', 'gmmhmm/words') carries its own copy of this class; a page
// that imports both must still be able to test an error of either with either's class.
const BRAND = Symbol.for('gmmhmm.GmmHmmError');

export class GmmHmmError extends Error {
  constructor(message, code = 'invalid-argument', options = undefined) {
    super(message, options);
    this.name = 'GmmHmmError';
    this.code = code;
  }

  static [Symbol.hasInstance](value) {
    return typeof value === 'object' && value !== null && value[BRAND] === true;
  }
}
Object.defineProperty(GmmHmmError.prototype, BRAND, { value: true });

/**
 * Converts what a wasm call threw into a GmmHmmError (prefixing `context`, e.g. "mfcc", to the
 * message) and returns it for the caller to throw:
 *  - an Error with `.code` thrown by the bindings' guarded() (a C++ exception caught there);
 *  - embind's own errors (wrong argument count or type, a deleted object): internal or
 *    invalid-argument;
 *  - a WebAssembly.RuntimeError (a trap, abort): internal — the module is unusable after it;
 *  - a bare number: a C++ exception that escaped guarded(), which is a bug.
 */
// The core's name for what a method runs, where it differs (a message then said
// "GaussianHMM.scorePerSequence: score: ...").
const CORE_NAMES = { fitAsync: ['fit'], scorePerSequence: ['score'], aic: ['score'], bic: ['score'] };

/**
 * A GmmHmmError thrown by the JS layer for a method, named as the engine's are: once,
 * "<Class>.<method>: ..." (a message that named only the method, or nothing, gets the class
 * and method). Returns it for the caller to throw; other errors are returned unchanged.
 */
export function qualify(error, context) {
  if (!(error instanceof GmmHmmError) || error.message.startsWith(`${context}: `)) return error;
  const method = context.split('.').pop();
  const own = [method, ...(CORE_NAMES[method] ?? [])].find((name) => error.message.startsWith(`${name}: `));
  error.message = `${context}: ${own ? error.message.slice(own.length + 2) : error.message}`;
  return error;
}

export function rethrow(error, context = '') {
  const prefix = context ? `${context}: ` : '';
  // The core often names the method itself ("score: ..."; fitAsync's session, "fit: ..."):
  // keep one name, the qualified one.
  const method = context.split('.').pop();
  const named = [method, ...(CORE_NAMES[method] ?? [])];
  if (method && error && typeof error === 'object' && typeof error.message === 'string') {
    const own = named.find((name) => error.message.startsWith(`${name}: `));
    if (own) error.message = error.message.slice(own.length + 2);
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

/**
 * Throws a GmmHmmError('invalid-argument') unless `value` is a finite number: strings,
 * BigInts and objects with a valueOf are refused, not converted (`'16000'` would pass a
 * numeric range check only by accident).
 */
export function requireNumber(value, name) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new GmmHmmError(`${name} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

/**
 * Options objects as the package reads them: `undefined`/`null` mean none; anything else
 * must be an object, and is read once, here, into a plain snapshot of its own enumerable
 * properties (the semantics of `{ ...options }`, applied to nested plain objects too). So
 * getters run once and may throw only here (a GmmHmmError naming the options), a Proxy
 * cannot answer differently later, keys inherited from Object.prototype (prototype
 * pollution) are not options, and an own `__proto__` key (JSON.parse makes those) is kept
 * as an ordinary, unknown, option. Options on a custom prototype are refused: pass
 * `{ ...options }`. Other objects inside (an AbortSignal, functions, typed arrays) are
 * passed through untouched.
 */
export function requireOptions(value, name) {
  if (value === undefined || value === null) return Object.create(null);
  if (typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new GmmHmmError(`${name} must be an object, got ${describe(value)}`);
  }
  try {
    return snapshot(value, name, 0);
  } catch (error) {
    if (error instanceof GmmHmmError) throw error;
    throw new GmmHmmError(`${name} could not be read: ${error?.message ?? String(error)}`, 'invalid-argument', { cause: error });
  }
}

// Nested option sections are a few levels deep at most; deeper is a cycle or an attack.
const MAX_OPTIONS_DEPTH = 8;

/** An object literal, Object.create(null) or one from another realm: never a class instance. */
export function isPlainObject(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

function snapshot(value, name, depth) {
  if (depth > MAX_OPTIONS_DEPTH) throw new GmmHmmError(`${name}: options nested deeper than ${MAX_OPTIONS_DEPTH} levels (a cycle?)`);
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => copyValue(value[i], `${name}[${i}]`, depth));
  for (let proto = Object.getPrototypeOf(value); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const inherited = Object.keys(proto);
    if (inherited.length > 0 && Object.getPrototypeOf(proto) !== null) {
      throw new GmmHmmError(`${name}: option '${inherited[0]}' is inherited from the object's prototype; pass a plain object ({ ...options })`);
    }
  }
  const out = Object.create(null);
  for (const key of Object.keys(value)) {
    // defineProperty: an own "__proto__" stays a key instead of setting a prototype.
    Object.defineProperty(out, key, { value: copyValue(value[key], `${name}.${key}`, depth), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function copyValue(value, name, depth) {
  // No option of the package is a BigInt; JSON cannot carry one either.
  if (typeof value === 'bigint') throw new GmmHmmError(`${name} must be a number, got ${describe(value)}`);
  return isPlainObject(value) || Array.isArray(value) ? snapshot(value, name, depth + 1) : value;
}

// "an Int16Array", "an ArrayBuffer", "a Uint8Array" (said "you").
const article = (name) => (/^[AEIO]/.test(name) ? 'an' : 'a');

// How to turn integer PCM of each typed array into Web Audio's [-1, 1], for messages.
const PCM_SCALES = {
  Int8Array: 'divide by 128', Uint8Array: 'subtract 128, divide by 128 (8-bit WAV)', Int16Array: 'divide by 32768',
  Uint16Array: 'subtract 32768, divide by 32768', Int32Array: 'divide by 2147483648', Uint32Array: 'subtract 2147483648, divide by 2147483648',
};

/** '' or ": …" telling how to convert `samples` when it is integer PCM (or bytes) rather than floats. */
export function pcmHint(samples) {
  const name = ArrayBuffer.isView(samples) ? samples.constructor?.name : null;
  if (name === 'Buffer' || samples instanceof ArrayBuffer) return ': these are bytes; decode the audio first (a WAV file: its samples, as floats in [-1, 1])';
  return PCM_SCALES[name] ? `: convert integer PCM to floats in [-1, 1] first (${PCM_SCALES[name]})` : '';
}

/** A short description of a value for error messages; never throws (a Proxy, a hostile getter). */
export function describe(value) {
  try {
    switch (typeof value) {
      case 'string': return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
      case 'bigint': return `the BigInt ${value}n`;
      case 'symbol': return 'a Symbol';
      case 'function': return 'a function';
      case 'number': return Object.is(value, -0) ? '-0' : String(value);
      case 'undefined':
      case 'boolean': return String(value);
      default: break;
    }
    if (value === null) return 'null';
    if (Array.isArray(value)) return `an array of length ${value.length}`;
    if (ArrayBuffer.isView(value)) {
      const size = typeof value.length === 'number' ? `of length ${value.length}` : `of ${value.byteLength} bytes`;
      return `${article(value.constructor.name)} ${value.constructor.name} ${size}`;
    }
    const constructorName = Object.getPrototypeOf(value)?.constructor?.name;
    return constructorName && constructorName !== 'Object' ? `${article(constructorName)} ${constructorName}` : 'an object';
  } catch {
    return 'a value that cannot be inspected';
  }
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

// Throws for an option name outside `known` (a typo would otherwise be silently ignored).
export function rejectUnknownOptions(options, known, method) {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new GmmHmmError(`${method}: unknown option '${key}' (known: ${known.join(', ')})`);
  }
}

/**
 * Throws for an argument after a method's last parameter: hmmlearn's positional habits, such as
 * decode(X, lengths, 'map') or fit(X, lengths, options), would otherwise be silently ignored.
 * `extra` is the method's rest parameter, `taken` how many it declares; undefined entries (a
 * forwarding wrapper's) pass.
 */
export function refuseExtraArguments(extra, method, usage, taken) {
  const at = extra.findIndex((value) => value !== undefined);
  if (at < 0) return;
  const ordinals = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'];
  const position = ordinals[taken + at] ?? `${taken + at + 1}th`;
  const count = taken === 0 ? 'no arguments' : taken === 1 ? 'one argument' : `${['two', 'three', 'four'][taken - 2] ?? taken} arguments`;
  throw new GmmHmmError(`${method}: takes ${count}; the ${position} (${describe(extra[at])}) would be ignored: call it as ${usage}`);
}
