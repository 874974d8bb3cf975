// WAV files byte by byte for the tests: well-formed ones, and the malformed headers real
// writers produce (wrong sizes, missing pad bytes, chunks in odd places).
import fs from 'node:fs';
import path from 'node:path';

/** A chunk: id, 32-bit size (`size` overrides the true one), data, pad byte if odd (unless pad: false). */
export function chunk(id, data, { size = data.length, pad = true } = {}) {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32LE(size, 4);
  return Buffer.concat([header, Buffer.from(data), pad && data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

/** A whole file: 'RIFF' (or `magic`), size (`riffSize` overrides), 'WAVE', the chunks. */
export function riff(chunks, { magic = 'RIFF', riffSize } = {}) {
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), ...chunks]);
  const header = Buffer.alloc(8);
  header.write(magic, 0, 'latin1');
  header.writeUInt32LE(riffSize ?? body.length, 4);
  return Buffer.concat([header, body]);
}

/** A 'fmt ' chunk. `subFormat` (a format code) makes it WAVE_FORMAT_EXTENSIBLE; `guid` replaces the whole GUID. */
export function fmt({ code = 1, channels = 1, rate = 8000, bits = 16, blockAlign, subFormat, guid, validBits } = {}) {
  const align = blockAlign ?? channels * Math.ceil(bits / 8);
  const extensible = subFormat !== undefined || guid !== undefined;
  const data = Buffer.alloc(extensible ? 40 : 16);
  data.writeUInt16LE(extensible ? 0xfffe : code, 0);
  data.writeUInt16LE(channels, 2);
  data.writeUInt32LE(rate, 4);
  data.writeUInt32LE(Math.min(rate * align, 0xffffffff), 8); // byte rate (no reader needs it)
  data.writeUInt16LE(align, 12);
  data.writeUInt16LE(bits, 14);
  if (extensible) {
    data.writeUInt16LE(22, 16);
    data.writeUInt16LE(validBits ?? bits, 18);
    data.writeUInt32LE(channels === 1 ? 4 : 3, 20);
    const g = guid ?? Buffer.concat([Buffer.from([subFormat & 0xff, subFormat >> 8, 0, 0]), Buffer.from('000010008000' + '00aa00389b71', 'hex')]);
    g.copy(data, 24);
  }
  return chunk('fmt ', data);
}

/** 16-bit PCM bytes of samples in [-1, 1]. */
export function int16Bytes(samples) {
  const out = Buffer.alloc(2 * samples.length);
  samples.forEach((v, i) => out.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v)) * 32767), 2 * i));
  return out;
}

/** A mono 16-bit PCM WAV file of samples in [-1, 1]. */
export function wav16(samples, rate) {
  return riff([fmt({ rate, bits: 16 }), chunk('data', int16Bytes(samples))]);
}

/** A word-like sound without speech synthesis: a tone gliding from f0 to f1 Hz under a rise-and-fall envelope. */
export function glide(f0, f1, { rate = 8000, seconds = 0.5, variant = 0 } = {}) {
  return Array.from({ length: Math.round(rate * seconds) }, (_, i) => {
    const t = i / rate;
    const f = (f0 + ((f1 - f0) * t) / seconds) * (1 + 0.01 * variant);
    return 0.5 * Math.sin((Math.PI * t) / seconds) * Math.sin(2 * Math.PI * f * t);
  });
}

/** Writes <root>/low/<k>.wav and <root>/high/<k>.wav (k < count): two distinct glides at 8 kHz, a tiny training set. */
export function writeGlideWords(root, count = 3) {
  for (const [word, f0, f1] of [['low', 300, 600], ['high', 1500, 900]]) {
    fs.mkdirSync(path.join(root, word), { recursive: true });
    for (let variant = 0; variant < count; variant++) {
      fs.writeFileSync(path.join(root, word, `${variant}.wav`), wav16(glide(f0, f1, { variant }), 8000));
    }
  }
}
