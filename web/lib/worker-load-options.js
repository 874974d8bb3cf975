// What a Worker passes to load() for the build the page posted ({ module, variant } or
// null): the page's own compiled module when it came along (same build, no second compile);
// otherwise at least the same variant (an environment that cannot clone a
// WebAssembly.Module), so that the Worker's numbers are the page's.
export function workerLoadOptions(build) {
  if (build?.module) return { wasmModule: build.module, variant: build.variant };
  return build?.variant ? { variant: build.variant } : {};
}
