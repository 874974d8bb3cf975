// The CLI's file policy. Inputs: regular files only (a FIFO would block forever and /dev/zero
// never ends), and their size checked before anything is read. The output (-o): checked before
// the long training, written to a new temporary file in the same folder and renamed over the
// target only if that is a regular file; a symbolic link, device, FIFO, socket or folder at the
// path is refused, never replaced or written through.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, lstat, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { printable } from './text.js';

const MB = 1024 * 1024;

/** What kind of thing a Stats is, for messages: 'a folder', 'a FIFO', ... or null for a regular file. */
function notRegular(info) {
  if (info.isFile()) return null;
  if (info.isDirectory()) return 'a folder';
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function reason(error) {
  switch (error.code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ELOOP': return 'too many levels of symbolic links';
    case 'ENOTDIR': return 'a part of the path is not a folder';
    case 'EROFS': return 'read-only file system';
    case 'ENOSPC': return 'no space left on the device';
    default: return error.message;
  }
}

export const describeFsError = reason;

/** Megabytes for messages: 3.1 MB, 0.2 MB. */
export const megabytes = (bytes) => `${(bytes / MB).toFixed(1)} MB`;

/**
 * Opens the regular file at `path` for reading: { handle, size } (close the handle). `what`
 * names it in errors ('WAV file', 'model'); anything but a regular file is refused.
 */
export async function openRegularFile(path, what) {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer (fstat refuses it next).
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new Error(`cannot read ${what} ${printable(path)}: ${reason(error)}`);
  }
  try {
    const info = await handle.stat();
    const kind = notRegular(info);
    if (kind) throw new Error(`cannot read ${what} ${printable(path)}: it is ${kind}, not a regular file`);
    return { handle, size: info.size };
  } catch (error) {
    await handle.close();
    if (error.message.includes(printable(path))) throw error;
    throw new Error(`cannot read ${what} ${printable(path)}: ${reason(error)}`);
  }
}

/** Reads up to `length` bytes at `position` into `bytes` (from 0); returns how many were read. */
export async function readAt(handle, bytes, length, position) {
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(bytes, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

/**
 * The whole content of the regular file at `path` as a Buffer. `what` names it in errors
 * ('WAV file', 'model'); a file larger than `maxBytes` is refused before it is read (the
 * message names `limitName`, the option that raises the limit).
 */
export async function readRegularFile(path, { what, maxBytes, limitName }) {
  const { handle, size } = await openRegularFile(path, what);
  try {
    if (size > maxBytes) {
      throw new Error(`${what} ${printable(path)} is ${megabytes(size)}, more than the limit of ${megabytes(maxBytes)}` +
        (limitName ? ` (${limitName} raises it)` : ''));
    }
    const bytes = Buffer.allocUnsafe(size);
    // A file that shrinks while being read gives what it has; one that grows, its first `size` bytes.
    const filled = await readAt(handle, bytes, size, 0);
    return bytes.subarray(0, filled);
  } catch (error) {
    if (error.message.includes(printable(path))) throw error;
    throw new Error(`cannot read ${what} ${printable(path)}: ${reason(error)}`);
  } finally {
    await handle.close();
  }
}

/**
 * Checks that `path` can take the output (run before the work that produces it): its folder
 * exists and is writable, and nothing but a writable regular file is there already.
 * Throws an Error saying what is wrong.
 */
export async function checkOutputPath(path) {
  const shown = printable(path);
  if (path.endsWith('/')) throw new Error(`cannot write ${shown}: it names a folder; give a file name`);
  const folder = dirname(path);
  const folderInfo = await stat(folder).catch((error) => {
    throw new Error(`cannot write ${shown}: folder ${printable(folder)}: ${error.code === 'ENOENT' ? 'no such folder' : reason(error)}`);
  });
  if (!folderInfo.isDirectory()) throw new Error(`cannot write ${shown}: ${printable(folder)} is not a folder`);
  await access(folder, constants.W_OK | constants.X_OK).catch((error) => {
    throw new Error(`cannot write ${shown}: folder ${printable(folder)} is not writable (${reason(error)})`);
  });
  const existing = await lstat(path).catch((error) => {
    if (error.code === 'ENOENT') return null;
    throw new Error(`cannot write ${shown}: ${reason(error)}`);
  });
  if (!existing) return null;
  const kind = notRegular(existing);
  if (kind) {
    throw new Error(`will not write ${shown}: it is ${kind}; the output may only replace a regular file ` +
      '(give a new path, or the path of the real file)');
  }
  await access(path, constants.W_OK).catch(() => {
    throw new Error(`will not replace ${shown}: the file is read-only`);
  });
  return existing;
}

/**
 * Writes `text` to `path` under the policy above: a new temporary file beside it (created
 * exclusively, so nothing already there is followed), flushed to disk, then renamed over the
 * target, which is checked again just before. A failure leaves the target as it was.
 */
export async function writeOutput(path, text) {
  const existing = await checkOutputPath(path);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(temp, 'wx', 0o666);
    await handle.writeFile(text);
    if (existing) await chmod(temp, existing.mode & 0o7777); // keep the replaced file's permissions
    await handle.sync();
    await handle.close();
    handle = null;
    await checkOutputPath(path); // the target may have changed during the write
    await rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => {});
    await unlink(temp).catch(() => {});
    if (error.message.includes(printable(path))) throw error;
    throw new Error(`cannot write ${printable(path)}: ${reason(error)}`);
  }
}
