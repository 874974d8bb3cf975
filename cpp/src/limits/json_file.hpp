#pragma once
// Parsing model and recognizer files within FileLimits (internal header): the size is
// checked before parsing, nesting is bounded, members the reader does not use are skipped
// without being built, and the members it uses may hold at most maxBytes / 16 JSON values --
// counted by a first pass that builds nothing, so a file over any limit costs no memory.

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gmmhmm/limits.hpp"

namespace gmmhmm::detail {

// The members of a JSON object that a reader uses, each with the members of its value (for
// objects; an array's elements share the array's). Anything else is skipped while parsing.
struct JsonMembers {
  // nullptr: a value with no members of interest (numbers, strings, arrays of them); objects
  // found there are kept empty, and the reader reports the wrong type.
  std::map<std::string, std::shared_ptr<const JsonMembers>, std::less<>> known;
  // Keep every member (sections whose reader rejects unknown names itself, with a message).
  bool keepAll = false;

  // The members of `example`, a document as its writer writes it (objects recursively; an
  // array of objects by its first element).
  static std::shared_ptr<JsonMembers> of(const nlohmann::json& example);
  static std::shared_ptr<const JsonMembers> everything();
};

// Deeper nesting is refused (no legitimate file comes close: a full covariance inside a
// recognizer file is 8 levels deep).
inline constexpr int kMaxJsonDepth = 32;

// Parses `text` as described above (twice: counting, then building). Throws
// ModelFormatError ("<what>: ...") for a file over the limits, and lets
// nlohmann::json::exception through for text that is not JSON (the callers word that error
// their way).
nlohmann::json parseJsonFile(std::string_view text, const FileLimits& limits, const JsonMembers& members,
                             const std::string& what);

}  // namespace gmmhmm::detail
