// The dev server's request handler: Host check, method, path, then the file, its folder's
// index.html, or a redirect adding a folder's trailing slash.
import { pathSegments } from './request-path.js';
import { allowedPath } from './allow-list.js';
import { hostAllowed } from './hosts.js';
import { locate } from './files.js';
import { sendStatus, sendEmpty, sendFile, redirect, folderLocation } from './responses.js';

/**
 * A request listener serving `repository`, answering to the Host `names` (serverNames()) on
 * the port `port()` gives (known once the server listens).
 */
export function createHandler({ repository, names, port }) {
  async function handle(req, res) {
    if (!hostAllowed(req.headersDistinct.host, names, port())) return sendStatus(res, 421);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendStatus(res, 405, { allow: 'GET, HEAD' });
    const { segments, status } = pathSegments(req.url);
    if (status) return sendStatus(res, status);
    // The origin alone: the demo.
    if (segments.length === 1 && segments[0] === '') return redirect(res, './web/demo/');
    const wanted = allowedPath(segments);
    const found = wanted && (await locate(repository, wanted));
    const slash = segments.at(-1) === '';
    if (found?.file && !slash) return sendFile(req, res, found.file, found.size);
    if (found?.folder && !slash) return redirect(res, folderLocation(segments.at(-1)));
    if (found?.folder) {
      const index = await locate(repository, { ...wanted, path: `${wanted.path}/index.html` });
      if (index?.file) return sendFile(req, res, index.file, index.size);
    }
    // Browsers ask for an icon on every page; there is none, and a 404 would show up as a
    // console error in the browser tests.
    if (segments.length === 1 && segments[0] === 'favicon.ico') return sendEmpty(res, 204);
    return sendStatus(res, 404);
  }

  return (req, res) => {
    handle(req, res).catch((error) => {
      // A bug, not a request's fault: answer 500 (or cut the response already started) and
      // keep serving.
      console.error('serve.js: internal error:', error);
      if (!res.headersSent) sendStatus(res, 500);
      else res.destroy();
    });
  };
}
