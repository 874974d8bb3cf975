// The label rule of the core (gmmhmm/recognizer/labels.hpp): byte-level cases JavaScript
// cannot produce (invalid UTF-8) and the UTF-16 length count. The shared table that JS and
// the core must agree on is tests/node/labels.test.js.
#include <gtest/gtest.h>

#include <string>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/recognizer/labels.hpp"
#include "gmmhmm/recognizer/recognizer.hpp"

using gmmhmm::recognizer::kMaxLabelLength;
using gmmhmm::recognizer::labelProblem;

TEST(Labels, InvalidUtf8IsRefused) {
  for (const std::string bad : {"\xff", "a\x80", "\xc0\x80" /* overlong NUL */, "\xed\xa0\x80" /* a surrogate */,
                                "\xf4\x90\x80\x80" /* above U+10FFFF */, "\xe2\x82" /* truncated */}) {
    EXPECT_EQ(labelProblem(bad), "must be valid UTF-8 text") << bad;
  }
}

TEST(Labels, LengthCountsUtf16CodeUnitsLikeJavaScript) {
  const std::string emoji = "\xf0\x9f\x98\x80";  // U+1F600: 4 bytes, 2 UTF-16 units
  std::string label;
  for (int i = 0; i < kMaxLabelLength / 2; ++i) label += emoji;
  EXPECT_EQ(labelProblem(label), "");
  // The count is JavaScript's: said when it differs from the characters a reader sees.
  EXPECT_EQ(labelProblem(label + "a"),
            "must be at most 64 characters, got 65 (counted as JavaScript's length counts: an emoji or another "
            "character beyond U+FFFF counts 2)");
  EXPECT_EQ(labelProblem(std::string(kMaxLabelLength, 'a')), "");
  EXPECT_EQ(labelProblem(std::string(kMaxLabelLength + 1, 'a')), "must be at most 64 characters, got 65");
  // 64 two-byte characters are 128 bytes but 64 characters.
  std::string accents;
  for (int i = 0; i < kMaxLabelLength; ++i) accents += "\xc3\xa9";
  EXPECT_EQ(labelProblem(accents), "");
}

TEST(Labels, IndexOfAForbiddenCharacterIsInUtf16Units) {
  EXPECT_EQ(labelProblem("\xf0\x9f\x98\x80\x1b[31m"), "contains a control character (U+001B at index 2)");
}

// Embeddings, overrides and isolates are refused; the marks (U+200E, U+200F, U+061C) are letters
// of right-to-left text that files written before hold: allowed.
TEST(Labels, BidirectionalEmbeddingsAndIsolatesAreRefusedMarksAllowed) {
  EXPECT_EQ(labelProblem("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d\xe2\x80\x8f"), "");  // Hebrew + RLM
  EXPECT_EQ(labelProblem("\xe2\x80\x8eyes"), "");
  EXPECT_EQ(labelProblem("a\xd8\x9c" "b"), "");
  EXPECT_EQ(labelProblem("a\xe2\x80\xae" "b"), "contains a bidirectional control character (U+202E at index 1)");
  EXPECT_EQ(labelProblem("a\xe2\x81\xa9" "b"), "contains a bidirectional control character (U+2069 at index 1)");
}

TEST(Labels, RecognizerRefusesBadLabelsBeforeStoringThem) {
  gmmhmm::recognizer::Recognizer r;
  gmmhmm::recognizer::RowMatrix x = gmmhmm::recognizer::RowMatrix::Ones(5, 39);
  EXPECT_THROW(r.addFeatures(std::string("\0background", 11), x), gmmhmm::InvalidArgument);
  EXPECT_THROW(r.addFeatures(" yes", x), gmmhmm::InvalidArgument);
  r.addFeatures("__proto__", x);
  EXPECT_EQ(r.exampleCount("__proto__"), 1);
  EXPECT_TRUE(r.labelsWithExamples() == std::vector<std::string>{"__proto__"});
}
