#pragma once
// Typed exceptions of the core. Every public entry point validates its input and throws one
// of these with a message that names the argument and the problem; the binding layer turns
// them into JavaScript Errors with `code` set to code().

#include <stdexcept>
#include <string>

namespace gmmhmm {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
  // A stable machine-readable category, e.g. "invalid-argument".
  virtual const char* code() const noexcept { return "error"; }
};

// A bad argument: NaN/Inf, wrong shape, empty sequence, probabilities that do not sum to 1...
class InvalidArgument : public Error {
 public:
  using Error::Error;
  const char* code() const noexcept override { return "invalid-argument"; }
};

// A method that needs trained (or fully set) parameters was called before fit().
class NotFitted : public Error {
 public:
  using Error::Error;
  const char* code() const noexcept override { return "not-fitted"; }
};

// A model file (JSON) that is malformed or inconsistent.
class ModelFormatError : public Error {
 public:
  using Error::Error;
  const char* code() const noexcept override { return "model-format"; }
};

// A call that would need more memory than memoryLimit() (gmmhmm/limits.hpp): refused before
// anything was allocated.
class OutOfMemory : public Error {
 public:
  using Error::Error;
  const char* code() const noexcept override { return "out-of-memory"; }
};

// Training was cancelled by the caller's progress callback or AbortSignal.
class Cancelled : public Error {
 public:
  using Error::Error;
  const char* code() const noexcept override { return "cancelled"; }
};

}  // namespace gmmhmm
