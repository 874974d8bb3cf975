// The shapes in which a model's parameters may be assigned as nested arrays (hmmlearn's
// shapes, as the getters return them). A flat list or typed array is read in order and only its
// count is checked (in wasm); nested arrays must have one of the parameter's shapes, or
// transposed means, or [[.5], [.5]] for a startprob of 2 states, would be read as if they were
// right because the count matches.
import { GmmHmmError } from './errors.js';

// One dimension: the size it names and its value (0: not known yet, any length, the same
// wherever the name recurs in the shape).
const dim = (name, sizes) => ({ name, size: sizes[name] ?? 0 });

const chain = (sizes, param) => {
  const N = dim('nStates', sizes);
  if (param === 'startprob') return [[N]];
  if (param === 'transmat') return [[N, N]];
  return null;
};

// Per class: param -> the accepted shapes, from the model's sizes (its info()).
const SHAPES = {
  GMMHMM(sizes, param) {
    const [N, M, D] = ['nStates', 'nMix', 'nFeatures'].map((name) => dim(name, sizes));
    if (param === 'weights') return [[N, M]];
    if (param === 'means') return [[N, M, D]];
    if (param === 'covars') {
      return [{ diag: [N, M, D], spherical: [N, M], full: [N, M, D, D], tied: [N, D, D] }[sizes.covarianceType]];
    }
    return chain(sizes, param);
  },
  GaussianHMM(sizes, param, given) {
    const [N, D] = ['nStates', 'nFeatures'].map((name) => dim(name, sizes));
    if (param === 'means') return [[N, D]];
    if (param === 'covars') {
      // The type's own shape, or a D × D matrix per state (hmmlearn's covars_, what the getter
      // returns). The engine infers nFeatures from the count in the type's own shape only: a
      // matrix per state needs it known.
      const own = { diag: [N, D], spherical: [N], full: [N, D, D], tied: [D, D] }[sizes.covarianceType];
      if (sizes.covarianceType === 'full') return [own];
      if (!D.size && given.length === 3) {
        const or = sizes.covarianceType === 'spherical' ? '' : `, or give covars in the ${sizes.covarianceType} shape (${spell(own)})`;
        throw new GmmHmmError(`GaussianHMM.covars: a D × D matrix per state needs the model's nFeatures, not known yet: set means first${or}`);
      }
      return [own, [N, D, D]];
    }
    return chain(sizes, param);
  },
};
const emissionRows = (param) => (sizes, name) => {
  if (name === param) return [[dim('nStates', sizes), dim('nFeatures', sizes)]];
  return chain(sizes, name);
};
SHAPES.CategoricalHMM = emissionRows('emissionprob');
SHAPES.MultinomialHMM = emissionRows('emissionprob');
SHAPES.PoissonHMM = emissionRows('lambdas');

function matches(given, shape) {
  if (given.length !== shape.length) return false;
  const bound = new Map();
  return shape.every(({ name, size }, i) => {
    const want = size || bound.get(name);
    if (want === undefined) {
      bound.set(name, given[i]);
      return given[i] > 0;
    }
    return given[i] === want;
  });
}

const spell = (shape) => `${shape.map((d) => d.name).join(' × ')} = ${shape.map((d) => d.size || '?').join(' × ')}`;

/**
 * Throws a GmmHmmError unless `given` (the lengths of nested arrays at each depth, as
 * flattenNumbers reads them) is flat or one of the shapes `className`'s `param` takes.
 */
export function requireParameterShape(className, param, given, sizes) {
  if (given.length <= 1) return;
  const shapes = SHAPES[className]?.(sizes, param, given);
  if (!shapes || shapes.some((shape) => matches(given, shape))) return;
  const expected = shapes.map(spell).join(' or ');
  throw new GmmHmmError(`${className}.${param}: nested arrays of shape ${given.join(' × ')} where the model takes ${expected} ` +
    '(or the values as one flat list in that order)');
}
