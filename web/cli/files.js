// The CLI's file policy. Inputs: regular files only (a FIFO would block forever and /dev/zero
// never ends), and their size checked before anything is read.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
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
 * The whole content of the regular file at `path` as a Buffer. `what` names it in errors
 * ('WAV file', 'model'); a file larger than `maxBytes` is refused before it is read (the
 * message names `limitName`, the option that raises the limit).
 */
export async function readRegularFile(path, { what, maxBytes, limitName }) {
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
    if (info.size > maxBytes) {
      throw new Error(`${what} ${printable(path)} is ${megabytes(info.size)}, more than the limit of ${megabytes(maxBytes)}` +
        (limitName ? ` (${limitName} raises it)` : ''));
    }
    const bytes = Buffer.allocUnsafe(info.size);
    let filled = 0;
    // A file that shrinks while being read gives what it has; one that grows, its first `size` bytes.
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return bytes.subarray(0, filled);
  } catch (error) {
    if (error.message.includes(printable(path))) throw error;
    throw new Error(`cannot read ${what} ${printable(path)}: ${reason(error)}`);
  } finally {
    await handle.close();
  }
}
