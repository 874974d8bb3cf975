// ITU-T G.711 A-law and μ-law: one byte per sample, decoded to the 16-bit linear values of the
// recommendation (A-law ±32256, μ-law ±32124) and scaled by 1/32768 like 16-bit PCM, so that a
// file converted between encodings keeps its level.

function alawToLinear(code) {
  const a = code ^ 0x55; // even bits are inverted on the line
  const segment = (a & 0x70) >> 4;
  let magnitude = ((a & 0x0f) << 4) + 8; // middle of the quantisation step
  if (segment > 0) magnitude = (magnitude + 0x100) << (segment - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

function mulawToLinear(code) {
  const u = ~code & 0xff; // every bit is inverted on the line
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4)) - 0x84;
  return u & 0x80 ? 0 - magnitude : magnitude; // 0 - 0 is +0
}

const table = (decode) => Float32Array.from({ length: 256 }, (_, code) => decode(code) / 32768);

/** Sample value in [-1, 1] of each byte value: ALAW[code], MULAW[code]. */
export const ALAW = table(alawToLinear);
export const MULAW = table(mulawToLinear);
