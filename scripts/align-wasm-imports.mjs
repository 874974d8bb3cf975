#!/usr/bin/env node
// Makes a second link of the package (the words-only build of 'gmmhmm/words') run under the
// first one's Emscripten glue, so that one glue serves every .wasm the package ships.
//
//   node scripts/align-wasm-imports.mjs <reference glue.js> <own glue.js> <own .wasm>
//
// Emscripten minifies the names of the functions the glue gives the wasm ("a", "b", …) in the
// order the linker met them, so two links of different code name the same functions
// differently: that table (`var asmLibraryArg={...}`) is the only difference between their
// glues (cmake/patch-glue.cmake already made the .wasm file name neutral). This renames the
// imports in the .wasm to the reference glue's names, writes the reference table into the own
// glue, and then requires the two glues to be identical: anything else (an import the
// reference lacks, different exports) fails the build instead of shipping a module that would
// not instantiate. Run by cmake/wasm.cmake after each words-only link.
import fs from 'node:fs';

const [referenceGlueFile, ownGlueFile, wasmFile] = process.argv.slice(2);
if (!wasmFile) {
  console.error('usage: node scripts/align-wasm-imports.mjs <reference glue.js> <own glue.js> <own .wasm>');
  process.exit(2);
}

function fail(message) {
  console.error(`align-wasm-imports: ${message}`);
  process.exit(1);
}

const TABLE = /var asmLibraryArg=\{([^}]*)\}/;

// { minified name -> JS function name } of a glue.
function importTable(glue, file) {
  const match = glue.match(TABLE);
  if (!match) fail(`no asmLibraryArg table in ${file}: the Emscripten glue changed, update this script`);
  const table = new Map();
  for (const entry of match[1].split(',')) {
    const m = entry.match(/^"([^"]+)":([\w$]+)$/);
    if (!m) fail(`unexpected entry ${entry} in the asmLibraryArg table of ${file}`);
    table.set(m[1], m[2]);
  }
  return table;
}

function uleb(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

function readUleb(bytes, at) {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (at >= bytes.length || shift > 35) fail(`${wasmFile} is truncated or malformed (a LEB128 number runs past its end)`);
    const b = bytes[at++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [result, at];
  }
}

function readName(bytes, at) {
  const [n, start] = readUleb(bytes, at);
  if (start + n > bytes.length) fail(`${wasmFile} is truncated (a name runs past its end)`);
  return [Buffer.from(bytes.subarray(start, start + n)).toString('utf8'), start + n];
}

function nameBytes(name) {
  const utf8 = Buffer.from(name, 'utf8');
  return [...uleb(utf8.length), ...utf8];
}

// The import section rewritten with each function import's field renamed by rename(module, field).
function renameImports(bytes, rename) {
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, bodyStart] = readUleb(bytes, at + 1);
    const bodyEnd = bodyStart + size;
    if (bodyEnd > bytes.length) fail(`${wasmFile} is truncated (section ${id} runs past its end)`);
    if (id !== 2) {
      at = bodyEnd;
      continue;
    }
    const [count, first] = readUleb(bytes, bodyStart);
    const body = [...uleb(count)];
    let p = first;
    for (let i = 0; i < count; i++) {
      let module;
      let field;
      [module, p] = readName(bytes, p);
      [field, p] = readName(bytes, p);
      const kind = bytes[p];
      const descStart = p;
      p += 1;
      // The import's description: a type index (function), table, memory, global or tag.
      if (kind === 0) [, p] = readUleb(bytes, p);
      else if (kind === 1) { p += 1; const flags = bytes[p++]; [, p] = readUleb(bytes, p); if (flags & 1) [, p] = readUleb(bytes, p); }
      else if (kind === 2) { const flags = bytes[p++]; [, p] = readUleb(bytes, p); if (flags & 1) [, p] = readUleb(bytes, p); }
      else if (kind === 3) p += 2;
      else if (kind === 4) { p += 1; [, p] = readUleb(bytes, p); }
      else fail(`import ${module}.${field} of ${wasmFile} has unknown kind ${kind}`);
      const newField = kind === 0 ? rename(module, field) : field;
      body.push(...nameBytes(module), ...nameBytes(newField), ...bytes.subarray(descStart, p));
    }
    if (p !== bodyEnd) fail(`the import section of ${wasmFile} did not parse to its end`);
    return Buffer.concat([bytes.subarray(0, at), Buffer.from([2, ...uleb(body.length), ...body]), bytes.subarray(bodyEnd)]);
  }
  fail(`${wasmFile} has no import section`);
}

const referenceGlue = fs.readFileSync(referenceGlueFile, 'utf8');
const ownGlue = fs.readFileSync(ownGlueFile, 'utf8');
const reference = importTable(referenceGlue, referenceGlueFile);
const own = importTable(ownGlue, ownGlueFile);
const referenceName = new Map([...reference].map(([short, fn]) => [fn, short]));

const wasm = fs.readFileSync(wasmFile);
if (wasm.readUInt32LE(0) !== 0x6d736100) fail(`${wasmFile} is not a WebAssembly module`);
// Every function import must come from the table, under the import object the glue passes
// ("a", -sMINIFY_WASM_IMPORTED_MODULES): a name left as it was could be another function's
// name in the reference table.
const aligned = renameImports(wasm, (module, field) => {
  const fn = own.get(field);
  if (module !== 'a' || !fn) fail(`${wasmFile} imports ${module}.${field}, which is not in ${ownGlueFile}'s asmLibraryArg table: the Emscripten glue changed, update this script`);
  const short = referenceName.get(fn);
  if (!short) {
    fail(`${wasmFile} imports ${fn}, which the whole build's glue ${referenceGlueFile} does not provide: the two links need different ` +
      'JavaScript functions (imports), and one glue cannot serve both (docs/design.md, "The words-only build")');
  }
  return short;
});

const referenceTable = referenceGlue.match(TABLE)[0];
const alignedGlue = ownGlue.replace(TABLE, () => referenceTable);
if (alignedGlue !== referenceGlue) {
  let at = 0;
  while (at < alignedGlue.length && alignedGlue[at] === referenceGlue[at]) at++;
  fail(`${ownGlueFile} differs from ${referenceGlueFile} beyond the import names (at character ${at}: ` +
    `${JSON.stringify(alignedGlue.slice(at, at + 80))}): the builds' imports or exports differ`);
}
fs.writeFileSync(wasmFile, aligned);
fs.writeFileSync(ownGlueFile, alignedGlue);
