// What the dev server may serve, as paths relative to the repository: the demo page, the
// package as a browser loads it (its entry points, lib/ and the built dist/), and
// package.json. Nothing else: not .git/, build/, node_modules/, scripts/, the C++ sources,
// the CLI or the type declarations (no browser asks for them).
export const ALLOWED_ROOTS = ['web/demo', 'web/index.js', 'web/ready.js', 'web/single-file.js', 'web/lib', 'web/dist', 'package.json'];

/**
 * Decoded URL path segments -> { root, path } (repository-relative, `root` the allowed root
 * it lies in) or null. /package.json is the manifest, /web/… is web/…, and any other path is
 * looked up in web/ (web/ mounted at the site's root, as a site publishing the package would
 * lay it out: tests/browser/harness.js opens the demo at /demo/). Empty segments ('a//b') and
 * names starting with '.' ('..', '.git', '.env') are never served.
 */
export function allowedPath(segments) {
  const names = segments.at(-1) === '' ? segments.slice(0, -1) : segments;
  if (names.some((name) => name === '' || name.startsWith('.'))) return null;
  const joined = names.join('/');
  const path = joined === 'package.json' || names[0] === 'web' ? joined : `web/${joined}`;
  const root = ALLOWED_ROOTS.find((r) => path === r || path.startsWith(`${r}/`));
  return root ? { root, path } : null;
}
