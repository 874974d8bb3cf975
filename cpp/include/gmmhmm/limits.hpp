#pragma once
// Resource limits of the core: how large a model or recognizer file may be, and how much
// memory one call may plan to use. Both are checked before anything is allocated, so an
// input that is too large is refused with an error naming the limit instead of growing the
// process (or a WebAssembly heap, which never shrinks) and failing half-way.

#include <cstddef>

namespace gmmhmm {

// The default largest model or recognizer file: 64 MiB, about twice the largest legitimate
// file we can justify -- a full-covariance GMM-HMM of 39-dimensional features with 64 states
// x 16 components (1,024 full-covariance Gaussians, HTK-sized) is 32.8 MiB, a recognizer of
// 300 words at the default model sizes (15 states x 4 components) about 27 MiB
// (docs/hardening.md).
inline constexpr std::size_t kDefaultMaxFileBytes = std::size_t(64) << 20;

struct FileLimits {
  // Largest file accepted (bytes of UTF-8 text), checked before parsing. The parsed document
  // is bounded too: members the reader does not use are skipped without being built, and the
  // members it uses may hold at most maxBytes / 16 JSON values (a number takes about 20
  // bytes in the files gmmhmm and hmmlearn write), and no more than memoryLimit() can hold
  // while parsing (OutOfMemory), counted before anything is built -- so parsing never takes
  // more than a few times maxBytes of memory whatever the file holds.
  std::size_t maxBytes = kDefaultMaxFileBytes;
};

// The memory one call may plan to use (bytes); fit() and the GmmHmm constructor estimate
// theirs from the sizes and refuse (gmmhmm::OutOfMemory) before allocating when it is
// larger. Unlimited by default; the WebAssembly build sets its heap's maximum (2 GB).
void setMemoryLimit(std::size_t bytes);
std::size_t memoryLimit();

}  // namespace gmmhmm
