// Finds the file for an allowed repository path, following symlinks only while they stay
// inside the allowed root the path was asked under (one leading to /usr/include was once served).
import fs from 'node:fs/promises';
import path from 'node:path';

const inside = (file, dir) => file === dir || file.startsWith(dir + path.sep);

async function realpathOrNull(file) {
  try {
    return await fs.realpath(file);
  } catch {
    return null;
  }
}

/**
 * `{ root, path }` from allowedPath() -> { file, size } for a regular file, { folder: true }
 * for a folder, or null: missing, a symlink leading out of its allowed root, or neither a
 * file nor a folder (a FIFO would block the read).
 */
export async function locate(repository, { root, path: relative }) {
  const [realRoot, real] = await Promise.all([
    realpathOrNull(path.join(repository, root)),
    realpathOrNull(path.join(repository, relative)),
  ]);
  if (!realRoot || !real || !inside(real, realRoot)) return null;
  const stat = await fs.stat(real).catch(() => null);
  if (stat?.isFile()) return { file: real, size: stat.size };
  if (stat?.isDirectory()) return { folder: true };
  return null;
}
