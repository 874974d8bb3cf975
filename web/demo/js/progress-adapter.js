// The one place that knows the shape of the Recognizer's training progress events.
// Returns { label, iteration (1-based), fraction in [0,1], logLikelihood per frame, done }.
export function progressOf(event) {
  const iteration = event.iteration ?? 0;
  const total = event.nIter ?? event.iterations ?? event.maxIterations ?? 0;
  const done = Boolean(event.done ?? event.converged ?? false) || (total > 0 && iteration >= total);
  const frames = event.frames ?? event.nFrames ?? 0;
  let logLikelihood = event.logLikelihoodPerFrame ?? event.logLikelihood ?? NaN;
  if (event.logLikelihoodPerFrame === undefined && frames > 0) logLikelihood /= frames;
  const fraction = done ? 1 : total > 0 ? Math.min(1, iteration / total) : 0;
  return { label: event.label, iteration, fraction, logLikelihood, done };
}
