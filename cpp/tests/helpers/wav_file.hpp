#pragma once
// Minimal WAV reading for tests only (the library never touches files): PCM 8/16/24/32-bit
// and IEEE float 32-bit, channels averaged to mono, samples in [-1, 1].

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace gmmhmm::testing {

struct WavAudio {
  double sampleRate = 0;
  std::vector<float> samples;
};

inline WavAudio readWav(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto u16 = [&](std::size_t at) { return std::uint32_t(bytes.at(at)) | std::uint32_t(bytes.at(at + 1)) << 8; };
  auto u32 = [&](std::size_t at) { return u16(at) | u16(at + 2) << 16; };
  if (bytes.size() < 12 || std::memcmp(bytes.data(), "RIFF", 4) != 0 ||
      std::memcmp(bytes.data() + 8, "WAVE", 4) != 0)
    throw std::runtime_error(path + " is not a RIFF/WAVE file");
  int format = 0, channels = 0, bits = 0;
  WavAudio audio;
  std::size_t pos = 12;
  while (pos + 8 <= bytes.size()) {
    const std::string id(reinterpret_cast<const char*>(bytes.data() + pos), 4);
    std::size_t size = u32(pos + 4);
    const std::size_t body = pos + 8;
    if (id == "fmt ") {
      format = static_cast<int>(u16(body));
      channels = static_cast<int>(u16(body + 2));
      audio.sampleRate = u32(body + 4);
      bits = static_cast<int>(u16(body + 14));
      if (format == 0xFFFE && size >= 26) format = static_cast<int>(u16(body + 24));
    } else if (id == "data") {
      if (channels < 1 || bits == 0) throw std::runtime_error(path + ": data before fmt");
      // espeak-ng streams to files and may leave the size at 0 or 0xFFFFFFFF.
      if (size == 0 || body + size > bytes.size()) size = bytes.size() - body;
      const int width = bits / 8;
      const std::size_t frames = size / (static_cast<std::size_t>(width) * channels);
      audio.samples.assign(frames, 0.0f);
      for (std::size_t f = 0; f < frames; ++f) {
        double sum = 0;
        for (int c = 0; c < channels; ++c) {
          const std::size_t at = body + (f * channels + c) * width;
          double v;
          if (format == 3 && bits == 32) {
            float x;
            std::uint32_t raw = u32(at);
            std::memcpy(&x, &raw, 4);
            v = x;
          } else if (format == 1 && bits == 16) {
            v = static_cast<std::int16_t>(u16(at)) / 32768.0;
          } else if (format == 1 && bits == 8) {
            v = (bytes[at] - 128) / 128.0;
          } else if (format == 1 && bits == 24) {
            std::int32_t x = static_cast<std::int32_t>((u16(at) | std::uint32_t(bytes[at + 2]) << 16) << 8) >> 8;
            v = x / 8388608.0;
          } else if (format == 1 && bits == 32) {
            v = static_cast<std::int32_t>(u32(at)) / 2147483648.0;
          } else {
            throw std::runtime_error(path + ": unsupported WAV format " + std::to_string(format) +
                                     "/" + std::to_string(bits) + " bits");
          }
          sum += v;
        }
        audio.samples[f] = static_cast<float>(sum / channels);
      }
      return audio;
    }
    pos = body + size + (size & 1);
  }
  throw std::runtime_error(path + ": no data chunk");
}

// Writes 16-bit PCM mono (for feeding sox in tests).
inline void writeWav16(const std::string& path, const std::vector<float>& samples, int sampleRate) {
  std::ofstream out(path, std::ios::binary);
  auto put16 = [&](std::uint32_t v) { out.put(char(v & 0xFF)); out.put(char((v >> 8) & 0xFF)); };
  auto put32 = [&](std::uint32_t v) { put16(v & 0xFFFF); put16(v >> 16); };
  const std::uint32_t dataBytes = static_cast<std::uint32_t>(samples.size() * 2);
  out.write("RIFF", 4); put32(36 + dataBytes); out.write("WAVE", 4);
  out.write("fmt ", 4); put32(16); put16(1); put16(1); put32(sampleRate); put32(sampleRate * 2);
  put16(2); put16(16);
  out.write("data", 4); put32(dataBytes);
  for (float s : samples) {
    double v = std::max(-1.0, std::min(1.0, double(s))) * 32767.0;
    put16(static_cast<std::uint16_t>(static_cast<std::int16_t>(std::lround(v))));
  }
}

}  // namespace gmmhmm::testing
