#include "json_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "gmmhmm/errors.hpp"

namespace gmmhmm::detail {

using json = nlohmann::json;

std::shared_ptr<JsonMembers> JsonMembers::of(const json& example) {
  auto members = std::make_shared<JsonMembers>();
  for (auto it = example.begin(); example.is_object() && it != example.end(); ++it) {
    const json& value = it.value();
    const bool objects = value.is_array() && !value.empty() && value.front().is_object();
    members->known[it.key()] = value.is_object() ? of(value) : objects ? of(value.front()) : nullptr;
  }
  return members;
}

std::shared_ptr<const JsonMembers> JsonMembers::everything() {
  static const auto all = [] {
    auto m = std::make_shared<JsonMembers>();
    m->keepAll = true;
    return std::shared_ptr<const JsonMembers>(m);
  }();
  return all;
}

namespace {

// Legitimate files spend about 20 bytes per number ("-0.12345678901234567,"), and a
// mostly-zero transition matrix 4; a document built with one value per 16 bytes of the limit
// stays within a few times maxBytes of memory (measured: docs/hardening.md).
constexpr std::size_t kBytesPerValue = 16;
// What one built value may cost at the peak, whatever maxBytes says: 16 bytes, twice that in
// a growing array and its fragments, 16 more when nlohmann's destructor flattens an array onto
// a stack of the same size (an allocation in a destructor: if it fails, std::terminate -- the
// "Aborted()" of a 100 MB file), and the reader's copies of the numbers; with headroom for the
// text itself. A document needing more than memoryLimit() is refused while counting.
constexpr std::size_t kPeakBytesPerValue = 160;

const JsonMembers& noMembers() {
  static const JsonMembers none;
  return none;
}

// What the parser callback knows of one open object or array.
struct Container {
  const JsonMembers* members = nullptr;  // of this object, or shared by this array's elements
  bool isObject = false;
  bool skipped = false;                  // inside a member that is not built
  // Objects: the last key read -- the members of its value, and whether it is skipped.
  const JsonMembers* pending = nullptr;
  bool pendingSkipped = false;
};

// Which members are built, and how many values they hold. Events arrive with the depth at
// which they occur (the number of containers open around them): from nlohmann's SAX parser
// (ValueCounter) and from its DOM parser's callback (parseJsonFile), which calls back on every
// start and key, also inside members it does not build, but on the ends of built containers
// only -- so the stack is kept by depth, not by ends.
class MemberFilter {
 public:
  MemberFilter(const FileLimits& limits, const JsonMembers& root, const std::string& what)
      : root_(root),
        what_(what),
        byFileSize_(std::max<std::size_t>(limits.maxBytes / kBytesPerValue, 1024)),
        byMemory_(memoryLimit() / kPeakBytesPerValue),
        maxValues_(std::min(byFileSize_, byMemory_)) {}

  void open(std::size_t level, bool isObject) {
    if (level + 1 > static_cast<std::size_t>(kMaxJsonDepth))
      throw ModelFormatError(what_ + ": nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    stack_.resize(level);  // containers that ended (unreported when skipped) go
    Container c;
    c.isObject = isObject;
    if (level == 0) {
      c.members = &root_;
    } else {
      const Container& parent = stack_[level - 1];
      c.members = parent.isObject ? parent.pending : parent.members;
      c.skipped = parent.skipped || (parent.isObject && parent.pendingSkipped);
    }
    if (!c.skipped) count(1);
    stack_.push_back(c);
  }

  // Returns whether the member is built.
  bool key(std::size_t level, const std::string& name) {
    stack_.resize(level);
    Container& object = stack_[level - 1];
    bool known = object.members->keepAll;
    const JsonMembers* members = object.members;  // keepAll: so are the value's members
    if (!known) {
      const auto it = object.members->known.find(name);
      known = it != object.members->known.end();
      members = known && it->second ? it->second.get() : &noMembers();
    }
    object.pending = members;
    object.pendingSkipped = !known;
    if (known && !object.skipped) count(1 + name.size() / 16);
    return known;
  }

  // A number, string, true, false or null; strings cost their length (in units of 16 bytes,
  // the size of a value).
  void value(std::size_t level, std::size_t stringBytes) {
    if (level == 0) return;
    stack_.resize(level);
    const Container& parent = stack_[level - 1];
    if (!(parent.skipped || (parent.isObject && parent.pendingSkipped))) count(1 + stringBytes / 16);
  }

 private:
  void count(std::size_t values) {
    values_ += values;
    if (values_ <= maxValues_) return;
    if (maxValues_ == byFileSize_)
      throw ModelFormatError(what_ + ": the members read hold more than " + std::to_string(maxValues_) +
                             " JSON values (one per " + std::to_string(kBytesPerValue) +
                             " bytes of maxBytes); raise maxBytes if the file is genuine");
    throw OutOfMemory(what_ + ": the members read hold more than " + std::to_string(maxValues_) +
                      " JSON values, more than the memory limit (" + std::to_string(memoryLimit() >> 20) +
                      " MiB) allows to parse");
  }

  const JsonMembers& root_;
  const std::string& what_;
  const std::size_t byFileSize_, byMemory_, maxValues_;
  std::size_t values_ = 0;
  std::vector<Container> stack_;
};

// The first pass: nlohmann's SAX parser feeding the filter, building nothing, so a file whose
// members hold too many values is refused before any memory is spent on it (and a file that
// is not JSON before a document is half built).
class ValueCounter final : public nlohmann::json_sax<json> {
 public:
  explicit ValueCounter(MemberFilter& filter) : filter_(filter) {}
  bool null() override { return scalar(); }
  bool boolean(bool) override { return scalar(); }
  bool number_integer(number_integer_t) override { return scalar(); }
  bool number_unsigned(number_unsigned_t) override { return scalar(); }
  bool number_float(number_float_t, const string_t&) override { return scalar(); }
  bool string(string_t& value) override {
    filter_.value(depth_, value.size());
    return true;
  }
  bool binary(binary_t&) override { return scalar(); }
  bool start_object(std::size_t) override { return open(true); }
  bool key(string_t& name) override {
    filter_.key(depth_, name);
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) override {
    throw error;  // reported by the callers like any nlohmann::json::exception
  }

 private:
  bool scalar() {
    filter_.value(depth_, 0);
    return true;
  }
  bool open(bool isObject) {
    filter_.open(depth_++, isObject);
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }

  MemberFilter& filter_;
  std::size_t depth_ = 0;
};

// A whole number written with a fraction ("version": 1.0, as Python writes a float) is the
// integer JavaScript reads: fromJSON(text) and fromJSON(JSON.parse(text)) agree, and fields
// that must be integers accept it.
void asJavaScriptReadsIt(json& value) {
  if (!value.is_number_float()) return;
  const double d = value.get<double>();
  if (!(std::isfinite(d) && d == std::floor(d) && std::fabs(d) <= 9007199254740992.0)) return;
  // As nlohmann reads "5": unsigned when not negative (some readers accept only that).
  if (d >= 0)
    value = static_cast<std::uint64_t>(d);
  else
    value = static_cast<std::int64_t>(d);
}

}  // namespace

nlohmann::json parseJsonFile(std::string_view text, const FileLimits& limits, const JsonMembers& members,
                             const std::string& what) {
  if (text.size() > limits.maxBytes)
    throw ModelFormatError(what + ": the file has " + std::to_string(text.size()) + " bytes, more than maxBytes (" +
                           std::to_string(limits.maxBytes) + "); raise maxBytes to load a larger file");
  {
    MemberFilter counting(limits, members, what);
    ValueCounter counter(counting);
    json::sax_parse(text.data(), text.data() + text.size(), &counter);
  }
  MemberFilter filter(limits, members, what);
  return json::parse(text.data(), text.data() + text.size(),
                     [&filter](int depth, json::parse_event_t event, json& parsed) {
                       const auto level = static_cast<std::size_t>(depth);
                       switch (event) {
                         case json::parse_event_t::object_start: filter.open(level, true); return true;
                         case json::parse_event_t::array_start: filter.open(level, false); return true;
                         case json::parse_event_t::key: return filter.key(level, parsed.get_ref<const std::string&>());
                         case json::parse_event_t::value:
                           filter.value(level, parsed.is_string() ? parsed.get_ref<const std::string&>().size() : 0);
                           asJavaScriptReadsIt(parsed);
                           return true;
                         case json::parse_event_t::object_end:
                         case json::parse_event_t::array_end: return true;
                       }
                       return true;
                     });
}

}  // namespace gmmhmm::detail
