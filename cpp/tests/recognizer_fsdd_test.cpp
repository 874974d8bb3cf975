// The Recognizer on real speech (FSDD, ../shared/data/fsdd): two speakers, official split
// (indices 5-49 train, 0-4 test). Skips with a message when ../shared is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "gmmhmm/recognizer/recognizer.hpp"
#include "helpers/audio_tools.hpp"

using namespace gmmhmm::recognizer;
namespace gt = gmmhmm::testing;

TEST(RecognizerFsdd, TwoSpeakersOfficialSplit) {
  const std::string shared = gt::sharedDir();
  const std::filesystem::path folder = std::filesystem::path(shared) / "data" / "fsdd" / "recordings";
  if (shared.empty() || !std::filesystem::is_directory(folder)) GTEST_SKIP() << "../shared/data/fsdd is absent";
  const std::regex name("(\\d)_(george|jackson)_(\\d+)\\.wav");
  struct Utterance {
    std::string label;
    gt::WavAudio audio;
  };
  std::vector<Utterance> test;
  Recognizer rec;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    std::smatch m;
    const std::string file = entry.path().filename().string();
    if (!std::regex_match(file, m, name)) continue;
    gt::WavAudio audio = gt::readWav(entry.path().string());
    if (std::stoi(m[3]) >= 5) {
      rec.addExample(m[1], audio.samples.data(), audio.samples.size(), audio.sampleRate);
    } else {
      test.push_back({m[1], std::move(audio)});
    }
  }
  ASSERT_EQ(test.size(), 100u);
  rec.train();
  int correct = 0, accepted = 0;
  double confidenceRight = 0, confidenceWrong = 0;
  for (const auto& u : test) {
    const Classification c = rec.classify(u.audio.samples.data(), u.audio.samples.size(), u.audio.sampleRate);
    const bool right = c.label == u.label;
    correct += right;
    accepted += right && !c.rejected;
    (right ? confidenceRight : confidenceWrong) += c.confidence;
  }
  EXPECT_GE(correct, 97) << "of 100";
  EXPECT_GE(accepted, 93) << "recognised and accepted, of 100";
  EXPECT_GT(confidenceRight / correct, 0.9);
  // Calibration: the held-out accuracy the scale was fitted on matches what we see.
  EXPECT_GT(rec.calibration().heldOutAccuracy, 0.9);
}
