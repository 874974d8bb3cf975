// The training controls of a model class as properties (hmmlearn's `model.n_iter = 100`):
// reading one gives what `config` gives; setting one checks it as fit() takes it (the same
// rules and messages) and keeps it for later fits. Without them `model.nIter = 100` made a
// plain JS property that no fit read. The names come from the core's option declarations
// (the binding's optionDeclarations()), so a control declared there is a property here.
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
      set(value) {
        // undefined would read as "not given" and change nothing: say so instead.
        if (value === undefined) throw new GmmHmmError(`${className}.${name}: ${name} cannot be set to undefined`);
        write(this, name, value);
      },
      configurable: true,
    });
  }
}
