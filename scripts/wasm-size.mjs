#!/usr/bin/env node
// What a .wasm file is made of: bytes per section, and per function grouped by where the code
// comes from (the gmmhmm core, Eigen, nlohmann::json, embind, libc++, libc...). Function names
// come from the "name" section, which release builds strip: link with --profiling-funcs to keep
// it (docs/size.md shows the commands).
//
//   node scripts/wasm-size.mjs file.wasm [--top N] [--json]
//   node scripts/wasm-size.mjs --compare before.wasm after.wasm [--top N]
//     code by origin of both, and the functions that grew or shrank most (matched by
//     demangled name: a function whose signature changed shows as one gone, one new)
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start',
  'element', 'code', 'data', 'data count', 'tag'];

function reader(bytes) {
  let at = 0;
  const r = {
    get at() { return at; },
    set at(v) { at = v; },
    u8: () => bytes[at++],
    leb() {
      let result = 0;
      let shift = 0;
      for (;;) {
        const b = bytes[at++];
        result += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if (b < 0x80) return result;
      }
    },
    string() {
      const n = r.leb();
      const s = Buffer.from(bytes.subarray(at, at + n)).toString('utf8');
      at += n;
      return s;
    },
  };
  return r;
}

/** { sections: [{ name, bytes }], functions: [{ index, name, bytes }] } */
export function analyse(bytes) {
  if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error('not a WebAssembly module');
  const r = reader(bytes);
  r.at = 8;
  const sections = [];
  let importedFunctions = 0;
  let bodies = [];
  const names = new Map();
  while (r.at < bytes.length) {
    const id = r.u8();
    const size = r.leb();
    const start = r.at;
    let name = SECTION_NAMES[id] ?? `unknown ${id}`;
    if (id === 0) {
      const custom = r.string();
      name = `custom "${custom}"`;
      if (custom === 'name') readNames(r, start + size, names);
    } else if (id === 2) {
      for (let n = r.leb(); n > 0; n--) {
        r.string();
        r.string();
        const kind = r.u8();
        if (kind === 0) { r.leb(); importedFunctions++; } else if (kind === 1) { r.u8(); limits(r); } else if (kind === 2) limits(r);
        else if (kind === 3) { r.u8(); r.u8(); } else if (kind === 4) { r.u8(); r.leb(); }
      }
    } else if (id === 10) {
      const count = r.leb();
      bodies = Array.from({ length: count }, () => {
        const n = r.leb();
        r.at += n;
        return n;
      });
    }
    sections.push({ name, bytes: size });
    r.at = start + size;
  }
  const functions = bodies.map((n, i) => ({ index: importedFunctions + i, name: names.get(importedFunctions + i) ?? `(function ${importedFunctions + i})`, bytes: n }));
  return { sections, functions, named: names.size > 0 };
}

/** The module without its custom sections (names, producers): what a release build ships. */
export function withoutCustomSections(bytes) {
  const r = reader(bytes);
  r.at = 8;
  const parts = [bytes.subarray(0, 8)];
  while (r.at < bytes.length) {
    const start = r.at;
    const id = r.u8();
    const size = r.leb();
    const end = r.at + size;
    if (id !== 0) parts.push(bytes.subarray(start, end));
    r.at = end;
  }
  return Buffer.concat(parts);
}

function limits(r) {
  const flags = r.u8();
  r.leb();
  if (flags & 1) r.leb();
}

function readNames(r, end, names) {
  while (r.at < end) {
    const kind = r.u8();
    const size = r.leb();
    const next = r.at + size;
    if (kind === 1) {
      for (let n = r.leb(); n > 0; n--) {
        const index = r.leb();
        names.set(index, r.string());
      }
    }
    r.at = next;
  }
}

// Where a (demangled) function comes from: the first rule that matches.
const ORIGINS = [
  ['embind (bindings)', /^(emscripten::|_embind_|embind_init|EmscriptenBindingInitializer|\(anonymous namespace\)::.*Binding|gmmhmm::bindings|.*bindings\.cpp)/],
  ['gmmhmm core: model', /^gmmhmm::(detail|GMMHMM|Config|model)|gmmhmm::.*(Forward|Backward|Emission|Viterbi|Transition|Statistic)/],
  ['gmmhmm core: features', /^gmmhmm::features/],
  ['gmmhmm core: recognizer', /^gmmhmm::recognizer/],
  ['gmmhmm core: other', /^gmmhmm::/],
  ['nlohmann::json', /nlohmann::/],
  ['Eigen', /^(void |)Eigen::|Eigen::internal/],
  ['libc++ iostream/locale', /std::__2::(basic_(o|i)?stream|basic_ios|basic_streambuf|basic_stringbuf|basic_ostringstream|basic_istringstream|ios_base|locale|ctype|num_put|num_get|codecvt|numpunct|moneypunct|money_(get|put)|time_(get|put)|messages|collate|__num_(get|put)|__stdinbuf|__stdoutbuf|__money|__time|__codecvt|__narrow_to_utf8|__widen_from_utf8|__cxx_global_var_init|__check_grouping|DoIOSInit|__iostream)/],
  ['libc++ strings', /std::__2::(basic_string|to_string|__to_chars|char_traits|stoi|stod|to_chars)/],
  ['libc++ exceptions/RTTI (libcxxabi)', /^(__cxa_|__cxxabiv1|__gxx_personality|_Unwind|std::(__2::)?(exception|bad_|logic_error|runtime_error|out_of_range|invalid_argument|length_error|overflow_error|range_error|domain_error|terminate|unexpected|type_info)|demangling_terminate|__dynamic_cast|is_equal|\(anonymous namespace\)::itanium_demangle)/],
  ['libc++ other', /^(void |)std::/],
  ['libc printf/strtod', /^(printf_core|fmt_fp|fmt_|pop_arg|vfprintf|vsnprintf|snprintf|sn_write|out|pad|getint|strtod|strtof|strtold|__floatscan|decfloat|hexfloat|scanexp|__intscan|__shgetc|__shlim|wcrtomb|wctomb|frexp|vsscanf|sscanf|vfscanf|__uflow|__toread|__string_read|do_read|strtoull|strtoll|strtoul|strtol|strtox|__fwritex|__towrite|fwrite|fputs|printf|fprintf|vfiprintf|__stdio_|__lockfile|__unlockfile)$/],
  ['libc math', /^(exp|log|pow|sin|cos|tan|sqrt|floor|ceil|fmod|log1p|expm1|atan2?|asin|acos|sinh|cosh|tanh|erf|erfc|lgamma|tgamma|cbrt|hypot|scalbn|__(sin|cos|tan|rem_pio2|expo2|math_|log|pow|exp)).*$/],
  ['libc memory/strings', /^(dlmalloc|dlfree|dlrealloc|malloc|free|realloc|calloc|sbrk|emscripten_builtin_|try_realloc_chunk|dispose_chunk|memcpy|memmove|memset|memcmp|memchr|strlen|strcmp|strncmp|strchr|__strchrnul|strcpy|strncpy|__stpcpy|__stpncpy|strdup|strstr|__memrchr|emscripten_memcpy_big|internal_memalign|dlmemalign|posix_memalign|aligned_alloc|operator new|operator delete)/],
];

export function origin(demangled) {
  for (const [name, pattern] of ORIGINS) if (pattern.test(demangled)) return name;
  return 'other';
}

function demangleAll(names) {
  // c++filt reads one name per line.
  const out = execFileSync('c++filt', [], { input: names.join('\n'), maxBuffer: 64 << 20 }).toString().split('\n');
  return names.map((n, i) => out[i] ?? n);
}

function describe(file) {
  const bytes = fs.readFileSync(file);
  const { sections, functions, named } = analyse(bytes);
  const demangled = named ? demangleAll(functions.map((f) => f.name)) : functions.map((f) => f.name);
  functions.forEach((f, i) => { f.demangled = demangled[i]; f.origin = origin(demangled[i]); });
  return { bytes, sections, functions, named };
}

function compare(fileA, fileB, top) {
  const [a, b] = [describe(fileA), describe(fileB)];
  if (!a.named || !b.named) console.log('(no name section in one file: link with --profiling-funcs for names)');
  const bodies = (d) => {
    const m = new Map();
    for (const f of d.functions) m.set(f.demangled, { origin: f.origin, bytes: (m.get(f.demangled)?.bytes ?? 0) + f.bytes });
    return m;
  };
  const [ma, mb] = [bodies(a), bodies(b)];
  const rows = [...new Set([...ma.keys(), ...mb.keys()])].map((name) => ({
    name, origin: (mb.get(name) ?? ma.get(name)).origin, before: ma.get(name)?.bytes ?? 0, after: mb.get(name)?.bytes ?? 0,
  }));
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const shipped = (d) => withoutCustomSections(d.bytes).length;
  console.log(`${fileA}: ${shipped(a)} bytes; ${fileB}: ${shipped(b)} bytes (without custom sections)`);
  const groups = new Map();
  for (const r of rows) {
    const g = groups.get(r.origin) ?? { before: 0, after: 0 };
    g.before += r.before;
    g.after += r.after;
    groups.set(r.origin, g);
  }
  console.log('\ncode by origin: before -> after');
  for (const [name, g] of [...groups].sort((x, y) => y[1].after - x[1].after)) {
    console.log(`  ${name.padEnd(36)} ${kb(g.before).padStart(10)} -> ${kb(g.after).padStart(10)}  (${g.after - g.before >= 0 ? '+' : ''}${g.after - g.before} bytes)`);
  }
  const line = (r) => `  ${String(r.after - r.before).padStart(7)}  ${String(r.before).padStart(6)} -> ${String(r.after).padStart(6)}  ${r.origin.padEnd(24).slice(0, 24)}  ${r.name.slice(0, 140)}`;
  console.log(`\ngrew most (bytes, before -> after):`);
  for (const r of [...rows].sort((x, y) => (y.after - y.before) - (x.after - x.before)).slice(0, top)) if (r.after > r.before) console.log(line(r));
  console.log(`\nshrank most:`);
  for (const r of [...rows].sort((x, y) => (x.after - x.before) - (y.after - y.before)).slice(0, top)) if (r.after < r.before) console.log(line(r));
}

function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--compare') {
    if (args.length < 3) {
      console.error('usage: node scripts/wasm-size.mjs --compare before.wasm after.wasm [--top N]');
      process.exit(2);
    }
    compare(args[1], args[2], Number(args[args.indexOf('--top') + 1]) || 30);
    return;
  }
  const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  if (!file) {
    console.error('usage: node scripts/wasm-size.mjs file.wasm [--top N] [--json]');
    process.exit(2);
  }
  const top = Number(args[args.indexOf('--top') + 1]) || 30;
  const bytes = fs.readFileSync(file);
  const { sections, functions, named } = analyse(bytes);
  const demangled = named ? demangleAll(functions.map((f) => f.name)) : functions.map((f) => f.name);
  functions.forEach((f, i) => { f.demangled = demangled[i]; f.origin = origin(demangled[i]); });
  const groups = new Map();
  for (const f of functions) {
    const g = groups.get(f.origin) ?? { origin: f.origin, functions: 0, bytes: 0 };
    g.functions++;
    g.bytes += f.bytes;
    groups.set(f.origin, g);
  }
  // The release files carry no name section: size them without the custom sections.
  const shipped = withoutCustomSections(bytes);
  const gzip = zlib.gzipSync(shipped, { level: 9 }).length;
  if (args.includes('--json')) {
    console.log(JSON.stringify({ file, bytes: shipped.length, gzip, sections, groups: [...groups.values()], functions }, null, 1));
    return;
  }
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`${file}: ${kb(shipped.length)} without custom sections (${kb(gzip)} gzip -9), ${functions.length} functions${named ? '' : ' (no name section: link with --profiling-funcs for names)'}`);
  console.log('\nsections:');
  for (const s of [...sections].sort((a, b) => b.bytes - a.bytes)) console.log(`  ${s.name.padEnd(28)} ${kb(s.bytes).padStart(10)}`);
  console.log('\ncode by origin:');
  for (const g of [...groups.values()].sort((a, b) => b.bytes - a.bytes)) {
    console.log(`  ${g.origin.padEnd(36)} ${kb(g.bytes).padStart(10)}  ${String(g.functions).padStart(5)} functions`);
  }
  console.log(`\nlargest ${top} functions:`);
  for (const f of [...functions].sort((a, b) => b.bytes - a.bytes).slice(0, top)) {
    console.log(`  ${kb(f.bytes).padStart(9)}  ${f.origin.padEnd(24).slice(0, 24)}  ${f.demangled.slice(0, 140)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
