// The CLI's WAV reader (web/cli/wav.js): every encoding sox writes decodes to the known sample
// values (and to what sox itself decodes), A-law and μ-law at the level of the G.711 tables,
// the odd-length pad byte never read as a sample, the header oddities of real writers read as
// meant, and every malformed file an Error naming the file and the problem.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeWav, readWav } from '../../web/cli/wav.js';
import { hasTool } from './helpers.js';
import { chunk, fmt, int16Bytes, riff } from './wav-bytes.js';

const soxSkip = hasTool('sox') ? false : 'sox missing (scripts/setup.sh installs it): sox-written WAV tests skipped';
if (soxSkip) console.log(`# ${soxSkip}`);

// Every multiple of 1/128 in [-1, 1): exact in 8-bit unsigned and in every wider format.
const KNOWN = Float32Array.from({ length: 256 }, (_, i) => (i - 128) / 128);
const ENCODINGS = [
  ['unsigned-integer', 8, 'pcm'], ['signed-integer', 16, 'pcm'], ['signed-integer', 24, 'pcm'], ['signed-integer', 32, 'pcm'],
  ['floating-point', 32, 'float'], ['floating-point', 64, 'float'], ['a-law', 8, 'alaw'], ['u-law', 8, 'mulaw']];

let dir;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmmhmm-wav-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const rawFloats = (bytes) => new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));

/** A WAV file written by sox from KNOWN (interleaved over `channels`); returns its path. */
function soxWav(encoding, bits, channels, type) {
  const input = path.join(dir, 'known.f32');
  fs.writeFileSync(input, Buffer.from(KNOWN.buffer));
  const file = path.join(dir, `${encoding}-${bits}-${channels}-${type}.wav`);
  execFileSync('sox', ['-D', '-t', 'raw', '-r', '8000', '-e', 'floating-point', '-b', '32', '-c', String(channels), input,
    '-t', type, '-e', encoding, '-b', String(bits), file]);
  return file;
}

/** What sox decodes from a file, channels averaged like the reader does. */
function soxDecoded(file, channels) {
  const raw = rawFloats(execFileSync('sox', [file, '-t', 'raw', '-e', 'floating-point', '-b', '32', '-']));
  return mixDown(raw, channels);
}

function mixDown(interleaved, channels) {
  const out = new Float32Array(Math.floor(interleaved.length / channels));
  for (let f = 0; f < out.length; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[f * channels + c];
    out[f] = sum / channels;
  }
  return out;
}

const decodeFile = (file) => decodeWav(fs.readFileSync(file), file);

describe('sox-written files decode to the known samples', { skip: soxSkip }, () => {
  for (const [encoding, bits, expected] of ENCODINGS) {
    for (const channels of [1, 2, 3]) {
      for (const type of ['wav', 'wavpcm']) {
        test(`${encoding} ${bits}-bit, ${channels} channel(s), sox -t ${type}`, () => {
          const file = soxWav(encoding, bits, channels, type);
          const got = decodeFile(file);
          assert.equal(got.encoding, expected);
          assert.equal(got.sampleRate, 8000);
          assert.equal(got.channels, channels);
          assert.deepEqual(got.warnings, []);
          assert.deepEqual(got.samples, soxDecoded(file, channels), 'same samples as sox decodes');
          if (expected === 'pcm' || expected === 'float') assert.deepEqual(got.samples, mixDown(KNOWN, channels));
        });
      }
    }
  }

  test('A-law and μ-law at the level of 16-bit PCM (G.711 decoded within its quantisation step)', () => {
    for (const encoding of ['a-law', 'u-law']) {
      const got = decodeFile(soxWav(encoding, 8, 1, 'wav')).samples;
      for (let i = 0; i < KNOWN.length; i++) {
        // Largest G.711 step: 1/16 of the value (A-law's top segment: 1024 in 16,384).
        assert.ok(Math.abs(got[i] - KNOWN[i]) <= Math.abs(KNOWN[i]) / 16 + 1 / 256, `${encoding}: ${got[i]} for ${KNOWN[i]}`);
      }
    }
  });
});

const ALL_CODES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const wav = (...chunks) => riff(chunks);
const decode = (bytes) => decodeWav(bytes, 'test.wav');
const assertBroken = (bytes, pattern) => assert.throws(() => decode(bytes), (error) => {
  assert.match(error.message, /^test\.wav is not a readable WAV file: /);
  assert.match(error.message, pattern);
  return true;
});

describe('G.711 and the sample formats, byte by byte', () => {
  test('A-law and μ-law codes decode to the values of the G.711 tables', () => {
    const alaw = decode(wav(fmt({ code: 6, bits: 8 }), chunk('data', ALL_CODES))).samples;
    const mulaw = decode(wav(fmt({ code: 7, bits: 8 }), chunk('data', ALL_CODES))).samples;
    const at16 = (x) => Math.round(x * 32768);
    // G.711 A-law: 0xD5 / 0x55 are the smallest steps (+-8), 0xAA / 0x2A the largest (+-32256),
    // 0xA5 the first step of the top segment (16896).
    assert.deepEqual([0xd5, 0x55, 0xaa, 0x2a, 0xa5].map((c) => at16(alaw[c])), [8, -8, 32256, -32256, 16896]);
    // μ-law: 0xFF and 0x7F are zero, 0x80 / 0x00 the largest (+-32124), 0xFE the smallest step (8).
    assert.deepEqual([0xff, 0x7f, 0x80, 0x00, 0xfe].map((c) => at16(mulaw[c])), [0, 0, 32124, -32124, 8]);
    for (const samples of [alaw, mulaw]) {
      assert.ok(Math.max(...samples.map(Math.abs)) < 1, 'full scale is below 1, as for 16-bit PCM');
    }
  });

  test('integer widths: 8-bit is unsigned, wider is signed, each divided by 2^(bits-1)', () => {
    const cases = [
      [8, [0, 128, 255], [-1, 0, 127 / 128]],
      [16, [0x00, 0x80, 0xff, 0x7f, 0x00, 0x40], [-1, 32767 / 32768, 0.5]],
      [24, [0x00, 0x00, 0x80, 0xff, 0xff, 0x7f, 0x00, 0x00, 0xc0], [-1, (2 ** 23 - 1) / 2 ** 23, -0.5]],
      [32, [0, 0, 0, 0x80, 0, 0, 0, 0x40], [-1, 0.5]],
    ];
    for (const [bits, bytes, expected] of cases) {
      assert.deepEqual(decode(wav(fmt({ bits }), chunk('data', Buffer.from(bytes)))).samples, Float32Array.from(expected), `${bits}-bit`);
    }
  });

  test('narrower samples in a wider container (12 in 16, 20 in 24 bits) keep their scale', () => {
    const twelve = decode(wav(fmt({ bits: 12, blockAlign: 2 }), chunk('data', Buffer.from([0x00, 0x40])))).samples;
    assert.deepEqual(twelve, Float32Array.from([0.5]));
    const twenty = decode(wav(fmt({ subFormat: 1, bits: 24, validBits: 20 }), chunk('data', Buffer.from([0x00, 0x00, 0xc0])))).samples;
    assert.deepEqual(twenty, Float32Array.from([-0.5]));
  });

  test('WAVE_FORMAT_EXTENSIBLE: PCM, float, A-law and μ-law sub-formats read like the plain formats', () => {
    const floats = Buffer.from(Float32Array.from([0.25, -0.75]).buffer);
    const doubles = Buffer.from(Float64Array.from([0.25, -0.75]).buffer);
    for (const [code, bits, data] of [[1, 16, int16Bytes([0.5, -0.5])], [3, 32, floats], [3, 64, doubles], [6, 8, ALL_CODES],
      [7, 8, ALL_CODES], [1, 8, ALL_CODES]]) {
      const plain = decode(wav(fmt({ code, bits }), chunk('data', data)));
      const extensible = decode(wav(fmt({ subFormat: code, bits }), chunk('data', data)));
      assert.deepEqual(extensible.samples, plain.samples, `sub-format ${code}, ${bits} bits`);
      assert.equal(extensible.encoding, plain.encoding);
    }
  });

  test('channels are averaged', () => {
    const interleaved = Buffer.from(Int16Array.from([16384, 0, -8192, -24576]).buffer); // 0.5, 0 | -0.25, -0.75
    const stereo = decode(wav(fmt({ channels: 2, bits: 16 }), chunk('data', interleaved))).samples;
    assert.deepEqual(stereo, Float32Array.from([0.25, -0.5]));
  });
});

describe('real writers\' header oddities are read as meant', () => {
  const fmt8 = fmt({ bits: 8 });
  const five = Buffer.from([128, 192, 128, 64, 128]); // 0, 0.5, 0, -0.5, 0
  const fiveSamples = Float32Array.from([0, 0.5, 0, -0.5, 0]);
  const list = chunk('LIST', Buffer.from('INFOISFT\x04\x00\x00\x00sox\x00', 'latin1'));

  test('an odd-length data chunk: its pad byte is not a sample, with or without a chunk after it', () => {
    for (const bytes of [wav(fmt8, chunk('data', five)), wav(fmt8, chunk('data', five), list)]) {
      const got = decode(bytes);
      assert.deepEqual(got.samples, fiveSamples);
      assert.deepEqual(got.warnings, []);
    }
  });

  test('a writer that forgot the pad byte: the next chunk is still found', () => {
    const odd = chunk('LIST', Buffer.from('abc'), { pad: false });
    const got = decode(wav(odd, fmt8, chunk('data', five)));
    assert.deepEqual(got.samples, fiveSamples);
  });

  test('chunks in any order: data before fmt, LIST, fact, JUNK and unknown chunks around them', () => {
    const fact = chunk('fact', Buffer.from([5, 0, 0, 0]));
    const junk = chunk('JUNK', Buffer.alloc(28));
    const orders = [[list, fact, fmt8, junk, chunk('data', five)], [chunk('data', five), list, fmt8], [junk, chunk('data', five), fmt8, fact]];
    for (const chunks of orders) assert.deepEqual(decode(riff(chunks)).samples, fiveSamples);
  });

  test('a wrong RIFF size (0, too small, too large, 0xFFFFFFFF) does not matter', () => {
    for (const riffSize of [0, 4, 100000, 0xffffffff]) {
      assert.deepEqual(decode(riff([fmt8, chunk('data', five)], { riffSize })).samples, fiveSamples, `RIFF size ${riffSize}`);
    }
  });

  test('a data chunk longer than the file: the samples present, with a warning', () => {
    const got = decode(wav(fmt8, chunk('data', five, { size: 1000, pad: false })));
    assert.deepEqual(got.samples, fiveSamples);
    assert.match(got.warnings.join(), /test\.wav: its data chunk says 1000 bytes but the file ends after 5/);
    // The placeholders of sox (0x7ffff000) and ffmpeg (0xffffffff) writing to a pipe: no warning.
    for (const size of [0x7ffff000, 0xffffffff]) {
      const piped = decode(wav(fmt8, chunk('data', five, { size, pad: false })));
      assert.deepEqual(piped.samples, fiveSamples);
      assert.deepEqual(piped.warnings, []);
    }
  });

  test('a data chunk of size 0 followed by samples is read with a warning; followed by a chunk it is empty', () => {
    const samples = Buffer.from([128, 192, 128, 64, 128, 128, 128, 128, 128, 128]);
    const got = decode(Buffer.concat([wav(fmt8, chunk('data', Buffer.alloc(0))), samples]));
    assert.equal(got.samples.length, 10);
    assert.match(got.warnings.join(), /data chunk says 0 bytes but 10 follow/);
    assertBroken(wav(fmt8, chunk('data', Buffer.alloc(0)), list), /no samples \(its data chunk is empty\)/);
  });

  test('a data chunk cut inside a sample: the whole samples, with a warning', () => {
    const got = decode(wav(fmt({ bits: 16 }), chunk('data', Buffer.from([0, 0x40, 0, 0x20, 7]))));
    assert.deepEqual(got.samples, Float32Array.from([0.5, 0.25]));
    assert.match(got.warnings.join(), /1 bytes of an incomplete sample/);
  });

  test('RF64 and BW64: sizes from the ds64 chunk', () => {
    const ds64 = Buffer.alloc(28);
    ds64.writeBigUInt64LE(BigInt(1000), 0);
    ds64.writeBigUInt64LE(BigInt(4), 8); // data: 4 bytes, although 5 are present
    for (const magic of ['RF64', 'BW64']) {
      const bytes = riff([chunk('ds64', ds64), fmt8, chunk('data', five, { size: 0xffffffff })], { magic, riffSize: 0xffffffff });
      assert.deepEqual(decode(bytes).samples, fiveSamples.subarray(0, 4), magic);
    }
  });

  test('bytes after the audio that are not a chunk are ignored', () => {
    const id3 = Buffer.from([0x49, 0x44, 0x33, 0x04, 0, 0, 0, 0, 0, 0x10, 0xff, 0xfe]);
    assert.deepEqual(decode(Buffer.concat([wav(fmt8, chunk('data', five)), id3])).samples, fiveSamples);
  });
});

describe('malformed files are an Error naming the file and the problem', () => {
  const data16 = chunk('data', int16Bytes([0.5, -0.5]));
  const cases = [
    ['an empty file', Buffer.alloc(0), /the file is empty/],
    ['a few bytes', Buffer.from('RIFF\x00'), /only 5 bytes long/],
    ['text', Buffer.from('this is not audio, only some text'), /does not start with a RIFF\/RF64 WAVE header/],
    ['RIFF but not WAVE', Buffer.concat([Buffer.from('RIFF\x04\x00\x00\x00AVI '), data16]), /does not start with a RIFF\/RF64 WAVE header/],
    ['big-endian RIFX', riff([fmt(), data16], { magic: 'RIFX' }), /big-endian WAV \(RIFX\) is not supported/],
    ['no fmt chunk', wav(data16), /no 'fmt ' chunk/],
    ['no data chunk', wav(fmt()), /no data chunk/],
    ['an empty data chunk', wav(fmt(), chunk('data', Buffer.alloc(0))), /no samples \(its data chunk is empty\)/],
    ['a data chunk shorter than one sample of every channel', wav(fmt({ channels: 6 }), chunk('data', Buffer.alloc(10))),
      /it has no samples: its data chunk \(10 bytes\) is shorter than one sample of each of its 6 channels \(12 bytes\)$/],
    ['a data chunk of 100 bytes cut off after 1', Buffer.concat([riff([fmt()]), Buffer.from('data'), Buffer.from([100, 0, 0, 0, 7])]),
      /it has no samples: its data chunk says 100 bytes but the file ends after 1 \(cut off\?\)$/],
    ['a fmt chunk of 10 bytes', wav(chunk('fmt ', Buffer.alloc(10)), data16), /fmt chunk is 10 bytes long, less than 16/],
    ['a fmt chunk cut off by the end of the file', Buffer.concat([riff([]), Buffer.from('fmt \x10\x00\x00\x00\x01\x00')]),
      /'fmt ' chunk at byte 12 says 16 bytes but the file ends 2 bytes later/],
    ['garbage where a chunk should be', Buffer.concat([riff([fmt()]), Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8])]), /no chunk at byte 36/],
    ['0 channels', wav(fmt({ channels: 0, blockAlign: 2 }), data16), /0 channels/],
    ['a sample rate of 0', wav(fmt({ rate: 0 }), data16), /sample rate of 0 Hz/],
    ['0 bits per sample', wav(fmt({ bits: 0, blockAlign: 2 }), data16), /0 bits per sample/],
    ['24-bit float', wav(fmt({ code: 3, bits: 24 }), data16), /24-bit float samples in blocks of 3 bytes .*not a layout/],
    ['16 bits in 1-byte blocks', wav(fmt({ bits: 16, blockAlign: 1 }), data16), /16-bit pcm samples in blocks of 1 bytes/],
    ['a block that is not a whole number of samples', wav(fmt({ channels: 2, bits: 16, blockAlign: 5 }), data16), /blocks of 5 bytes/],
    ['16-bit A-law', wav(fmt({ code: 6, bits: 16 }), data16), /16-bit alaw/],
    ['IMA ADPCM', wav(fmt({ code: 0x11, bits: 4 }), data16), /IMA ADPCM-compressed, which is not supported/],
    ['an unknown format code', wav(fmt({ code: 0x1234 }), data16), /format 0x1234, which is not supported/],
    ['an extensible fmt chunk of 16 bytes', wav(fmt({ code: 0xfffe }), data16), /WAVE_FORMAT_EXTENSIBLE but only 16 bytes long/],
    ['an extensible sub-format that is not a WAVE one (ambisonic B-format)',
      wav(fmt({ guid: Buffer.from('0100000021070d3186440c8c1ca000000'.slice(0, 32), 'hex') }), data16), /sub-format 00000001-0721-/],
    ['a NaN float sample', wav(fmt({ code: 3, bits: 32 }), chunk('data', Buffer.from(Float32Array.from([0.5, NaN]).buffer))), /sample 1 is NaN/],
    ['an infinite double sample', wav(fmt({ code: 3, bits: 64 }), chunk('data', Buffer.from(Float64Array.from([-Infinity]).buffer))),
      /sample 0 is infinite/],
  ];
  for (const [name, bytes, pattern] of cases) test(name, () => assertBroken(bytes, pattern));
});

describe('reading from the file system', () => {
  test('a FIFO, a device and a folder are refused without being read (no hang)', async () => {
    const fifo = path.join(dir, 'fifo.wav');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(readWav(fifo), /cannot read WAV file .*fifo\.wav: it is a FIFO \(named pipe\), not a regular file/);
    await assert.rejects(readWav('/dev/zero'), /cannot read WAV file \/dev\/zero: it is a character device/);
    await assert.rejects(readWav(dir), /it is a folder, not a regular file/);
    await assert.rejects(readWav(path.join(dir, 'none.wav')), /cannot read WAV file .*none\.wav: no such file/);
  });

  test('a file over the size limit is refused before it is read', async () => {
    const big = path.join(dir, 'big.wav');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 3 * 1024 * 1024 * 1024); // sparse: 3 GB that take no room
    await assert.rejects(readWav(big, { maxBytes: 1024 * 1024, limitName: '--max-file-size' }),
      /WAV file .*big\.wav is 3072\.0 MB, more than the limit of 1\.0 MB \(--max-file-size raises it\)/);
  });
});

describe("gmmhmm/wav: the CLI's reader as the package's", () => {
  test('readWav and decodeWav give the samples; what is wrong is a GmmHmmError naming the file', async () => {
    const pkg = await import('gmmhmm/wav');
    const { GmmHmmError } = await import('gmmhmm');
    const samples = Float32Array.from({ length: 800 }, (_, i) => Math.round(8000 * Math.sin(i / 5)) / 32768);
    const file = path.join(dir, 'package-wav.wav');
    fs.writeFileSync(file, riff([fmt({ rate: 16000 }), chunk('data', int16Bytes(samples))]));
    const read = await pkg.readWav(file);
    assert.equal(read.sampleRate, 16000);
    assert.deepEqual(read.samples, samples);
    assert.deepEqual({ ...read, samples: null }, { ...(await readWav(file)), samples: null }, "the CLI's reader's result");
    const bytes = fs.readFileSync(file);
    const fromBytes = pkg.decodeWav(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    assert.deepEqual(fromBytes.samples, samples, 'a Uint8Array that is not a Buffer');
    await assert.rejects(pkg.readWav(path.join(dir, 'missing.wav')), (e) => e instanceof GmmHmmError && /missing\.wav/.test(e.message));
    assert.throws(() => pkg.decodeWav(new Uint8Array(40), 'noise.bin'), (e) => e instanceof GmmHmmError && /^noise\.bin is not a readable WAV file/.test(e.message));
    assert.throws(() => pkg.decodeWav('RIFF'), (e) => e instanceof GmmHmmError && /bytes must be a Uint8Array or Buffer, got string/.test(e.message));
    await assert.rejects(pkg.readWav(42), (e) => e instanceof GmmHmmError && /file name must be a string, got number/.test(e.message));
  });

  test("outside Node (the export's default condition) each function says where to turn", async () => {
    const browser = await import('../../web/wav-browser.js');
    const { GmmHmmError } = await import('gmmhmm');
    await assert.rejects(browser.readWav('yes.wav'), (e) => e instanceof GmmHmmError && /^readWav: gmmhmm\/wav reads WAV files in Node; in a browser, decode audio with AudioContext\.decodeAudioData/.test(e.message));
    assert.throws(() => browser.decodeWav(new Uint8Array(44)), (e) => e instanceof GmmHmmError && /^decodeWav: gmmhmm\/wav reads WAV files in Node/.test(e.message));
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.deepEqual(Object.keys(pkg.exports['./wav']), ['types', 'node', 'default']);
  });
});
