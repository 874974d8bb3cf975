// Labelled WAV files for the CLI: labels from subfolder names (<folder>/<label>/*.wav), or
// from file names with a regular expression whose first capture group is the label
// (e.g. FSDD: --label-pattern '^(\d)_').
//
// Symbolic links are followed (a dataset is often a folder of links), each folder is read
// once whatever the links (a loop ends), and a file reached twice by two names is used once.
// Hidden files and folders (names starting with '.', e.g. macOS's '._x.wav') are skipped.
// A label must follow the package's one rule (web/lib/labels.js), checked here so that a bad
// folder or file name is reported by name before any WAV file is read.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { labelProblem } from '../lib/labels.js';
import { describeFsError } from './files.js';
import { printable } from './text.js';

const isWav = (name) => /\.wav$/i.test(name);

/** The same for every name of one file or folder (links, hard links): device and inode. */
export const fileId = (stats) => `${stats.dev}:${stats.ino}`;

/** The visible entries of a folder: [{ name, path, kind: 'folder' | 'file' | 'other', id }], links followed. */
async function entries(folder, notes) {
  let names;
  try {
    names = await readdir(folder);
  } catch (error) {
    throw new Error(`cannot read folder ${printable(folder)}: ${describeFsError(error)}`);
  }
  const out = [];
  for (const name of names.filter((n) => !n.startsWith('.')).sort()) {
    const path = join(folder, name);
    const info = await stat(path).catch((error) => {
      // readdir listed it, so "no such file" means a symbolic link to nothing
      notes.push(`skipped ${printable(path)}: ${error.code === 'ENOENT' ? 'a symbolic link to nothing' : describeFsError(error)}`);
      return null;
    });
    if (!info) continue;
    out.push({ name, path, kind: info.isDirectory() ? 'folder' : info.isFile() ? 'file' : 'other', id: fileId(info) });
  }
  return out;
}

/** label = f(file name) for --label-pattern: its first capture group, or the whole match without one. */
function labelFromName(pattern) {
  const groups = new RegExp(`${pattern.source}|`, pattern.flags).exec('').length - 1;
  return (name, path) => {
    const match = pattern.exec(name);
    if (!match) return null;
    const label = groups > 0 ? match[1] : match[0];
    if (label === undefined) {
      throw new Error(`${printable(path)}: the first group of --label-pattern ${printable(pattern.source)} took no part in the match, so it gives no label`);
    }
    const problem = labelProblem(label);
    if (problem) throw new Error(`${printable(path)}: the label ${printable(label)} taken from its name by --label-pattern ${problem}`);
    return label;
  };
}

/**
 * Resolves to { files: [{ path, label, id }] sorted by path, notes: [string] } (id: device and
 * inode, the same for two names of one file; notes: what was skipped, for the user).
 * labelPattern: a RegExp, or null for subfolders. Throws an Error saying what is wrong when
 * nothing labelled is found or a label is not valid.
 */
export async function labelledFiles(folder, labelPattern = null) {
  const info = await stat(folder).catch((error) => {
    throw new Error(`cannot read folder ${printable(folder)}: ${error.code === 'ENOENT' ? 'no such folder' : describeFsError(error)}`);
  });
  if (!info.isDirectory()) throw new Error(`${printable(folder)} is not a folder`);
  const notes = [];
  const files = [];
  const seenFolders = new Set([fileId(info)]);
  const seenFiles = new Map(); // id -> path
  const add = (entry, label) => {
    const first = seenFiles.get(entry.id);
    if (first !== undefined) {
      notes.push(`skipped ${printable(entry.path)}: the same file as ${printable(first)}`);
      return;
    }
    seenFiles.set(entry.id, entry.path);
    files.push({ path: entry.path, label, id: entry.id });
  };
  const top = await entries(folder, notes);
  if (labelPattern) {
    const label = labelFromName(labelPattern);
    let unmatched = 0;
    // Files directly in the folder, or in its subfolders (two levels), labelled by their names.
    const walk = async (list, depth) => {
      for (const e of list) {
        if (e.kind === 'folder' && depth < 2 && !seenFolders.has(e.id)) {
          seenFolders.add(e.id);
          await walk(await entries(e.path, notes), depth + 1);
        } else if (e.kind === 'file' && isWav(e.name)) {
          const l = label(e.name, e.path);
          if (l === null) unmatched++;
          else add(e, l);
        }
      }
    };
    await walk(top, 0);
    if (files.length === 0) {
      throw new Error(`no WAV file in ${printable(folder)} has a name matching --label-pattern ${printable(labelPattern.source)}`);
    }
    if (unmatched > 0) notes.push(`skipped ${unmatched} WAV file${unmatched === 1 ? '' : 's'} whose names do not match --label-pattern ${printable(labelPattern.source)}`);
  } else {
    for (const sub of top.filter((e) => e.kind === 'folder')) {
      const wavs = (await entries(sub.path, notes)).filter((f) => f.kind === 'file' && isWav(f.name));
      if (wavs.length === 0) continue;
      const problem = labelProblem(sub.name);
      if (problem) throw new Error(`folder ${printable(sub.path)}: its name ${printable(sub.name)} is the label of its files, and it ${problem}`);
      for (const f of wavs) add(f, sub.name);
    }
    const loose = top.filter((e) => e.kind === 'file' && isWav(e.name)).length;
    if (files.length === 0) {
      throw new Error(loose > 0
        ? `${printable(folder)} has ${loose} WAV files but no label subfolders: put each word's files in <folder>/<label>/, or give --label-pattern`
        : `no WAV files found in ${printable(folder)} (expected <folder>/<label>/*.wav)`);
    }
    if (loose > 0) {
      notes.push(`skipped ${loose} WAV file${loose === 1 ? '' : 's'} directly in ${printable(folder)}: without --label-pattern, ` +
        'a file\'s label is the name of its subfolder');
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, notes };
}
