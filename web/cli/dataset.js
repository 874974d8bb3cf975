// Labelled WAV files for the CLI: labels from subfolder names (<folder>/<label>/*.wav), or
// from file names with a regular expression whose first capture group is the label
// (e.g. FSDD: --label-pattern '^(\d)_').
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const isWav = (name) => /\.wav$/i.test(name);

async function listDir(folder) {
  try {
    return await readdir(folder, { withFileTypes: true });
  } catch (error) {
    throw new Error(`cannot read folder ${folder}: ${error.code === 'ENOENT' ? 'no such folder' : error.message}`);
  }
}

/**
 * Resolves to [{ path, label }] sorted by path. labelPattern: a RegExp (or null for
 * subfolders). Throws an Error saying what is missing when nothing labelled is found.
 */
export async function labelledFiles(folder, labelPattern = null) {
  const info = await stat(folder).catch(() => null);
  if (!info) throw new Error(`cannot read folder ${folder}: no such folder`);
  if (!info.isDirectory()) throw new Error(`${folder} is not a folder`);
  const entries = await listDir(folder);
  const files = [];
  if (labelPattern) {
    // Files directly in the folder, or in its subfolders, labelled by their names.
    const walk = async (dir, depth) => {
      for (const e of await listDir(dir)) {
        const path = join(dir, e.name);
        if (e.isDirectory() && depth < 2) await walk(path, depth + 1);
        else if (e.isFile() && isWav(e.name)) {
          const match = labelPattern.exec(e.name);
          if (match) files.push({ path, label: match[1] ?? match[0] });
        }
      }
    };
    await walk(folder, 0);
    if (files.length === 0) {
      throw new Error(`no WAV file in ${folder} has a name matching --label-pattern ${labelPattern.source}`);
    }
  } else {
    for (const e of entries.filter((d) => d.isDirectory())) {
      for (const f of await listDir(join(folder, e.name))) {
        if (f.isFile() && isWav(f.name)) files.push({ path: join(folder, e.name, f.name), label: e.name });
      }
    }
    if (files.length === 0) {
      const loose = entries.filter((e) => e.isFile() && isWav(e.name)).length;
      throw new Error(loose > 0
        ? `${folder} has ${loose} WAV files but no label subfolders: put each word's files in <folder>/<label>/, or give --label-pattern`
        : `no WAV files found in ${folder} (expected <folder>/<label>/*.wav)`);
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return files;
}
