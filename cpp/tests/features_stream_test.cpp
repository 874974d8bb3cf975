// FeatureStream: pushing blocks of any size gives exactly the batch frames.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <vector>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/features/feature_stream.hpp"
#include "gmmhmm/features/frontend.hpp"

using namespace gmmhmm::features;

namespace {

std::vector<float> testSignal(std::size_t n, unsigned seed) {
  // A DC offset (so removeDcOffset matters), a tone and noise.
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 0.05f);
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = 0.1f + 0.3f * std::sin(0.05f * i) + g(rng);
  return x;
}

// Pushes x in blocks drawn by `nextBlock`, pulling at random moments.
RowMatrix streamed(FeatureStream& stream, const std::vector<float>& x, std::mt19937& rng,
                   const std::function<std::size_t()>& nextBlock) {
  std::vector<RowMatrix> pieces;
  std::size_t pos = 0;
  while (pos < x.size()) {
    const std::size_t n = std::min(nextBlock(), x.size() - pos);
    stream.push(x.data() + pos, n);
    pos += n;
    if (rng() % 3 == 0) pieces.push_back(stream.pull(rng() % 5 == 0 ? 1 : std::numeric_limits<std::size_t>::max()));
  }
  stream.finish();
  pieces.push_back(stream.pull());
  Eigen::Index rows = 0;
  for (const auto& p : pieces) rows += p.rows();
  RowMatrix all(rows, stream.dim());
  Eigen::Index at = 0;
  for (const auto& p : pieces) {
    all.middleRows(at, p.rows()) = p;
    at += p.rows();
  }
  return all;
}

void expectIdentical(const RowMatrix& a, const RowMatrix& b, const std::string& what) {
  ASSERT_EQ(a.rows(), b.rows()) << what;
  ASSERT_EQ(a.cols(), b.cols()) << what;
  if (a.size() == 0) return;
  // Bit-identical, not just close: the same per-frame code on the same samples.
  EXPECT_EQ((a - b).cwiseAbs().maxCoeff(), 0.0) << what;
}

}  // namespace

TEST(FeatureStream, RandomBlockSizesEqualBatch) {
  const std::vector<float> x = testSignal(48000, 1);
  std::mt19937 rng(42);
  const std::vector<std::pair<std::string, std::function<std::size_t()>>> blockings = {
      {"1", [] { return std::size_t(1); }},
      {"128", [] { return std::size_t(128); }},
      {"7919", [] { return std::size_t(7919); }},
      {"random 1..3000", [&rng] { return std::size_t(1 + rng() % 3000); }},
      {"random 0..200", [&rng] { return std::size_t(rng() % 201); }},
  };
  MfccOptions mfccOptions;
  FbankOptions fbankOptions;
  fbankOptions.useEnergy = true;
  MfccOptions dithered;
  dithered.dither = 1.0;
  dithered.seed = 5;
  for (double rate : {16000.0, 44100.0}) {
    const RowMatrix mfccBatch = mfcc(x.data(), x.size(), rate, mfccOptions);
    const RowMatrix fbankBatch = fbank(x.data(), x.size(), rate, fbankOptions);
    const RowMatrix ditherBatch = mfcc(x.data(), x.size(), rate, dithered);
    for (const auto& [name, block] : blockings) {
      FeatureStream a(mfccOptions, rate), b(fbankOptions, rate), c(dithered, rate);
      expectIdentical(streamed(a, x, rng, block), mfccBatch, "mfcc, blocks " + name);
      expectIdentical(streamed(b, x, rng, block), fbankBatch, "fbank, blocks " + name);
      expectIdentical(streamed(c, x, rng, block), ditherBatch, "dithered mfcc, blocks " + name);
    }
  }
}

TEST(FeatureStream, NoSnipEdgesNeedsFinish) {
  MfccOptions o;
  o.snipEdges = false;
  std::mt19937 rng(7);
  for (std::size_t n : {std::size_t(30), std::size_t(200), std::size_t(399), std::size_t(12345)}) {
    const std::vector<float> x = testSignal(n, 2);
    const RowMatrix batch = mfcc(x.data(), x.size(), 16000, o);
    FeatureStream s(o, 16000);
    expectIdentical(streamed(s, x, rng, [&rng] { return std::size_t(1 + rng() % 700); }), batch,
                    "no snip, n=" + std::to_string(n));
  }
  // The last frames reflect the end of the signal: they wait for finish().
  const std::vector<float> x = testSignal(16000, 3);
  FeatureStream s(o, 16000);
  s.push(x.data(), x.size());
  EXPECT_LT(s.framesReady(), 100u);
  s.finish();
  EXPECT_EQ(s.framesReady(), 100u);
}

TEST(FeatureStream, FramesAppearAsSoonAsTheyAreComplete) {
  FeatureStream s(MfccOptions(), 16000);
  std::vector<float> x = testSignal(1000, 4);
  s.push(x.data(), 399);
  EXPECT_EQ(s.framesReady(), 0u);
  s.push(x.data() + 399, 1);
  EXPECT_EQ(s.framesReady(), 1u);
  s.push(x.data() + 400, 159);
  EXPECT_EQ(s.framesReady(), 1u);
  s.push(x.data() + 559, 1);
  EXPECT_EQ(s.framesReady(), 2u);
  EXPECT_EQ(s.pull(1).rows(), 1);
  EXPECT_EQ(s.framesReady(), 1u);
  EXPECT_EQ(s.framesComputed(), 2);
  EXPECT_EQ(s.samplesPushed(), 560);
}

TEST(FeatureStream, ResetAndErrors) {
  const std::vector<float> x = testSignal(5000, 5);
  FeatureStream s(MfccOptions(), 16000);
  s.push(x.data(), x.size());
  const RowMatrix first = s.pull();
  s.finish();
  EXPECT_THROW(s.push(x.data(), 10), gmmhmm::InvalidArgument);
  s.reset();
  s.push(x.data(), x.size());
  expectIdentical(s.pull(), first, "after reset");
  std::vector<float> bad = {0.1f, std::numeric_limits<float>::quiet_NaN()};
  const auto before = s.samplesPushed();
  try {
    s.push(bad.data(), bad.size());
    FAIL();
  } catch (const gmmhmm::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("samples[1]"), std::string::npos);
  }
  EXPECT_EQ(s.samplesPushed(), before);
  EXPECT_THROW(FeatureStream(MfccOptions(), 100), gmmhmm::InvalidArgument);
}
