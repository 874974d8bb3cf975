// The request-target of a GET/HEAD -> its decoded path segments, or the status that refuses it.
//
// It works on the raw target, segment by segment: a URL parser would read '//evil.example/x'
// as another host, and decoding before splitting would let '%2F' forge a segment boundary
// ('/%2F%2Fevil.example%2F..%2Fweb' was once served, and redirected off-site, as '//evil.example/../web').

/** Longer targets get 414: no file the server may serve has a path anywhere near this. */
export const MAX_TARGET_LENGTH = 2048;

/**
 * Returns { segments } (decoded; a trailing slash gives a last segment '') or { status }:
 * 414 for an over-long target, 400 for anything but an origin-form path ('*', 'http://…'),
 * malformed percent-encoding, or a segment that decodes to '/', '\' or NUL.
 */
export function pathSegments(target) {
  if (target.length > MAX_TARGET_LENGTH) return { status: 414 };
  if (!target.startsWith('/')) return { status: 400 };
  const path = target.replace(/[?#].*$/s, '');
  const segments = [];
  for (const raw of path.slice(1).split('/')) {
    let name;
    try {
      name = decodeURIComponent(raw);
    } catch {
      return { status: 400 };
    }
    if (/[/\\\0]/.test(name)) return { status: 400 };
    segments.push(name);
  }
  return { segments };
}
