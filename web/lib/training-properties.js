// The training controls of a model class as properties (hmmlearn's `model.n_iter = 100`):
// reading one gives what `config` gives; setting one checks it as fit() takes it (the same
// rules and messages) and keeps it for later fits. Without them `model.nIter = 100` made a
// plain JS property that no fit read. The names come from the core's option declarations
// (the binding's optionDeclarations()), so a control declared there is a property here.
// hmmlearn's own spellings (`n_iter`, `startprob_`, `n_components`) are properties too, that
// say which name to use instead of silently holding a value no method reads.
import { GmmHmmError } from './errors.js';

/** The declared training controls of `section` ('model' for GMMHMM, 'categorical'...), plus `more`. */
export function trainingNames(declarations, section, more = []) {
  return [...declarations[section].map((d) => d.name), ...more];
}

/**
 * For a class's static block: defines get/set accessors for `names` on Class.prototype.
 * read(model, name) -> the value; write(model, name, value) sets it (checked in wasm).
 */
export function defineTrainingProperties(Class, className, names, read, write) {
  for (const name of names) {
    if (name in Class.prototype) throw new Error(`internal: ${className}.${name} is defined twice`);
    Object.defineProperty(Class.prototype, name, {
      get() { return read(this, name); },
      set(value) { write(this, name, value); },
      configurable: true,
    });
  }
}

/** For a setter, after the model's own checks (disposed, busy): undefined would change nothing. */
export function requireSetValue(className, name, value) {
  if (value === undefined) throw new GmmHmmError(`${className}.${name}: ${name} cannot be set to undefined`);
}

// hmmlearn's name of an option or size: snake case, and its own words for a few.
const HMMLEARN_WORDS = { seed: 'random_state', nStates: 'n_components' };
const snakeCase = (name) => HMMLEARN_WORDS[name] ?? name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// hmmlearn's other attributes of every model, and what gmmhmm has instead (a new user's
// `m.algorithm = 'map'` was a plain property no decode read).
const HMMLEARN_ATTRIBUTES = {
  monitor_: "that is hmmlearn's name; gmmhmm's is monitor",
  algorithm: "hmmlearn's decoder setting; gmmhmm takes it per call: decode(X, { algorithm: 'map' }) (predict is Viterbi)",
  implementation: "hmmlearn's choice of forward-backward ('log' or 'scaling'); gmmhmm has one: scaled, with the log-space pass where scaling cannot vouch for its result",
};

/**
 * Properties under hmmlearn's names for `options` (its spelling: n_iter), `parameters` (its
 * fitted attributes: startprob_) and its other attributes (monitor_, algorithm,
 * implementation) that throw, naming what to use.
 */
export function defineHmmlearnNames(Class, className, { options = [], parameters = [] }) {
  const pairs = [...options.map((name) => [snakeCase(name), name]), ...parameters.map((name) => [`${snakeCase(name)}_`, name])];
  const messages = new Map(Object.entries(HMMLEARN_ATTRIBUTES));
  for (const [theirs, ours] of pairs) messages.set(theirs, `that is hmmlearn's name; gmmhmm's is ${ours}`);
  for (const [theirs, message] of messages) {
    if (pairs.some(([t, ours]) => t === theirs && t === ours) || theirs in Class.prototype) continue;
    const refuse = () => {
      throw new GmmHmmError(`${className}.${theirs}: ${message}`);
    };
    Object.defineProperty(Class.prototype, theirs, { get: refuse, set: refuse, configurable: true });
  }
}

/**
 * Every read-only accessor of Class.prototype (a getter without a setter) refuses assignment
 * with a GmmHmmError naming it, rather than a bare TypeError (or nothing, in sloppy code).
 * `structure`: the sizes and structure among them (fixed when the model is made).
 */
export function refuseReadOnlyAssignments(Class, className, structure) {
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(Class.prototype))) {
    if (!descriptor.get || descriptor.set) continue;
    const why = structure.includes(name) ? ' (fixed when the model is made: create another model to change it)' : '';
    Object.defineProperty(Class.prototype, name, {
      ...descriptor,
      set() {
        throw new GmmHmmError(`${className}.${name} is read-only${why}`);
      },
    });
  }
}
