// Model and recognizer files on their way into the core. The size limit (maxBytes, default
// the core's kDefaultMaxFileBytes, gmmhmm/limits.hpp) is checked before anything is copied,
// so a file that is too large costs no WebAssembly memory; the text is written into the heap
// once, as UTF-8, and parsed there in place (the core checks the limit again and bounds the
// parsed document: cpp/src/limits/json_file.cpp).
import { GmmHmmError, describe, requireOptions } from './errors.js';

/**
 * Validates `options` ({ maxBytes }, plus the names in `extra`, which the caller handles)
 * and copies `json` (the file's text, or its object, which is serialised) into the heap.
 * Returns { ptr, length, maxBytes, free() }. `what` names the file in messages ("model
 * JSON"); `context` is the function ("GMMHMM.fromJSON").
 */
export function fileIn(M, json, { what, context, options, extra = [] }) {
  const opts = requireOptions(options, `${context} options`);
  for (const key of Object.keys(opts)) {
    if (key !== 'maxBytes' && !extra.includes(key)) {
      throw new GmmHmmError(`${context}: unknown option '${key}' (known: ${['maxBytes', ...extra].join(', ')})`);
    }
  }
  const maxBytes = opts.maxBytes ?? M.defaultMaxFileBytes();
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new GmmHmmError(`${context}: maxBytes must be a positive integer (bytes), got ${describe(maxBytes)}`);
  }
  const text = fileText(json, what, context);
  // UTF-8 takes at least one byte per UTF-16 code unit: a longer string is over the limit
  // without counting.
  const bytes = text.length > maxBytes ? text.length : M.lengthBytesUTF8(text);
  if (bytes > maxBytes) {
    throw new GmmHmmError(`${context}: ${what}: the file has ${text.length > maxBytes ? 'at least ' : ''}${bytes} bytes, ` +
      `more than maxBytes (${maxBytes}); raise maxBytes to load a larger file`, 'model-format');
  }
  if (bytes > M.heapMaxBytes()) {
    throw new GmmHmmError(`${context}: ${what} (${bytes} bytes) does not fit in the WebAssembly heap`, 'out-of-memory');
  }
  const ptr = M._malloc(bytes + 1);  // stringToUTF8 writes a terminating NUL
  if (!ptr) throw new GmmHmmError(`${context}: ${what} (${bytes} bytes) does not fit in the WebAssembly heap (limit 2 GB)`, 'out-of-memory');
  M.stringToUTF8(text, ptr, bytes + 1);
  return { ptr, length: bytes, maxBytes, free: () => M._free(ptr) };
}

function fileText(json, what, context) {
  if (typeof json === 'string') return json;
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    let text;
    try {
      text = JSON.stringify(json);
    } catch (error) { // BigInt values, cycles, throwing getters, strings beyond the engine's limit
      throw new GmmHmmError(`${context}: ${what}: cannot serialise the object (${error?.message ?? error})`, 'model-format', { cause: error });
    }
    if (typeof text === 'string') return text;
  }
  throw new GmmHmmError(`${context}: ${what} must be an object or a string, got ${describe(json)}`, 'model-format');
}
