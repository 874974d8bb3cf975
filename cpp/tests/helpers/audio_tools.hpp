#pragma once
// Test-time audio: the shared data directory, temporary directories, and the espeak-ng / sox
// command-line tools (tests skip with a visible message when they are missing).

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "wav_file.hpp"

namespace gmmhmm::testing {

// ../shared next to the project, or $GMMHMM_SHARED_DIR. Empty when absent.
inline std::string sharedDir() {
  if (const char* env = std::getenv("GMMHMM_SHARED_DIR")) {
    if (std::filesystem::is_directory(env)) return env;
    return {};
  }
#ifdef GMMHMM_SOURCE_DIR
  const std::filesystem::path p = std::filesystem::path(GMMHMM_SOURCE_DIR) / ".." / "shared";
  if (std::filesystem::is_directory(p)) return p.lexically_normal().string();
#endif
  return {};
}

inline bool commandExists(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

inline bool run(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

inline std::string shellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// A fresh directory under $TMPDIR, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "gmmhmm-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (std::filesystem::path(path_) / name).string(); }

 private:
  std::string path_;
};

// espeak-ng speaking `text` with `voice` at `speed` words/minute, resampled by sox to
// `sampleRate`. Throws std::runtime_error if a tool fails.
inline WavAudio synthesise(const TempDir& dir, const std::string& text, const std::string& voice,
                           int speed, int sampleRate) {
  static int counter = 0;
  const std::string raw = dir.file("espeak" + std::to_string(counter) + ".wav");
  const std::string out = dir.file("word" + std::to_string(counter++) + ".wav");
  if (!run("espeak-ng -v " + shellQuote(voice) + " -s " + std::to_string(speed) + " -w " +
           shellQuote(raw) + " " + shellQuote(text)))
    throw std::runtime_error("espeak-ng failed for " + text);
  // -D: no dither (sox's dither is random unless -R, and it is LSB noise whose spectrum
  // depends on the sample rate).
  if (!run("sox -D " + shellQuote(raw) + " -r " + std::to_string(sampleRate) + " -b 16 -c 1 " + shellQuote(out)))
    throw std::runtime_error("sox failed");
  return readWav(out);
}

// sox resampling of a 16-bit mono signal (its high-quality default resampler, no dither).
inline std::vector<float> resample(const TempDir& dir, const std::vector<float>& samples,
                                   int fromRate, int toRate) {
  static int counter = 0;
  const std::string in = dir.file("resample-in" + std::to_string(counter) + ".wav");
  const std::string out = dir.file("resample-out" + std::to_string(counter++) + ".wav");
  writeWav16(in, samples, fromRate);
  if (!run("sox -D " + shellQuote(in) + " -r " + std::to_string(toRate) + " -b 16 " + shellQuote(out)))
    throw std::runtime_error("sox resampling failed");
  return readWav(out).samples;
}

}  // namespace gmmhmm::testing
