// The one Embind file: adapts the C++ core (which knows nothing of Emscripten) to JavaScript.
// The JS layer in web/lib/ wraps what is bound here into the public API (typed arrays in and
// out, GmmHmmError, dispose()).
//
// Conventions (shared by all sections):
//  - every bound function runs its body inside guarded(), so a C++ exception reaches JS as an
//    Error with `.code` and the message, never as a bare number;
//  - big inputs arrive as (pointer into the wasm heap, rows, cols): the JS side mallocs,
//    copies, calls and frees (web/lib/heap.js);
//  - matrices go out as { data: Float64Array (a copy), rows, cols } (matrixToJs);
//  - options arrive as plain JS objects and are read by OptionReader, which rejects unknown
//    names and wrong types with a message naming the option;
//  - arguments are numbers, pointers, or `val` taken by value and moved into a local inside
//    guarded()'s function (`const val o = std::move(options);`). The JS exception of a
//    failed call skips the destructors of the embind invoker's argument temporaries: a
//    std::string argument would leak its heap copy and an unmoved val its handle, once per
//    error. A moved-from val is empty, so nothing is left to leak.

// What is bound: everything, or (compiled with -DGMMHMM_BIND_MODELS=0, the words-only build of
// 'gmmhmm/words', cmake/wasm.cmake) the front end and the Recognizer only. The linker then
// leaves out of that .wasm whatever only the GMMHMM class and the hmmlearn families reach.
#ifndef GMMHMM_BIND_MODELS
#define GMMHMM_BIND_MODELS 1
#endif

// ==== common ====

#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <cmath>
#include <functional>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "gmmhmm/detail/message.hpp"
#include "gmmhmm/errors.hpp"
#include "gmmhmm/features.hpp"
#include "gmmhmm/features/option_list.hpp"
#include "gmmhmm/limits.hpp"
#include "gmmhmm/options.hpp"

using emscripten::val;

namespace {

// Builds and throws the JS Error. Called only once every C++ object of the failed call is
// destroyed: a JS exception unwinds wasm frames without running destructors.
EM_JS(void, gmmhmm_throw_js_error, (const char* code, const char* message), {
  const error = new Error(UTF8ToString(message));
  error.name = 'GmmHmmError';
  error.code = UTF8ToString(code);
  throw error;
});

// The error of the call being unwound. Static so that nothing needs destroying when the JS
// exception leaves (the strings keep their capacity for the next error).
struct PendingError {
  std::string code;
  std::string message;
};
PendingError& pendingError() {
  static PendingError error;
  return error;
}

[[noreturn]] void throwPendingError() {
  gmmhmm_throw_js_error(pendingError().code.c_str(), pendingError().message.c_str());
  std::abort();  // not reached: the call above throws
}

// Runs fn() and returns its result; a C++ exception becomes a JS Error (see above) with
// code "invalid-argument", "not-fitted", "model-format", "cancelled" (gmmhmm::Error::code()),
// "out-of-memory" (std::bad_alloc) or "internal" (anything else).
template <typename Fn>
auto guarded(Fn&& fn) -> decltype(fn()) {
  {
    PendingError& pending = pendingError();
    try {
      return fn();
    } catch (const gmmhmm::Error& e) {
      pending.code = e.code();
      pending.message = e.what();
    } catch (const std::bad_alloc&) {
      pending.code = "out-of-memory";
      pending.message = "out of memory: the WebAssembly heap cannot grow any further (limit 2 GB)";
    } catch (const std::exception& e) {
      pending.code = "internal";
      pending.message = std::string("internal error: ") + e.what();
    } catch (...) {
      pending.code = "internal";
      pending.message = "internal error: unknown C++ exception";
    }
  }
  throwPendingError();
}

template <typename... Parts>
[[noreturn]] void invalid(const Parts&... parts) {
  throw gmmhmm::InvalidArgument(gmmhmm::detail::message(parts...));
}

// A JS Float64Array holding a copy of n doubles from the wasm heap.
val copyOut(const double* ptr, std::size_t n) {
  return val::global("Float64Array").new_(emscripten::typed_memory_view(n, ptr));
}

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// { data: Float64Array (row-major copy), rows, cols } -> web/lib/heap.js matrixOut().
template <typename Matrix>
val matrixToJs(const Matrix& m) {
  val out = val::object();
  out.set("data", copyOut(m.data(), static_cast<std::size_t>(m.size())));
  out.set("rows", static_cast<double>(m.rows()));
  out.set("cols", static_cast<double>(m.cols()));
  return out;
}

// A row-major matrix the JS side copied into the heap (heap.js matrixIn()).
Eigen::Map<const RowMatrix> matrixIn(std::uintptr_t ptr, int rows, int cols, const char* name) {
  if (rows < 0 || cols < 0) invalid(name, " has a negative size (", rows, " x ", cols, ")");
  if (rows > 0 && cols > 0 && ptr == 0) invalid(name, " is null");
  return Eigen::Map<const RowMatrix>(reinterpret_cast<const double*>(ptr), rows, cols);
}

const float* samplesIn(std::uintptr_t ptr, std::size_t n) {
  if (n > 0 && ptr == 0) invalid("samples is null");
  return reinterpret_cast<const float*>(ptr);
}

// A model or recognizer file the JS side copied into the heap as UTF-8 (web/lib/files.js,
// after checking its size), read in place; and the size limit the caller gave.
std::string_view fileTextIn(std::uintptr_t ptr, std::size_t n) {
  if (n > 0 && ptr == 0) invalid("file text is null");
  return n == 0 ? std::string_view() : std::string_view(reinterpret_cast<const char*>(ptr), n);
}

gmmhmm::FileLimits fileLimitsIn(double maxBytes) {
  if (!(maxBytes >= 1 && maxBytes <= 9007199254740991.0 && maxBytes == std::floor(maxBytes)))
    invalid("maxBytes must be a positive integer (bytes), got ", maxBytes);
  gmmhmm::FileLimits limits;
  limits.maxBytes = maxBytes >= double(std::numeric_limits<std::size_t>::max())
                        ? std::numeric_limits<std::size_t>::max()
                        : static_cast<std::size_t>(maxBytes);
  return limits;
}

// Reads a plain JS options object; rejects unknown names (typos) and values of the wrong type.
class OptionReader {
 public:
  // `what` names the options in messages, e.g. "mfcc options". (The JS layer prefixes every
  // message with the function's name, so messages about one option name just the option.)
  OptionReader(val options, std::string what) : options_(std::move(options)), what_(std::move(what)) {
    if (options_.isUndefined() || options_.isNull()) {
      options_ = val::object();
    } else if (options_.typeOf().as<std::string>() != "object" || options_.isArray()) {
      invalid(what_, " must be an object");
    }
  }

  bool number(const char* key, double& out) { return anyNumber(key, out, false); }

  // A number that may be infinite (the core's validation says which infinities it takes).
  bool numberOrInfinity(const char* key, double& out) { return anyNumber(key, out, true); }

  // `range`: the option's declared range, for the message about a whole number beyond 32 bits
  // (an integer, but one no option takes).
  bool integer(const char* key, int& out, const gmmhmm::Range* range = nullptr) {
    double x = 0;
    if (!number(key, x)) return false;
    if (x != std::floor(x)) invalid(key, " must be an integer, got ", x);
    if (std::fabs(x) > std::numeric_limits<int>::max()) {
      if (range && !range->byHand) invalid(key, " ", gmmhmm::detail::rangeText(*range, true), ", got ", x);
      invalid(key, " is ", x, ": out of range (far beyond any value it takes)");
    }
    out = static_cast<int>(x);
    return true;
  }

  bool boolean(const char* key, bool& out) {
    val v = get(key);
    if (v.isUndefined()) return false;
    if (!v.isTrue() && !v.isFalse()) invalid(key, " must be true or false, got ", describe(v));
    out = v.isTrue();
    return true;
  }

  bool string(const char* key, std::string& out) {
    val v = get(key);
    if (v.isUndefined()) return false;
    if (!v.isString()) invalid(key, " must be a string, got ", describe(v));
    out = v.as<std::string>();
    return true;
  }

  // The declared options' readers (readDeclared below), one per field type.
  bool read(const gmmhmm::OptionInfo& info, double& out) {
    return info.range.minusInfinity ? numberOrInfinity(info.name, out) : number(info.name, out);
  }
  bool read(const gmmhmm::OptionInfo& info, int& out) { return integer(info.name, out, &info.range); }
  bool read(const gmmhmm::OptionInfo& info, bool& out) { return boolean(info.name, out); }
  bool read(const gmmhmm::OptionInfo& info, std::string& out) { return string(info.name, out); }
  bool read(const gmmhmm::OptionInfo& info, std::uint32_t& out) {
    double x = 0;
    if (!number(info.name, x)) return false;
    if (x < 0 || x > 4294967295.0 || x != std::floor(x)) invalid(info.name, " must be an integer in [0, 2^32), got ", x);
    out = static_cast<std::uint32_t>(x);
    return true;
  }
  bool read(const gmmhmm::OptionInfo& info, std::uint64_t& out) {
    double x = 0;
    if (!number(info.name, x)) return false;
    if (x < 0 || x > 9007199254740991.0 || x != std::floor(x))
      invalid(info.name, " must be an integer in [0, 2^53 - 1] (exact in a JS number), got ", x);
    out = static_cast<std::uint64_t>(x);
    return true;
  }
  bool read(const gmmhmm::OptionInfo& info, gmmhmm::Prior& out) { return prior(info.name, out); }

  // A prior: a number, or an array that the JS layer packed as [shape, values], two
  // Float64Arrays (web/lib/gmmhmm.js, packArray()); the core checks values and shape.
  bool prior(const char* key, gmmhmm::Prior& out) {
    const val v = get(key);
    if (v.isUndefined()) return false;
    const val float64 = val::global("Float64Array");
    if (v.isArray() && v["length"].as<int>() == 2 && v[0].instanceof(float64) && v[1].instanceof(float64)) {
      std::vector<long> shape;
      for (double d : emscripten::convertJSArrayToNumberVector<double>(v[0])) shape.push_back(static_cast<long>(d));
      out = gmmhmm::Prior(std::move(shape), emscripten::convertJSArrayToNumberVector<double>(v[1]));
      return true;
    }
    if (!v.isNumber()) invalid(key, " must be a number or an array of numbers, got ", describe(v));
    const double x = v.as<double>();
    if (!std::isfinite(x)) invalid(key, " must be a finite number, got ", x);
    out = x;
    return true;
  }
  template <typename E, typename = std::enable_if_t<std::is_enum_v<E>>>
  bool read(const gmmhmm::OptionInfo& info, E& out) {
    std::string text;
    if (!string(info.name, text)) return false;
    fromString(text, out);
    return true;
  }

  // The value of `key` as given (undefined when absent), for readers of other types.
  val value(const char* key) { return get(key); }

  // Throws for a name that none of the reads above asked for.
  void rejectUnknown() const {
    const val keys = val::global("Object").call<val>("keys", options_);
    const int n = keys["length"].as<int>();
    for (int i = 0; i < n; ++i) {
      const std::string key = keys[i].as<std::string>();
      bool found = false;
      for (const std::string& k : known_) found = found || k == key;
      if (found) continue;
      std::string list;
      for (const std::string& k : known_) list += (list.empty() ? "" : ", ") + k;
      invalid("unknown option '", key, "' (known: ", list, ")");
    }
  }

  // How a value that is not what an option takes is named in messages.
  static std::string describe(const val& v) {
    if (v.isNull()) return "null";
    if (v.isArray()) return "an array";
    if (v.isString()) return "'" + v.as<std::string>() + "'";
    return v.typeOf().as<std::string>();
  }

 private:
  val get(const char* key) {
    known_.emplace_back(key);
    return options_[key];
  }

  bool anyNumber(const char* key, double& out, bool infinityAllowed) {
    val v = get(key);
    if (v.isUndefined()) return false;
    if (!v.isNumber()) invalid(key, " must be a number, got ", describe(v));
    const double x = v.as<double>();
    if (std::isnan(x) || (!infinityAllowed && std::isinf(x))) invalid(key, " must be a finite number, got ", x);
    out = x;
    return true;
  }

  val options_;
  std::string what_;
  std::vector<std::string> known_;
};

// Reads every declared option of `o` (gmmhmm/options.hpp) that the JS object holds.
template <typename O>
void readDeclared(OptionReader& r, O& o) {
  gmmhmm::forEachOption(o, [&r](const gmmhmm::OptionInfo& info, auto& value) { r.read(info, value); });
}

val jsValue(double v) { return val(v); }
val jsValue(int v) { return val(v); }
val jsValue(bool v) { return val(v); }
val jsValue(const std::string& v) { return val(v); }
val jsValue(std::uint32_t v) { return val(static_cast<double>(v)); }
val jsValue(std::uint64_t v) { return val(static_cast<double>(v)); }
template <typename E, typename = std::enable_if_t<std::is_enum_v<E>>>
val jsValue(E v) {
  return val(std::string(toString(v)));
}
// A number, or an array as { data: Float64Array, shape } (the JS layer nests it).
val jsValue(const gmmhmm::Prior& v) {
  if (v.isScalar()) return val(v.scalar());
  val out = val::object();
  out.set("data", copyOut(v.values.data(), v.values.size()));
  val dims = val::array();
  for (long d : v.shape) dims.call<void>("push", static_cast<double>(d));
  out.set("shape", dims);
  return out;
}

// Every declared option of `o` as a plain object (name -> value), in declaration order.
template <typename O>
val declaredToJs(const O& o) {
  val out = val::object();
  gmmhmm::forEachOption(o, [&out](const gmmhmm::OptionInfo& info, const auto& value) { out.set(info.name, jsValue(value)); });
  return out;
}

// The declarations of O for the JS layer and tests: [{ name, default, lowest?, highest?,
// lowestOpen?, highestOpen?, array? }] (the range when the declaration checks one, of every
// entry of an option that may be an array; help stays in C++).
void pushDeclaration(val& out, const gmmhmm::OptionInfo& info, const val& defaultValue, bool array) {
  val item = val::object();
  item.set("name", info.name);
  item.set("default", defaultValue);
  if (array) item.set("array", true);
  if (!info.range.byHand) {
    item.set("lowest", info.range.lowest);
    item.set("highest", info.range.highest);
    item.set("lowestOpen", info.range.lowestOpen);
    item.set("highestOpen", info.range.highestOpen);
  }
  out.call<void>("push", item);
}

template <typename O>
val declarationsToJs() {
  val out = val::array();
  const O defaults{};
  gmmhmm::forEachOption(defaults, [&out](const gmmhmm::OptionInfo& info, const auto& value) {
    pushDeclaration(out, info, jsValue(value), std::is_same_v<std::decay_t<decltype(value)>, gmmhmm::Prior>);
  });
  return out;
}

// Bytes of the wasm heap in use by malloc (for tests that check memory comes back).
double heapBytesInUse() {
  return static_cast<double>(mallinfo().uordblks);
}

// The most the heap can grow to (the JS side refuses larger inputs before copying them).
double heapMaxBytes() { return static_cast<double>(emscripten_get_heap_max()); }

// The default size limit of model and recognizer files (declared in gmmhmm/limits.hpp).
double defaultMaxFileBytes() { return static_cast<double>(gmmhmm::kDefaultMaxFileBytes); }

}  // namespace

EMSCRIPTEN_BINDINGS(gmmhmm_common) {
  // The core refuses calls whose planned memory exceeds this (gmmhmm/limits.hpp) before
  // allocating: the heap would grow for nothing and never shrink.
  gmmhmm::setMemoryLimit(emscripten_get_heap_max());
  emscripten::function("heapBytesInUse", &heapBytesInUse);
  emscripten::function("heapMaxBytes", &heapMaxBytes);
  emscripten::function("defaultMaxFileBytes", &defaultMaxFileBytes);
}

// ==== features ====

namespace {

namespace feat = gmmhmm::features;

// preset: "kaldi" (default: Kaldi's defaults, dither 0) or "speech"
// (MfccOptions::speechPreset(), the sample-rate-independent recogniser front end); the other
// options override the preset's values.
feat::MfccOptions readMfccOptions(OptionReader& r) {
  std::string preset = "kaldi";
  r.string("preset", preset);
  feat::MfccOptions o;
  if (preset == "speech") {
    o = feat::MfccOptions::speechPreset();
  } else if (preset != "kaldi") {
    invalid("preset must be 'kaldi' or 'speech', got '", preset, "'");
  }
  readDeclared(r, o);  // gmmhmm/features/option_list.hpp
  return o;
}

feat::FbankOptions readFbankOptions(OptionReader& r) {
  feat::FbankOptions o;
  readDeclared(r, o);
  return o;
}

feat::MfccOptions mfccOptionsFrom(val options) {
  OptionReader r(std::move(options), "mfcc options");
  feat::MfccOptions o = readMfccOptions(r);
  r.rejectUnknown();
  return o;
}

feat::FbankOptions fbankOptionsFrom(val options) {
  OptionReader r(std::move(options), "fbank options");
  feat::FbankOptions o = readFbankOptions(r);
  r.rejectUnknown();
  return o;
}

feat::EndpointerOptions endpointerOptionsFrom(val options) {
  OptionReader r(std::move(options), "Endpointer options");
  feat::EndpointerOptions o;
  readDeclared(r, o);
  r.rejectUnknown();
  return o;
}

// The options of a preset as a plain object (Kaldi camelCase names), for users who want to
// see or copy them.
val mfccOptionsToJs(const feat::MfccOptions& o) { return declaredToJs(o); }

val mfccPreset(val presetName) {
  return guarded([&] {
    const val nameVal = std::move(presetName);
    if (!nameVal.isString()) invalid("preset must be 'kaldi' or 'speech'");
    const std::string name = nameVal.as<std::string>();
    if (name == "speech") return mfccOptionsToJs(feat::MfccOptions::speechPreset());
    if (name == "kaldi") return mfccOptionsToJs(feat::MfccOptions());
    invalid("preset must be 'kaldi' or 'speech', got '", name, "'");
  });
}

val mfccBinding(std::uintptr_t samples, std::size_t n, double sampleRate, val options) {
  return guarded([&] {
    const feat::MfccOptions o = mfccOptionsFrom(std::move(options));
    return matrixToJs(feat::mfcc(samplesIn(samples, n), n, sampleRate, o));
  });
}

val fbankBinding(std::uintptr_t samples, std::size_t n, double sampleRate, val options) {
  return guarded([&] {
    const feat::FbankOptions o = fbankOptionsFrom(std::move(options));
    return matrixToJs(feat::fbank(samplesIn(samples, n), n, sampleRate, o));
  });
}

val addDeltasBinding(std::uintptr_t ptr, int rows, int cols, val options) {
  return guarded([&] {
    OptionReader r(std::move(options), "addDeltas options");
    int order = 2, window = 2;
    r.integer("order", order);
    r.integer("window", window);
    r.rejectUnknown();
    const RowMatrix features = matrixIn(ptr, rows, cols, "features");
    return matrixToJs(feat::addDeltas(features, order, window));
  });
}

val cmvnBinding(std::uintptr_t ptr, int rows, int cols, val options) {
  return guarded([&] {
    OptionReader r(std::move(options), "cmvn options");
    bool variance = false;
    r.boolean("variance", variance);
    r.rejectUnknown();
    const RowMatrix features = matrixIn(ptr, rows, cols, "features");
    return matrixToJs(feat::cmvn(features, variance));
  });
}

// Segments as [{ startSample, endSample, decidedSample }] (sample indices from the first sample pushed).
val segmentsToJs(const std::vector<feat::SpeechSegment>& segments) {
  val out = val::array();
  for (const feat::SpeechSegment& s : segments) {
    val segment = val::object();
    segment.set("startSample", static_cast<double>(s.startSample));
    segment.set("endSample", static_cast<double>(s.endSample));
    segment.set("decidedSample", static_cast<double>(s.decidedSample));
    out.call<void>("push", segment);
  }
  return out;
}

val findSpeechSegmentsBinding(std::uintptr_t samples, std::size_t n, double sampleRate, val options) {
  return guarded([&] {
    const feat::EndpointerOptions o = endpointerOptionsFrom(std::move(options));
    return segmentsToJs(feat::findSpeechSegments(samplesIn(samples, n), n, sampleRate, o));
  });
}

// FeatureStream of MFCC or filter-bank frames: options.features is "mfcc" (default) or
// "fbank", the other options those of mfcc() / fbank().
class FeatureStreamBinding {
 public:
  static FeatureStreamBinding* create(double sampleRate, val options) {
    return guarded([&] {
      OptionReader r(std::move(options), "FeatureStream options");
      std::string kind = "mfcc";
      r.string("features", kind);
      if (kind == "mfcc") {
        const feat::MfccOptions o = readMfccOptions(r);
        r.rejectUnknown();
        return new FeatureStreamBinding(feat::FeatureStream(o, sampleRate));
      }
      if (kind == "fbank") {
        const feat::FbankOptions o = readFbankOptions(r);
        r.rejectUnknown();
        return new FeatureStreamBinding(feat::FeatureStream(o, sampleRate));
      }
      invalid("features must be 'mfcc' or 'fbank', got '", kind, "'");
    });
  }

  void push(std::uintptr_t samples, std::size_t n) {
    guarded([&] { stream_.push(samplesIn(samples, n), n); });
  }
  void finish() {
    guarded([&] { stream_.finish(); });
  }
  void reset() {
    guarded([&] { stream_.reset(); });
  }
  // maxFrames: a count >= 0, or Infinity for all ready frames.
  val pull(double maxFrames) {
    return guarded([&] {
      if (!(maxFrames >= 0)) invalid("maxFrames must be >= 0, got ", maxFrames);
      const std::size_t limit = maxFrames >= static_cast<double>(std::numeric_limits<std::size_t>::max())
                                    ? std::numeric_limits<std::size_t>::max()
                                    : static_cast<std::size_t>(maxFrames);
      return matrixToJs(stream_.pull(limit));
    });
  }
  double framesReady() const { return static_cast<double>(stream_.framesReady()); }
  int dim() const { return stream_.dim(); }
  double samplesPushed() const { return static_cast<double>(stream_.samplesPushed()); }
  double framesComputed() const { return static_cast<double>(stream_.framesComputed()); }
  bool finished() const { return stream_.finished(); }
  int windowSize() const { return stream_.geometry().windowSize; }
  int windowShift() const { return stream_.geometry().windowShift; }

 private:
  explicit FeatureStreamBinding(feat::FeatureStream stream) : stream_(std::move(stream)) {}
  feat::FeatureStream stream_;
};

class EndpointerBinding {
 public:
  static EndpointerBinding* create(double sampleRate, val options) {
    return guarded([&] { return new EndpointerBinding(sampleRate, endpointerOptionsFrom(std::move(options))); });
  }

  val push(std::uintptr_t samples, std::size_t n) {
    return guarded([&] { return segmentsToJs(endpointer_.push(samplesIn(samples, n), n)); });
  }
  val finish() {
    return guarded([&] { return segmentsToJs(endpointer_.finish()); });
  }
  void reset() {
    guarded([&] { endpointer_.reset(); });
  }
  bool inSpeech() const { return endpointer_.inSpeech(); }
  double currentStart() const { return static_cast<double>(endpointer_.currentStart()); }
  double noiseFloorDb() const { return endpointer_.noiseFloorDb(); }
  double samplesPushed() const { return static_cast<double>(endpointer_.samplesPushed()); }
  int hopSize() const { return endpointer_.hopSize(); }
  double lookbackSamples() const { return static_cast<double>(endpointer_.lookbackSamples()); }

 private:
  EndpointerBinding(double sampleRate, const feat::EndpointerOptions& options)
      : endpointer_(sampleRate, options) {}
  feat::Endpointer endpointer_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(gmmhmm_features) {
  using emscripten::allow_raw_pointers;
  emscripten::function("mfcc", &mfccBinding);
  emscripten::function("fbank", &fbankBinding);
  emscripten::function("addDeltas", &addDeltasBinding);
  emscripten::function("cmvn", &cmvnBinding);
  emscripten::function("mfccPreset", &mfccPreset);
  emscripten::function("findSpeechSegments", &findSpeechSegmentsBinding);

  emscripten::class_<FeatureStreamBinding>("FeatureStreamBinding")
      .class_function("create", &FeatureStreamBinding::create, allow_raw_pointers())
      .function("push", &FeatureStreamBinding::push)
      .function("finish", &FeatureStreamBinding::finish)
      .function("reset", &FeatureStreamBinding::reset)
      .function("pull", &FeatureStreamBinding::pull)
      .function("framesReady", &FeatureStreamBinding::framesReady)
      .function("dim", &FeatureStreamBinding::dim)
      .function("samplesPushed", &FeatureStreamBinding::samplesPushed)
      .function("framesComputed", &FeatureStreamBinding::framesComputed)
      .function("finished", &FeatureStreamBinding::finished)
      .function("windowSize", &FeatureStreamBinding::windowSize)
      .function("windowShift", &FeatureStreamBinding::windowShift);

  emscripten::class_<EndpointerBinding>("EndpointerBinding")
      .class_function("create", &EndpointerBinding::create, allow_raw_pointers())
      .function("push", &EndpointerBinding::push)
      .function("finish", &EndpointerBinding::finish)
      .function("reset", &EndpointerBinding::reset)
      .function("inSpeech", &EndpointerBinding::inSpeech)
      .function("currentStart", &EndpointerBinding::currentStart)
      .function("noiseFloorDb", &EndpointerBinding::noiseFloorDb)
      .function("samplesPushed", &EndpointerBinding::samplesPushed)
      .function("hopSize", &EndpointerBinding::hopSize)
      .function("lookbackSamples", &EndpointerBinding::lookbackSamples);
}

#if GMMHMM_BIND_MODELS
// ==== model ====
// GmmHmmHandle wraps gmmhmm::GmmHmm for web/lib/gmmhmm.js (class GMMHMM). Data arrive as
// (heap pointer, rows, cols) plus `lengths` (a JS array or undefined); parameters go out as
// { data: Float64Array, shape: number[] } and come in as Float64Array.

#include "gmmhmm/model/fit_session.hpp"
#include "gmmhmm/model/gmm_hmm.hpp"
#include "gmmhmm/model/option_list.hpp"
#include "gmmhmm/families/categorical_hmm.hpp"
#include "gmmhmm/families/gaussian_hmm.hpp"
#include "gmmhmm/families/multinomial_hmm.hpp"
#include "gmmhmm/families/poisson_hmm.hpp"
#include "../src/model/tuning.hpp"

namespace {

// Reads the model/training options shared by the constructor and fit(); `sizes` false
// rejects size/structure names (fit options cannot change them).
void readModelOptions(OptionReader& r, gmmhmm::ModelConfig& c, bool sizes) {
  std::string text;
  if (sizes) {
    r.integer("nStates", c.nStates);
    r.integer("nMix", c.nMix);
    r.integer("nFeatures", c.nFeatures);
    if (r.string("covarianceType", text)) c.covarianceType = gmmhmm::parseCovarianceType(text);
    if (r.string("topology", text)) c.topology = gmmhmm::parseTopology(text);
    r.integer("maxJump", c.maxJump);
    r.boolean("endInLastState", c.endInLastState);
  }
  readDeclared(r, c);  // the training controls (gmmhmm/model/option_list.hpp)
  for (const gmmhmm::PriorOption& option : gmmhmm::priorOptions()) r.prior(option.name, c.*option.field);
}

std::vector<gmmhmm::Index> lengthsIn(const val& lengths, int rows) {
  std::vector<gmmhmm::Index> out;
  if (lengths.isUndefined() || lengths.isNull()) return out;
  const bool array = lengths.isArray() || lengths.instanceof(val::global("Int32Array")) ||
                     lengths.instanceof(val::global("Float64Array")) || lengths.instanceof(val::global("Uint32Array"));
  if (!array) invalid("lengths must be an array of positive integers (frames per sequence)");
  const int n = lengths["length"].as<int>();
  if (n > rows) invalid("lengths has ", n, " entries but X has only ", rows, " rows");
  out.reserve(n);
  for (int i = 0; i < n; ++i) {
    const val v = lengths[i];
    if (!v.isNumber()) invalid("lengths[", i, "] must be a number");
    const double x = v.as<double>();
    if (!std::isfinite(x) || x != std::floor(x) || x < 1)
      invalid("lengths[", i, "] is ", x, ": every sequence needs a whole number >= 1 of frames");
    // Before the conversion: an Index is 32 bits in wasm, and 3e9 wrapped to a negative length
    // (the core says what is wrong with any length that fits).
    if (x > static_cast<double>(std::numeric_limits<gmmhmm::Index>::max()))
      invalid("lengths[", i, "] is ", x, ": more than the ", rows, " rows of X");
    out.push_back(static_cast<gmmhmm::Index>(x));
  }
  return out;
}

// Moves a val argument into a local (see the ownership note at the top of the file).
val takeVal(val& v) { return std::move(v); }

gmmhmm::SequenceSet sequencesIn(std::uintptr_t ptr, int rows, int cols, const val& lengths) {
  if (rows < 0 || cols < 0) invalid("X has a negative size (", rows, " x ", cols, ")");
  if (rows == 0) invalid("X: no frames (empty data)");
  if (ptr == 0) invalid("X is null");
  gmmhmm::SequenceSet set;
  set.data = reinterpret_cast<const double*>(ptr);
  set.nFrames = rows;
  set.nFeatures = cols;
  set.lengths = lengthsIn(lengths, rows);
  return set;
}

val intsOut(const std::vector<int>& values) {
  return val::global("Int32Array").new_(emscripten::typed_memory_view(values.size(), values.data()));
}

val paramOut(const std::vector<double>& data, std::vector<gmmhmm::Index> shape) {
  val out = val::object();
  out.set("data", copyOut(data.data(), data.size()));
  val dims = val::array();
  for (auto d : shape) dims.call<void>("push", static_cast<double>(d));
  out.set("shape", dims);
  return out;
}

// sample(n, seed, currstate)'s arguments, checked (messages name them); returns currstate, -1
// when undefined (the first state drawn from startprob).
int sampleArgumentsIn(double n, double seed, const val& currstateVal, int nStates) {
  if (!std::isfinite(n) || n != std::floor(n) || n < 1 || n > 1e8)
    invalid("sample: n must be an integer in [1, 1e8], got ", n);
  if (!std::isfinite(seed) || seed != std::floor(seed) || seed < 0 || seed > 9007199254740991.0)
    invalid("sample: seed must be an integer in [0, 2^53 - 1] (exact in a JS number), got ", seed);
  if (currstateVal.isUndefined()) return -1;
  if (!currstateVal.isNumber())
    invalid("sample: currstate must be a state index (an integer), got ",
            currstateVal.isString() ? "'" + currstateVal.as<std::string>() + "'" : currstateVal.typeOf().as<std::string>());
  const double currstate = currstateVal.as<double>();
  if (!(currstate >= 0 && currstate < nStates && currstate == std::floor(currstate)))
    invalid("sample: currstate must be a state index in [0, ", nStates - 1, "], got ", currstate);
  return static_cast<int>(currstate);
}

// decode()'s algorithm: 'viterbi' | 'map' (the JS layer passes 'viterbi' when none is given).
gmmhmm::DecodeAlgorithm algorithmIn(const val& algorithmVal) {
  if (!algorithmVal.isString()) invalid("algorithm must be 'viterbi' or 'map'");
  return gmmhmm::parseDecodeAlgorithm(algorithmVal.as<std::string>());
}

val monitorToJs(const gmmhmm::Monitor& m) {
  val out = val::object();
  out.set("history", copyOut(m.history.data(), m.history.size()));
  out.set("iterations", m.iterations);
  out.set("converged", m.converged);
  out.set("cancelled", m.cancelled);
  return out;
}

val decodeToJs(const gmmhmm::DecodeResult& result) {
  val out = val::object();
  out.set("logLikelihood", result.logLikelihood);
  out.set("states", intsOut(result.states));
  return out;
}

val posteriorsToJs(const gmmhmm::PosteriorResult& result) {
  val out = val::object();
  out.set("logLikelihood", result.logLikelihood);
  out.set("posteriors", matrixToJs(result.posteriors));
  return out;
}

// A progress callback for the core from a JS function (or none); the JS layer wraps user
// callbacks so that they never throw through here.
gmmhmm::IterationCallback callbackIn(const val& callbackVal) {
  if (callbackVal.typeOf().as<std::string>() != "function") return {};
  return [&callbackVal](int i, double ll, int planned) { return callbackVal(i, ll, planned).as<bool>(); };
}

class GmmHmmHandle {
 public:
  static GmmHmmHandle* create(val options) {
    return guarded([&] {
      OptionReader r(std::move(options), "GMMHMM options");
      gmmhmm::ModelConfig c;
      readModelOptions(r, c, true);
      r.rejectUnknown();
      return new GmmHmmHandle(gmmhmm::GmmHmm(c));
    });
  }

  static GmmHmmHandle* fromJson(std::uintptr_t ptr, std::size_t n, double maxBytes) {
    return guarded([&] { return new GmmHmmHandle(gmmhmm::GmmHmm::fromJson(fileTextIn(ptr, n), fileLimitsIn(maxBytes))); });
  }

  GmmHmmHandle* clone() const {
    return guarded([&] { return new GmmHmmHandle(gmmhmm::GmmHmm(model_)); });
  }

  // Applies fit options (training overrides: nIter, tol, params, ...) to the model's config;
  // returns the config before them.
  gmmhmm::ModelConfig applyFitOptions(val options) {
    OptionReader r(std::move(options), "fit options");
    gmmhmm::ModelConfig c = model_.config();
    readModelOptions(r, c, false);
    r.rejectUnknown();
    const gmmhmm::ModelConfig previous = model_.config();
    model_.setTrainingConfig(c);
    return previous;
  }

  gmmhmm::GmmHmm& model() { return model_; }

  // The training controls set one at a time as fit() takes them, without a fit (the JS
  // properties: model.nIter = 100, hmmlearn's model.n_iter = 100).
  void setTraining(val options) {
    guarded([&] { applyFitOptions(std::move(options)); });
  }

  // options: training overrides (nIter, tol, params, ...), applied to the model's config.
  // onIteration(iteration, logLikelihood, planned) -> false cancels; the JS layer wraps user
  // callbacks so that they never throw through here.
  val fit(std::uintptr_t ptr, int rows, int cols, val lengths, val options, val onIteration) {
    return guarded([&] {
      const val lengthsVal = std::move(lengths);
      const val callbackVal = std::move(onIteration);
      val optionsVal = std::move(options);  // before anything can throw (it would leak the handle)
      const gmmhmm::SequenceSet set = sequencesIn(ptr, rows, cols, lengthsVal);
      const gmmhmm::ModelConfig previous = applyFitOptions(std::move(optionsVal));
      try {
        model_.fit(set, callbackIn(callbackVal));
      } catch (...) {
        model_.setTrainingConfig(previous);
        throw;
      }
      return monitor();
    });
  }

  double score(std::uintptr_t ptr, int rows, int cols, val lengths) const {
    return guarded([&] { return model_.score(sequencesIn(ptr, rows, cols, takeVal(lengths))); });
  }

  val scorePerSequence(std::uintptr_t ptr, int rows, int cols, val lengths) const {
    return guarded([&] {
      const auto v = model_.scorePerSequence(sequencesIn(ptr, rows, cols, takeVal(lengths)));
      return copyOut(v.data(), v.size());
    });
  }

  val scoreSamples(std::uintptr_t ptr, int rows, int cols, val lengths) const {
    return guarded([&] {
      return posteriorsToJs(model_.scoreSamples(sequencesIn(ptr, rows, cols, takeVal(lengths))));
    });
  }

  // algorithm: 'viterbi' | 'map' (the JS layer passes 'viterbi' when none is given).
  val decode(std::uintptr_t ptr, int rows, int cols, val lengths, val algorithm) const {
    return guarded([&] {
      const val lengthsVal = std::move(lengths);
      const val algorithmVal = std::move(algorithm);
      const gmmhmm::DecodeAlgorithm which = algorithmIn(algorithmVal);
      return decodeToJs(model_.decode(sequencesIn(ptr, rows, cols, lengthsVal), which));
    });
  }

  val emissionLogLikelihoods(std::uintptr_t ptr, int rows, int cols, val lengths) const {
    return guarded([&] { return matrixToJs(model_.emissionLogLikelihoods(sequencesIn(ptr, rows, cols, takeVal(lengths)))); });
  }

  // currstate: the first frame's state, or undefined (drawn from startprob).
  val sample(double n, double seed, val currstateArg) const {
    return guarded([&] {
      const val currstateVal = std::move(currstateArg);
      const int currstate = sampleArgumentsIn(n, seed, currstateVal, model_.nStates());
      const auto result = model_.sample(static_cast<gmmhmm::Index>(n), static_cast<std::uint64_t>(seed), currstate);
      val out = val::object();
      out.set("X", matrixToJs(result.X));
      out.set("states", intsOut(result.states));
      return out;
    });
  }

  val stationaryDistribution() const {
    return guarded([&] {
      const auto pi = model_.stationaryDistribution();
      return copyOut(pi.data(), pi.size());
    });
  }

  double nFreeParameters() const { return static_cast<double>(model_.nFreeParameters()); }
  double aic(std::uintptr_t ptr, int rows, int cols, val lengths) const {
    return guarded([&] { return model_.aic(sequencesIn(ptr, rows, cols, takeVal(lengths))); });
  }
  double bic(std::uintptr_t ptr, int rows, int cols, val lengths) const {
    return guarded([&] { return model_.bic(sequencesIn(ptr, rows, cols, takeVal(lengths))); });
  }

  val monitor() const { return monitorToJs(model_.monitor()); }

  // name: startprob | transmat | weights | means | covars
  val getParam(val nameArg) const {
    return guarded([&] {
      const val nameVal = std::move(nameArg);
      const std::string name = nameVal.isString() ? nameVal.as<std::string>() : std::string("?");
      const gmmhmm::Index N = model_.nStates(), M = model_.nMix(), D = model_.nFeatures();
      if (name == "startprob") return paramOut(model_.startprob(), {N});
      if (name == "transmat") return paramOut(model_.transmat(), {N, N});
      if (name == "weights") return paramOut(model_.weights(), {N, M});
      if (name == "means") return paramOut(model_.means(), {N, M, D});
      if (name == "covars") return paramOut(model_.covars(), model_.covarsShape());
      invalid("unknown parameter '", name, "'");
    });
  }

  void setParam(val nameArg, val valuesArg) {
    guarded([&] {
      const val nameVal = std::move(nameArg);
      const val values = std::move(valuesArg);
      const std::string name = nameVal.isString() ? nameVal.as<std::string>() : std::string("?");
      if (!values.instanceof(val::global("Float64Array"))) invalid(name, " must be given as numbers");
      const std::vector<double> v = emscripten::convertJSArrayToNumberVector<double>(values);
      if (name == "startprob") model_.setStartprob(v);
      else if (name == "transmat") model_.setTransmat(v);
      else if (name == "weights") model_.setWeights(v);
      else if (name == "means") model_.setMeans(v);
      else if (name == "covars") model_.setCovars(v);
      else invalid("unknown parameter '", name, "'");
      return 0;
    });
  }

  std::string toJson() const {
    return guarded([&] { return model_.toJson(); });
  }

  // The settings; the priors (arrays can be as large as the parameters) only when asked for, so
  // that the size getters every method reads stay cheap.
  val info(bool withPriors) const {
    const gmmhmm::ModelConfig& c = model_.config();
    val out = val::object();
    out.set("nStates", c.nStates);
    out.set("nMix", c.nMix);
    out.set("nFeatures", c.nFeatures);
    out.set("covarianceType", std::string(gmmhmm::toString(c.covarianceType)));
    out.set("topology", std::string(gmmhmm::toString(c.topology)));
    out.set("maxJump", c.maxJump);
    out.set("endInLastState", c.endInLastState);
    out.set("fitted", model_.isReady());
    gmmhmm::forEachOption(c, [&out](const gmmhmm::OptionInfo& info, const auto& value) { out.set(info.name, jsValue(value)); });
    if (!withPriors) return out;
    for (const gmmhmm::PriorOption& option : gmmhmm::priorOptions()) {  // arrays as { data, shape }
      const gmmhmm::Prior& prior = c.*option.field;
      if (prior.isScalar()) out.set(option.name, prior.scalar());
      else out.set(option.name, paramOut(prior.values, std::vector<gmmhmm::Index>(prior.shape.begin(), prior.shape.end())));
    }
    return out;
  }

 private:
  explicit GmmHmmHandle(gmmhmm::GmmHmm model) : model_(std::move(model)) {}
  gmmhmm::GmmHmm model_;
};

// What the fit sessions' handles (GMMHMM's FitSessionHandle, the families'
// ChainFitSessionHandle) and their shares' share: a session is gmmhmm::FitSession or
// gmmhmm::ChainFitSession, a share ShareStatistics or ChainShareStatistics.
namespace sessions {

val iterationOut(const gmmhmm::FitSession::Iteration& it) {
  val out = val::object();
  out.set("index", it.index);
  out.set("logLikelihood", it.logLikelihood);
  out.set("planned", it.planned);
  out.set("completed", it.completed);
  return out;
}

template <typename Session>
val step(Session& session) {
  return guarded([&] { return iterationOut(session.step()); });
}

// One iteration from the Workers' statistics (a Float64Array).
template <typename Session>
val stepWith(Session& session, val statistics) {
  return guarded([&] {
    const val values = std::move(statistics);
    if (!values.instanceof(val::global("Float64Array"))) invalid("statistics must be a Float64Array");
    return iterationOut(session.step(emscripten::convertJSArrayToNumberVector<double>(values)));
  });
}

template <typename Session>
val groupSizes(const Session& session) {
  return guarded([&] {
    const std::vector<gmmhmm::Index> sizes = session.groupSizes();
    std::vector<double> out(sizes.begin(), sizes.end());
    return copyOut(out.data(), out.size());
  });
}

template <typename Session>
val parameters(Session& session) {
  return guarded([&] {
    const std::vector<double> v = session.parameters();
    return copyOut(v.data(), v.size());
  });
}

// A share's groups (a Float64Array of sequences per group), checked.
std::vector<gmmhmm::Index> groupsIn(const val& groups, int rows) {
  if (!groups.instanceof(val::global("Float64Array"))) invalid("group sizes must be a Float64Array");
  std::vector<gmmhmm::Index> out;
  for (double g : emscripten::convertJSArrayToNumberVector<double>(groups)) {
    if (!(g >= 1 && g == std::floor(g) && g <= rows)) invalid("group sizes must be positive integers, got ", g);
    out.push_back(static_cast<gmmhmm::Index>(g));
  }
  return out;
}

// A share's statistics at the parameters (a Float64Array) of an iteration.
template <typename Share>
val compute(Share& share, val parameters) {
  return guarded([&] {
    const val values = std::move(parameters);
    if (!values.instanceof(val::global("Float64Array"))) invalid("parameters must be a Float64Array");
    const std::vector<double> out = share.compute(emscripten::convertJSArrayToNumberVector<double>(values));
    return copyOut(out.data(), out.size());
  });
}

}  // namespace sessions

// A fit run step by step (web/lib/fit-async.js): the E-steps run here (step) or in Workers
// (stepWith the statistics of ShareHandles). X stays in the heap, owned by the JS side, until
// this is deleted; the model is only changed by finish().
class FitSessionHandle {
 public:
  // initialiseElsewhere: the mixture initialisation is left to a Worker (initialisationJob(),
  // runFitInitialisation there, adoptInitialisation()) or to initialiseHere().
  static FitSessionHandle* create(GmmHmmHandle& model, std::uintptr_t ptr, int rows, int cols, val lengths,
                                  val options, bool initialiseElsewhere) {
    return guarded([&] {
      const val lengthsVal = std::move(lengths);
      val optionsVal = std::move(options);
      const gmmhmm::SequenceSet set = sequencesIn(ptr, rows, cols, lengthsVal);
      const gmmhmm::ModelConfig previous = model.applyFitOptions(std::move(optionsVal));
      try {
        return new FitSessionHandle(model, previous, set, initialiseElsewhere);
      } catch (...) {
        model.model().setTrainingConfig(previous);
        throw;
      }
    });
  }

  bool done() const { return session_.done(); }
  val step() { return sessions::step(session_); }
  val stepWith(val statistics) { return sessions::stepWith(session_, std::move(statistics)); }
  void cancel() { session_.cancel(); }

  // Installs the result; returns nothing (the JS side reads the monitor from the model).
  void finish() {
    guarded([&] {
      session_.finish();
      return 0;
    });
  }

  // The fit did not complete (an abort, an error): the model keeps its previous settings too.
  void abandon() {
    guarded([&] {
      model_.setTrainingConfig(previous_);
      return 0;
    });
  }

  val groupSizes() const { return sessions::groupSizes(session_); }

  val shareSetup() const {
    return guarded([&] {
      const std::vector<double> v = session_.shareSetup();
      return copyOut(v.data(), v.size());
    });
  }

  val parameters() { return sessions::parameters(session_); }

  // The initialisation left to a Worker (empty: none is pending).
  val initialisationJob() const {
    return guarded([&] {
      const std::vector<double> v = session_.initialisationJob();
      return copyOut(v.data(), v.size());
    });
  }

  void adoptInitialisation(val initialised) {
    guarded([&] {
      const val values = std::move(initialised);
      if (!values.instanceof(val::global("Float64Array"))) invalid("the initialisation must be a Float64Array");
      session_.adoptInitialisation(emscripten::convertJSArrayToNumberVector<double>(values));
      return 0;
    });
  }

  // The pending initialisation on this thread (no Worker came).
  void initialiseHere() {
    guarded([&] {
      session_.adoptInitialisation(gmmhmm::runInitialisation(session_.initialisationJob(), set_));
      return 0;
    });
  }

 private:
  FitSessionHandle(GmmHmmHandle& model, const gmmhmm::ModelConfig& previous, const gmmhmm::SequenceSet& set,
                   bool initialiseElsewhere)
      : model_(model.model()),
        previous_(previous),
        set_(set),
        session_(model.model(), set,
                 initialiseElsewhere ? gmmhmm::FitSession::Initialisation::Elsewhere
                                     : gmmhmm::FitSession::Initialisation::Here) {}

  gmmhmm::GmmHmm& model_;
  gmmhmm::ModelConfig previous_;
  gmmhmm::SequenceSet set_;  // X in the heap, owned by the JS side
  gmmhmm::FitSession session_;
};

// A Worker's part of a fit: FitSessionHandle::initialisationJob() on a copy of all of X.
val runFitInitialisation(val job, std::uintptr_t ptr, int rows, int cols, val lengths) {
  return guarded([&] {
    const val jobVal = std::move(job), lengthsVal = std::move(lengths);
    if (!jobVal.instanceof(val::global("Float64Array"))) invalid("the initialisation job must be a Float64Array");
    const std::vector<double> out = gmmhmm::runInitialisation(emscripten::convertJSArrayToNumberVector<double>(jobVal),
                                                              sequencesIn(ptr, rows, cols, lengthsVal));
    return copyOut(out.data(), out.size());
  });
}

// A Worker's share of a parallel fit (web/lib/train-worker.js): its frames stay in the heap,
// owned by the JS side, until this is deleted.
class ShareHandle {
 public:
  static ShareHandle* create(val setup, std::uintptr_t ptr, int rows, int cols, val lengths, val groupSizes) {
    return guarded([&] {
      const val setupVal = std::move(setup), lengthsVal = std::move(lengths), groupsVal = std::move(groupSizes);
      if (!setupVal.instanceof(val::global("Float64Array"))) invalid("share set-up must be a Float64Array");
      const std::vector<gmmhmm::Index> groups = sessions::groupsIn(groupsVal, rows);
      const gmmhmm::SequenceSet set = sequencesIn(ptr, rows, cols, lengthsVal);
      return new ShareHandle(emscripten::convertJSArrayToNumberVector<double>(setupVal), set, groups);
    });
  }

  val compute(val parameters) { return sessions::compute(share_, std::move(parameters)); }

 private:
  ShareHandle(const std::vector<double>& setup, const gmmhmm::SequenceSet& set, const std::vector<gmmhmm::Index>& groups)
      : share_(setup, set, groups) {}
  gmmhmm::ShareStatistics share_;
};

// Benchmarks only (bench/em.bench.js): turns the E-step's speed levers on or off
// (cpp/src/model/tuning.hpp). { ownExp, fuseScaling, cacheTiles }: booleans, each optional.
void setTuning(val options) {
  guarded([&] {
    OptionReader r(std::move(options), "tuning");
    gmmhmm::detail::Tuning& t = gmmhmm::detail::tuning();
    r.boolean("ownExp", t.ownExp);
    r.boolean("fuseScaling", t.fuseScaling);
    r.boolean("cacheTiles", t.cacheTiles);
    r.rejectUnknown();
    return 0;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(gmmhmm_model) {
  using emscripten::allow_raw_pointers;
  emscripten::class_<GmmHmmHandle>("GmmHmmHandle")
      .class_function("create", &GmmHmmHandle::create, allow_raw_pointers())
      .class_function("fromJson", &GmmHmmHandle::fromJson, allow_raw_pointers())
      .function("clone", &GmmHmmHandle::clone, allow_raw_pointers())
      .function("fit", &GmmHmmHandle::fit)
      .function("setTraining", &GmmHmmHandle::setTraining)
      .function("score", &GmmHmmHandle::score)
      .function("scorePerSequence", &GmmHmmHandle::scorePerSequence)
      .function("scoreSamples", &GmmHmmHandle::scoreSamples)
      .function("decode", &GmmHmmHandle::decode)
      .function("emissionLogLikelihoods", &GmmHmmHandle::emissionLogLikelihoods)
      .function("sample", &GmmHmmHandle::sample)
      .function("stationaryDistribution", &GmmHmmHandle::stationaryDistribution)
      .function("nFreeParameters", &GmmHmmHandle::nFreeParameters)
      .function("aic", &GmmHmmHandle::aic)
      .function("bic", &GmmHmmHandle::bic)
      .function("monitor", &GmmHmmHandle::monitor)
      .function("getParam", &GmmHmmHandle::getParam)
      .function("setParam", &GmmHmmHandle::setParam)
      .function("toJson", &GmmHmmHandle::toJson)
      .function("info", &GmmHmmHandle::info);
  emscripten::class_<FitSessionHandle>("FitSessionHandle")
      .class_function("create", &FitSessionHandle::create, allow_raw_pointers())
      .function("done", &FitSessionHandle::done)
      .function("step", &FitSessionHandle::step)
      .function("stepWith", &FitSessionHandle::stepWith)
      .function("cancel", &FitSessionHandle::cancel)
      .function("finish", &FitSessionHandle::finish)
      .function("abandon", &FitSessionHandle::abandon)
      .function("groupSizes", &FitSessionHandle::groupSizes)
      .function("shareSetup", &FitSessionHandle::shareSetup)
      .function("parameters", &FitSessionHandle::parameters)
      .function("initialisationJob", &FitSessionHandle::initialisationJob)
      .function("adoptInitialisation", &FitSessionHandle::adoptInitialisation)
      .function("initialiseHere", &FitSessionHandle::initialiseHere);
  emscripten::function("runFitInitialisation", &runFitInitialisation, allow_raw_pointers());
  emscripten::class_<ShareHandle>("ShareHandle")
      .class_function("create", &ShareHandle::create, allow_raw_pointers())
      .function("compute", &ShareHandle::compute);
  emscripten::function("setTuning", &setTuning);
}

#endif  // GMMHMM_BIND_MODELS

// ==== recognizer ====
// RecognizerHandle wraps gmmhmm::recognizer::Recognizer for web/lib/recognizer.js. Options and
// model files travel as JSON text (the core reads them with nlohmann-json and names the bad
// key). Training is split into jobs that need no Recognizer -- trainWordJob (one label's
// features in, the word model's JSON out) and trainBackgroundJob -- so that web/lib can run
// them in Workers / worker_threads, then install() the results on the main thread.

#include <nlohmann/json.hpp>

#include "gmmhmm/model/option_list.hpp"
#include "gmmhmm/recognizer/option_list.hpp"
#include "gmmhmm/recognizer/recognizer.hpp"

namespace {

namespace rec = gmmhmm::recognizer;

std::string textIn(const val& text, const char* what) {
  if (!text.isString()) invalid(what, " must be a string");
  return text.as<std::string>();
}

nlohmann::json jsonIn(const val& text, const char* what) {
  const std::string s = textIn(text, what);
  try {
    return nlohmann::json::parse(s);
  } catch (const nlohmann::json::exception& e) {
    invalid(what, " is not valid JSON: ", e.what());
  }
}

// Utterances stacked row-major at ptr, split by `lengths` (array of frame counts).
std::vector<rec::RowMatrix> utterancesIn(std::uintptr_t ptr, int rows, int cols, const val& lengths) {
  const Eigen::Map<const RowMatrix> all = matrixIn(ptr, rows, cols, "features");
  if (!lengths.isArray() && !lengths.instanceof(val::global("Float64Array")))
    invalid("lengths must be an array of frame counts");
  const int n = lengths["length"].as<int>();
  std::vector<rec::RowMatrix> out;
  long long at = 0;
  for (int i = 0; i < n; ++i) {
    const double len = lengths[i].as<double>();
    if (!(len >= 1 && len == std::floor(len)) || at + static_cast<long long>(len) > rows)
      invalid("lengths[", i, "] must be a positive integer within the ", rows, " rows, got ", len);
    out.emplace_back(all.middleRows(at, static_cast<Eigen::Index>(len)));
    at += static_cast<long long>(len);
  }
  if (at != rows) invalid("lengths sum to ", at, " but features have ", rows, " rows");
  return out;
}

rec::ProgressCallback progressIn(const val& onProgress) {
  if (onProgress.typeOf().as<std::string>() != "function") return {};
  // The JS layer wraps user callbacks so that they never throw through here.
  return [&onProgress](const rec::TrainingProgress& p) {
    return onProgress(p.stage, p.iteration, p.nIter, p.logLikelihood, static_cast<double>(p.frames)).as<bool>();
  };
}

val classificationToJs(const rec::Classification& c) {
  val out = val::object();
  out.set("label", c.label.empty() ? val::null() : val(c.label));
  out.set("confidence", c.confidence);
  out.set("rejected", c.rejected);
  out.set("reason", c.reason.empty() ? val::null() : val(c.reason));
  out.set("likelihoodRatio", c.likelihoodRatio);
  out.set("fit", c.fit);
  // NaN (no template test) as null; the margin may be +Infinity (no other word scored).
  out.set("templateSpreads", std::isnan(c.templateSpreads) ? val::null() : val(c.templateSpreads));
  out.set("templateMargin", std::isnan(c.templateMargin) ? val::null() : val(c.templateMargin));
  out.set("acceptedByTemplates", c.acceptedByTemplates);
  out.set("frames", static_cast<double>(c.frames));
  out.set("firstFrame", static_cast<double>(c.firstFrame));
  val scores = val::array();
  for (const auto& s : c.scores) {
    val item = val::object();
    item.set("label", s.label);
    item.set("logLikelihood", s.logLikelihood);
    item.set("probability", s.probability);
    item.set("templateDistance", std::isfinite(s.templateDistance) ? val(s.templateDistance) : val::null());
    scores.call<void>("push", item);
  }
  out.set("scores", scores);
  out.set("alignment", val::global("Int32Array").new_(emscripten::typed_memory_view(c.alignment.size(), c.alignment.data())));
  return out;
}

val stringsToJs(const std::vector<std::string>& v) {
  val out = val::array();
  for (const auto& s : v) out.call<void>("push", s);
  return out;
}

class RecognizerHandle {
 public:
  static RecognizerHandle* create(val optionsJson) {
    return guarded([&] {
      const val o = std::move(optionsJson);
      return new RecognizerHandle(rec::Recognizer(rec::recognizerOptionsFromJson(jsonIn(o, "Recognizer options"))));
    });
  }

  static RecognizerHandle* fromJson(std::uintptr_t ptr, std::size_t n, double maxBytes) {
    return guarded([&] { return new RecognizerHandle(rec::Recognizer::fromJson(fileTextIn(ptr, n), fileLimitsIn(maxBytes))); });
  }

  void addExample(val label, std::uintptr_t samples, std::size_t n, double sampleRate) {
    guarded([&] {
      const val l = std::move(label);
      r_.addExample(textIn(l, "label"), samplesIn(samples, n), n, sampleRate);
    });
  }

  void addFeatures(val label, std::uintptr_t ptr, int rows, int cols) {
    guarded([&] {
      const val l = std::move(label);
      r_.addFeatures(textIn(l, "label"), rec::RowMatrix(matrixIn(ptr, rows, cols, "features")));
    });
  }

  int removeExamples(val label) {
    return guarded([&] {
      const val l = std::move(label);
      return r_.removeExamples(textIn(l, "label"));
    });
  }

  val labels() const { return guarded([&] { return stringsToJs(r_.labels()); }); }
  val trainedLabels() const { return guarded([&] { return stringsToJs(r_.trainedLabels()); }); }
  val labelsWithExamples() const { return guarded([&] { return stringsToJs(r_.labelsWithExamples()); }); }
  void checkNothingDropped() const {
    guarded([&] { r_.checkNothingDropped("train"); });
  }

  int exampleCount(val label) const {
    return guarded([&] {
      const val l = std::move(label);
      return r_.exampleCount(textIn(l, "label"));
    });
  }

  // { data: Float64Array, rows, cols, lengths: number[] }: a label's examples, stacked.
  val exampleFeatures(val label) const {
    return guarded([&] {
      const val l = std::move(label);
      const auto& examples = r_.examples(textIn(l, "label"));
      Eigen::Index rows = 0;
      for (const auto& x : examples) rows += x.rows();
      RowMatrix all(rows, examples.front().cols());
      val lengths = val::array();
      Eigen::Index at = 0;
      for (const auto& x : examples) {
        all.middleRows(at, x.rows()) = x;
        at += x.rows();
        lengths.call<void>("push", static_cast<double>(x.rows()));
      }
      val out = matrixToJs(all);
      out.set("lengths", lengths);
      return out;
    });
  }

  val optionsJson() const { return guarded([&] { return val(rec::toJson(r_.options()).dump()); }); }
  val pooledVariance() const {
    return guarded([&] { return val::array(r_.pooledVariance()); });
  }
  bool isTrained() const { return r_.isTrained(); }
  int featureWidth() const { return rec::featureWidth(r_.options().features); }
  void requireRateServed(double sampleRate) const {
    guarded([&] {
      rec::requireRateServed(r_.options().features, sampleRate);
      return 0;
    });
  }

  val calibration() const {
    return guarded([&] {
      const rec::CalibrationFit& c = r_.calibration();
      val out = val::object();
      out.set("scale", c.scale);
      out.set("samples", c.samples);
      out.set("heldOutAccuracy", c.heldOutAccuracy);
      out.set("heldOutLogLoss", c.heldOutLogLoss);
      return out;
    });
  }

  // wordsJson: {"label": <trainWordJob result>, ...}; backgroundJson: trainBackgroundJob's.
  void install(val wordsJson, val backgroundJson) {
    guarded([&] {
      const val w = std::move(wordsJson), b = std::move(backgroundJson);
      const nlohmann::json words = jsonIn(w, "word models");
      if (!words.is_object()) invalid("word models must be a JSON object of label -> model");
      std::map<std::string, rec::WordModel> models;
      for (auto it = words.begin(); it != words.end(); ++it) models.emplace(it.key(), rec::wordModelFromJson(it.value()));
      r_.install(std::move(models), gmmhmm::GmmHmm::fromJson(textIn(b, "background model")));
    });
  }

  val classify(std::uintptr_t samples, std::size_t n, double sampleRate) const {
    return guarded([&] { return classificationToJs(r_.classify(samplesIn(samples, n), n, sampleRate)); });
  }

  // A listener's classify: the samples already in the heap (its audio buffer), its sensitivity.
  val classifyWithSensitivity(std::uintptr_t samples, std::size_t n, double sampleRate, double sensitivity) const {
    return guarded([&] { return classificationToJs(r_.classify(samplesIn(samples, n), n, sampleRate, sensitivity)); });
  }

  val classifyFeatures(std::uintptr_t ptr, int rows, int cols) const {
    return guarded([&] {
      return classificationToJs(r_.classifyFeatures(rec::RowMatrix(matrixIn(ptr, rows, cols, "features"))));
    });
  }

  val toJson() const { return guarded([&] { return val(r_.toJson()); }); }

 private:
  explicit RecognizerHandle(rec::Recognizer r) : r_(std::move(r)) {}
  rec::Recognizer r_;
};

// One label's word model: stacked features + lengths in, the WordModel's JSON text out.
// pooledVariance: the RecognizerHandle's pooledVariance() (an array), or undefined.
val trainWordJob(std::uintptr_t ptr, int rows, int cols, val lengths, val optionsJson, val pooledVariance,
                 val onProgress) {
  return guarded([&] {
    const val l = std::move(lengths), o = std::move(optionsJson), p = std::move(pooledVariance),
              cb = std::move(onProgress);
    const rec::RecognizerOptions options = rec::recognizerOptionsFromJson(jsonIn(o, "Recognizer options"));
    const auto examples = utterancesIn(ptr, rows, cols, l);
    std::vector<double> pooled;
    if (!p.isUndefined() && !p.isNull()) {
      if (!p.isArray()) invalid("pooledVariance must be an array of numbers");
      pooled = emscripten::vecFromJSArray<double>(p);
    }
    return val(rec::toJson(rec::trainWordModel(examples, options.word, progressIn(cb), pooled)).dump());
  });
}

// The background ("any speech") model over every label's features (stacked label after
// label; groups[i] = number of examples of label i); its GmmHmm JSON out.
val trainBackgroundJob(std::uintptr_t ptr, int rows, int cols, val lengths, val groups, val optionsJson,
                       val onProgress) {
  return guarded([&] {
    const val l = std::move(lengths), g = std::move(groups), o = std::move(optionsJson), cb = std::move(onProgress);
    const rec::RecognizerOptions options = rec::recognizerOptionsFromJson(jsonIn(o, "Recognizer options"));
    const auto examples = utterancesIn(ptr, rows, cols, l);
    if (!g.isArray()) invalid("groups must be an array of example counts");
    std::vector<std::vector<const rec::RowMatrix*>> words;
    std::size_t at = 0;
    const int n = g["length"].as<int>();
    for (int i = 0; i < n; ++i) {
      const double count = g[i].as<double>();
      if (!(count >= 1 && count == std::floor(count)) || at + static_cast<std::size_t>(count) > examples.size())
        invalid("groups[", i, "] must be a positive integer within the ", examples.size(), " examples, got ", count);
      words.emplace_back();
      for (std::size_t k = 0; k < static_cast<std::size_t>(count); ++k) words.back().push_back(&examples[at++]);
    }
    if (at != examples.size()) invalid("groups sum to ", at, " but there are ", examples.size(), " examples");
    return val(rec::trainBackgroundModel(words, options.background, progressIn(cb)).toJson());
  });
}

template <typename O>
void addDeclarations(val& out) {
  out.set(gmmhmm::OptionList<O>::kSection, declarationsToJs<O>());
}

// The option declarations (gmmhmm/options.hpp) for web/lib and the tests, by section:
// { model: [{ name, default, ... }] (the training controls), mfcc, fbank, endpointer, features,
// word, background, rejection, categoricalSizes, categorical (CategoricalHMM's), poissonSizes,
// poisson, multinomialSizes, multinomial, gaussianSizes, gaussian,
// priors: ['startprobPrior', ...] } (the model's array options, gmmhmm::priorOptions()).
val optionDeclarations() {
  val out = val::object();
  addDeclarations<gmmhmm::ModelConfig>(out);
  addDeclarations<feat::MfccOptions>(out);
  addDeclarations<feat::FbankOptions>(out);
  addDeclarations<feat::EndpointerOptions>(out);
  addDeclarations<rec::WordFeatureOptions>(out);
  addDeclarations<rec::WordModelOptions>(out);
  addDeclarations<rec::BackgroundOptions>(out);
  addDeclarations<rec::RejectionOptions>(out);
#if GMMHMM_BIND_MODELS
  addDeclarations<gmmhmm::CategoricalSizes>(out);
  addDeclarations<gmmhmm::CategoricalOptions>(out);
  addDeclarations<gmmhmm::PoissonSizes>(out);
  addDeclarations<gmmhmm::PoissonOptions>(out);
  addDeclarations<gmmhmm::MultinomialSizes>(out);
  addDeclarations<gmmhmm::MultinomialOptions>(out);
  addDeclarations<gmmhmm::GaussianSizes>(out);
  addDeclarations<gmmhmm::GaussianOptions>(out);
#endif
  val priors = val::array();
  for (const gmmhmm::PriorOption& option : gmmhmm::priorOptions()) priors.call<void>("push", val(option.name));
  out.set("priors", priors);
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(gmmhmm_recognizer) {
  using emscripten::allow_raw_pointers;
  emscripten::function("optionDeclarations", &optionDeclarations);
  emscripten::function("trainWordJob", &trainWordJob);
  emscripten::function("trainBackgroundJob", &trainBackgroundJob);
  emscripten::class_<RecognizerHandle>("RecognizerHandle")
      .class_function("create", &RecognizerHandle::create, allow_raw_pointers())
      .class_function("fromJson", &RecognizerHandle::fromJson, allow_raw_pointers())
      .function("addExample", &RecognizerHandle::addExample)
      .function("addFeatures", &RecognizerHandle::addFeatures)
      .function("removeExamples", &RecognizerHandle::removeExamples)
      .function("labels", &RecognizerHandle::labels)
      .function("trainedLabels", &RecognizerHandle::trainedLabels)
      .function("labelsWithExamples", &RecognizerHandle::labelsWithExamples)
      .function("checkNothingDropped", &RecognizerHandle::checkNothingDropped)
      .function("exampleCount", &RecognizerHandle::exampleCount)
      .function("exampleFeatures", &RecognizerHandle::exampleFeatures)
      .function("optionsJson", &RecognizerHandle::optionsJson)
      .function("pooledVariance", &RecognizerHandle::pooledVariance)
      .function("isTrained", &RecognizerHandle::isTrained)
      .function("featureWidth", &RecognizerHandle::featureWidth)
      .function("requireRateServed", &RecognizerHandle::requireRateServed)
      .function("calibration", &RecognizerHandle::calibration)
      .function("install", &RecognizerHandle::install)
      .function("classify", &RecognizerHandle::classify)
      .function("classifyWithSensitivity", &RecognizerHandle::classifyWithSensitivity)
      .function("classifyFeatures", &RecognizerHandle::classifyFeatures)
      .function("toJson", &RecognizerHandle::toJson);
}

#if GMMHMM_BIND_MODELS
// ==== families (CategoricalHMM, PoissonHMM, MultinomialHMM, GaussianHMM) ====
// ChainHmmHandle<Traits> wraps one of the families' concrete models (gmmhmm/families) for
// web/lib/chain-model.js, with GmmHmmHandle's conventions: frames arrive as (heap pointer,
// rows, cols) doubles plus `lengths` (the core checks them: symbols, counts, totals); options
// are read from the declarations (Traits::Sizes, the model's options); parameters go out as
// { data, shape } and come in as Float64Array. One template for every family: a family's
// Traits names its parameters, the shape of its sampled frames and its extra sizes.

namespace {

template <typename Traits>
class ChainHmmHandle {
 public:
  using Model = typename Traits::Model;
  using Options = std::decay_t<decltype(std::declval<const Model&>().options())>;

  static ChainHmmHandle* create(val options) {
    return guarded([&] {
      OptionReader r(std::move(options), std::string(Traits::kName) + " options");
      typename Traits::Sizes sizes;
      Options training;
      readDeclared(r, sizes);
      readDeclared(r, training);
      r.rejectUnknown();
      return new ChainHmmHandle(Model(sizes, training));
    });
  }

  static ChainHmmHandle* fromJson(std::uintptr_t ptr, std::size_t n, double maxBytes) {
    return guarded([&] { return new ChainHmmHandle(Model::fromJson(fileTextIn(ptr, n), fileLimitsIn(maxBytes))); });
  }

  ChainHmmHandle* clone() const {
    return guarded([&] { return new ChainHmmHandle(Model(model_)); });
  }

  // options: training overrides (nIter, tol, params, priors...), kept by the model when the
  // fit completes (as GMMHMM's), restored when it fails.
  val fit(std::uintptr_t ptr, int rows, int cols, val lengths, val options, val onIteration) {
    return guarded([&] {
      const val lengthsVal = std::move(lengths);
      const val callbackVal = std::move(onIteration);
      val optionsVal = std::move(options);
      const gmmhmm::SequenceSet set = sequencesIn(ptr, rows, cols, lengthsVal);
      const Options previous = applyFitOptions(std::move(optionsVal));
      try {
        model_.fit(set, callbackIn(callbackVal));
      } catch (...) {
        model_.setOptions(previous);
        throw;
      }
      return monitorToJs(model_.monitor());
    });
  }

  double score(std::uintptr_t ptr, int rows, int cols, val lengths) const {
    return guarded([&] { return model_.score(sequencesIn(ptr, rows, cols, takeVal(lengths))); });
  }

  val scorePerSequence(std::uintptr_t ptr, int rows, int cols, val lengths) const {
    return guarded([&] {
      const auto v = model_.scorePerSequence(sequencesIn(ptr, rows, cols, takeVal(lengths)));
      return copyOut(v.data(), v.size());
    });
  }

  val scoreSamples(std::uintptr_t ptr, int rows, int cols, val lengths) const {
    return guarded([&] { return posteriorsToJs(model_.scoreSamples(sequencesIn(ptr, rows, cols, takeVal(lengths)))); });
  }

  val decode(std::uintptr_t ptr, int rows, int cols, val lengths, val algorithm) const {
    return guarded([&] {
      const val lengthsVal = std::move(lengths);
      const val algorithmVal = std::move(algorithm);
      const gmmhmm::DecodeAlgorithm which = algorithmIn(algorithmVal);
      return decodeToJs(model_.decode(sequencesIn(ptr, rows, cols, lengthsVal), which));
    });
  }

  // { X (Traits::framesOut), states: Int32Array }.
  val sample(double n, double seed, val currstateArg) const {
    return guarded([&] {
      const val currstateVal = std::move(currstateArg);
      const int currstate = sampleArgumentsIn(n, seed, currstateVal, model_.nStates());
      const auto result = model_.sample(static_cast<gmmhmm::Index>(n), static_cast<std::uint64_t>(seed), currstate);
      val out = val::object();
      out.set("X", Traits::framesOut(result.X));
      out.set("states", intsOut(result.states));
      return out;
    });
  }

  val stationaryDistribution() const {
    return guarded([&] {
      const auto pi = model_.stationaryDistribution();
      return copyOut(pi.data(), pi.size());
    });
  }

  double nFreeParameters() const { return static_cast<double>(model_.nFreeParameters()); }
  double aic(std::uintptr_t ptr, int rows, int cols, val lengths) const {
    return guarded([&] { return model_.aic(sequencesIn(ptr, rows, cols, takeVal(lengths))); });
  }
  double bic(std::uintptr_t ptr, int rows, int cols, val lengths) const {
    return guarded([&] { return model_.bic(sequencesIn(ptr, rows, cols, takeVal(lengths))); });
  }

  val monitor() const { return monitorToJs(model_.monitor()); }

  // name: startprob | transmat | the family's (Traits::getFamilyParam)
  val getParam(val nameArg) const {
    return guarded([&] {
      const val nameVal = std::move(nameArg);
      const std::string name = nameVal.isString() ? nameVal.as<std::string>() : std::string("?");
      const gmmhmm::Index N = model_.nStates();
      if (name == "startprob") return paramOut(model_.startprob(), {N});
      if (name == "transmat") return paramOut(model_.transmat(), {N, N});
      val out = val::undefined();
      if (Traits::getFamilyParam(model_, name, out)) return out;
      invalid("unknown parameter '", name, "'");
    });
  }

  void setParam(val nameArg, val valuesArg) {
    guarded([&] {
      const val nameVal = std::move(nameArg);
      const val values = std::move(valuesArg);
      const std::string name = nameVal.isString() ? nameVal.as<std::string>() : std::string("?");
      if (!values.instanceof(val::global("Float64Array"))) invalid(name, " must be given as numbers");
      const std::vector<double> v = emscripten::convertJSArrayToNumberVector<double>(values);
      if (name == "startprob") model_.setStartprob(v);
      else if (name == "transmat") model_.setTransmat(v);
      else if (!Traits::setFamilyParam(model_, name, v)) invalid("unknown parameter '", name, "'");
      return 0;
    });
  }

  std::string toJson() const {
    return guarded([&] { return model_.toJson(); });
  }

  // The sizes, whether fitted, and the training controls (declared: the model's options); the
  // priors (arrays can be as large as the parameters) only when asked for, as GMMHMM's info().
  val info(bool withPriors) const {
    val out = val::object();
    out.set("nStates", model_.nStates());
    out.set("nFeatures", model_.nFeatures());
    Traits::moreSizes(model_, out);
    out.set("fitted", model_.isReady());
    gmmhmm::forEachOption(model_.options(), [&out, withPriors](const gmmhmm::OptionInfo& info, const auto& value) {
      if (withPriors || !std::is_same_v<std::decay_t<decltype(value)>, gmmhmm::Prior>) out.set(info.name, jsValue(value));
    });
    return out;
  }

  // Registers the class under `name` (its methods are the same for every family).
  // Sets the training overrides of a fit (nIter, tol, params, priors...) on the model;
  // returns the options before, which a fit that fails restores.
  Options applyFitOptions(val options) {
    OptionReader r(std::move(options), "fit options");
    Options training = model_.options();
    readDeclared(r, training);
    r.rejectUnknown();
    const Options previous = model_.options();
    model_.setOptions(training);
    return previous;
  }

  Model& model() { return model_; }

  // GmmHmmHandle::setTraining's: the JS properties model.nIter = 100 ...
  void setTraining(val options) {
    guarded([&] { applyFitOptions(std::move(options)); });
  }

  static void bind(const char* name) {
    using emscripten::allow_raw_pointers;
    emscripten::class_<ChainHmmHandle>(name)
        .class_function("create", &ChainHmmHandle::create, allow_raw_pointers())
        .class_function("fromJson", &ChainHmmHandle::fromJson, allow_raw_pointers())
        .function("clone", &ChainHmmHandle::clone, allow_raw_pointers())
        .function("fit", &ChainHmmHandle::fit)
        .function("score", &ChainHmmHandle::score)
        .function("scorePerSequence", &ChainHmmHandle::scorePerSequence)
        .function("scoreSamples", &ChainHmmHandle::scoreSamples)
        .function("decode", &ChainHmmHandle::decode)
        .function("sample", &ChainHmmHandle::sample)
        .function("stationaryDistribution", &ChainHmmHandle::stationaryDistribution)
        .function("nFreeParameters", &ChainHmmHandle::nFreeParameters)
        .function("aic", &ChainHmmHandle::aic)
        .function("bic", &ChainHmmHandle::bic)
        .function("monitor", &ChainHmmHandle::monitor)
        .function("getParam", &ChainHmmHandle::getParam)
        .function("setParam", &ChainHmmHandle::setParam)
        .function("toJson", &ChainHmmHandle::toJson)
        .function("info", &ChainHmmHandle::info)
        .function("setTraining", &ChainHmmHandle::setTraining);
  }

 private:
  explicit ChainHmmHandle(Model model) : model_(std::move(model)) {}
  Model model_;
};

// A family's fit run step by step (web/lib/fit-async.js), as FitSessionHandle is GMMHMM's:
// the E-steps run here (step) or in Workers (stepWith the statistics of ChainShareHandles). X
// stays in the heap, owned by the JS side, until this is deleted; the model is only changed
// by finish() (abandon() puts its options back). One class for every family: only opening
// the session depends on it (create<Traits>, bound as createCategorical...).
class ChainFitSessionHandle {
 public:
  // initialiseElsewhere: the emissions' initialisation is left to a Worker
  // (initialisationJob(): the model's own file with the fit's options, run there by
  // runChainInitialisation<Traits>; adoptInitialisation()) or to initialiseHere() -- for the
  // families whose initialisation costs (Traits::kCostlyInitialisation: GaussianHMM's
  // k-means); the others' (random rows, moment-matched rates) stays here, cheaper than
  // copying the frames to a Worker.
  template <typename Traits>
  static ChainFitSessionHandle* create(ChainHmmHandle<Traits>& handle, std::uintptr_t ptr, int rows, int cols,
                                       val lengths, val options, bool initialiseElsewhere) {
    return guarded([&] {
      const val lengthsVal = std::move(lengths);
      val optionsVal = std::move(options);
      const gmmhmm::SequenceSet set = sequencesIn(ptr, rows, cols, lengthsVal);
      typename Traits::Model& model = handle.model();
      const auto previous = handle.applyFitOptions(std::move(optionsVal));
      std::function<void()> restore = [&model, previous] { model.setOptions(previous); };
      try {
        // The Worker's model: this one as it is now (its parameters set, the fit's options).
        const bool elsewhere = initialiseElsewhere && Traits::kCostlyInitialisation;
        std::string job = elsewhere ? model.toJson() : std::string();
        std::unique_ptr<gmmhmm::ChainFitSession> session = model.fitSession(
            set, elsewhere ? gmmhmm::ChainFitSession::Initialisation::Elsewhere : gmmhmm::ChainFitSession::Initialisation::Here);
        // What a share's model needs (ChainShareHandle): the sizes, nFeatures as the fit found it.
        val setup = val::object();
        setup.set("nStates", model.nStates());
        setup.set("nFeatures", session->work().emissions().nFeatures());
        Traits::moreSizes(model, setup);
        return new ChainFitSessionHandle(std::move(session), std::move(restore), std::move(setup), std::move(job));
      } catch (...) {
        restore();
        throw;
      }
    });
  }

  // The initialisation left to a Worker: a model file ('' when none is pending).
  std::string initialisationJob() const { return session_->initialised() ? std::string() : job_; }

  void adoptInitialisation(val initialised) {
    guarded([&] {
      const val values = std::move(initialised);
      if (!values.instanceof(val::global("Float64Array"))) invalid("the initialisation must be a Float64Array");
      session_->adoptInitialisation(emscripten::convertJSArrayToNumberVector<double>(values));
      std::string().swap(job_);  // not needed any more
      return 0;
    });
  }

  // The pending initialisation on this thread (no Worker came).
  void initialiseHere() {
    guarded([&] {
      session_->initialiseHere();
      std::string().swap(job_);
      return 0;
    });
  }

  bool done() const { return session_->done(); }
  val step() { return sessions::step(*session_); }
  val stepWith(val statistics) { return sessions::stepWith(*session_, std::move(statistics)); }
  void cancel() { session_->cancel(); }

  void finish() {
    guarded([&] {
      session_->finish();
      return 0;
    });
  }

  void abandon() {
    guarded([&] {
      restoreOptions_();
      return 0;
    });
  }

  val groupSizes() const { return sessions::groupSizes(*session_); }
  val shareSetup() const { return setup_; }
  val parameters() const { return sessions::parameters(*session_); }

 private:
  ChainFitSessionHandle(std::unique_ptr<gmmhmm::ChainFitSession> session, std::function<void()> restoreOptions, val setup,
                        std::string job)
      : session_(std::move(session)), restoreOptions_(std::move(restoreOptions)), setup_(std::move(setup)), job_(std::move(job)) {}

  std::unique_ptr<gmmhmm::ChainFitSession> session_;
  std::function<void()> restoreOptions_;
  val setup_;
  std::string job_;
};

// A Worker's part of a family's fit: the initialisation of ChainFitSessionHandle's job (the
// model's file) on a copy of all of X, as the parameters its own session starts from.
template <typename Traits>
val runChainInitialisation(std::string job, std::uintptr_t ptr, int rows, int cols, val lengths) {
  return guarded([&] {
    const val lengthsVal = std::move(lengths);
    // Written by the session's side: any size it holds. (The reader also caps the values it
    // builds at maxBytes / 16: every value takes at least a byte of text, so 16 bytes per byte
    // of the job can never refuse it. A left-right transmat of 1,089 mostly "0.0" entries was
    // refused with maxBytes = the job's size, a review found.)
    gmmhmm::FileLimits limits;
    limits.maxBytes = job.size() > std::numeric_limits<std::size_t>::max() / 16 ? std::numeric_limits<std::size_t>::max()
                                                                                 : job.size() * 16;
    typename Traits::Model model = Traits::Model::fromJson(job, limits);
    const std::vector<double> out = model.fitSession(sequencesIn(ptr, rows, cols, lengthsVal))->parameters();
    return copyOut(out.data(), out.size());
  });
}

// A Worker's share of a family's parallel fit (web/lib/train-worker.js): a model of the
// session's sizes (ChainFitSessionHandle's shareSetup) as the prototype; its frames stay in
// the heap, owned by the JS side, until this is deleted. One class for every family
// (create<Traits>, bound as createCategorical...).
class ChainShareHandle {
 public:
  template <typename Traits>
  static ChainShareHandle* create(val setup, std::uintptr_t ptr, int rows, int cols, val lengths, val groupSizes) {
    return guarded([&] {
      const val lengthsVal = std::move(lengths), groupsVal = std::move(groupSizes);
      OptionReader r(std::move(setup), "share set-up");
      typename Traits::Sizes sizes;
      readDeclared(r, sizes);
      r.rejectUnknown();
      const gmmhmm::SequenceSet set = sequencesIn(ptr, rows, cols, lengthsVal);
      const typename Traits::Model prototype(sizes);
      return new ChainShareHandle(prototype.shareStatistics(set, sessions::groupsIn(groupsVal, rows)));
    });
  }

  val compute(val parameters) { return sessions::compute(*share_, std::move(parameters)); }

 private:
  explicit ChainShareHandle(std::unique_ptr<gmmhmm::ChainShareStatistics> share) : share_(std::move(share)) {}

  std::unique_ptr<gmmhmm::ChainShareStatistics> share_;
};

// Sampled frames of several values (counts, which may pass 2^31, or real values):
// { data: Float64Array (row-major), rows, cols }.
val framesMatrixOut(const gmmhmm::RowMatrix& X) {
  val out = val::object();
  out.set("data", copyOut(X.data(), static_cast<std::size_t>(X.size())));
  out.set("rows", static_cast<double>(X.rows()));
  out.set("cols", static_cast<double>(X.cols()));
  return out;
}

// The families with one emission parameter of nStates × nFeatures (Derived::kEmission).
template <typename Derived>
struct OneEmissionParam {
  template <typename Model>
  static bool getFamilyParam(const Model& m, const std::string& name, val& out) {
    if (name != Derived::kEmission) return false;
    out = paramOut(Derived::emission(m), {m.nStates(), m.nFeatures()});
    return true;
  }
  template <typename Model>
  static bool setFamilyParam(Model& m, const std::string& name, const std::vector<double>& v) {
    if (name != Derived::kEmission) return false;
    Derived::setEmission(m, v);
    return true;
  }
};

struct CategoricalTraits : OneEmissionParam<CategoricalTraits> {
  using Model = gmmhmm::CategoricalHmm;
  using Sizes = gmmhmm::CategoricalSizes;
  static constexpr const char* kName = "CategoricalHMM";
  static constexpr bool kCostlyInitialisation = false;  // fitAsync initialises in a Worker
  static constexpr const char* kEmission = "emissionprob";
  static std::vector<double> emission(const Model& m) { return m.emissionprob(); }
  static void setEmission(Model& m, const std::vector<double>& v) { m.setEmissionprob(v); }
  // Symbols: Int32Array of n.
  static val framesOut(const gmmhmm::RowMatrix& X) { return intsOut(std::vector<int>(X.data(), X.data() + X.size())); }
  static void moreSizes(const Model&, val&) {}
};

struct PoissonTraits : OneEmissionParam<PoissonTraits> {
  using Model = gmmhmm::PoissonHmm;
  using Sizes = gmmhmm::PoissonSizes;
  static constexpr const char* kName = "PoissonHMM";
  static constexpr bool kCostlyInitialisation = false;  // fitAsync initialises in a Worker
  static constexpr const char* kEmission = "lambdas";
  static std::vector<double> emission(const Model& m) { return m.lambdas(); }
  static void setEmission(Model& m, const std::vector<double>& v) { m.setLambdas(v); }
  static val framesOut(const gmmhmm::RowMatrix& X) { return framesMatrixOut(X); }
  static void moreSizes(const Model&, val&) {}
};

struct MultinomialTraits : OneEmissionParam<MultinomialTraits> {
  using Model = gmmhmm::MultinomialHmm;
  using Sizes = gmmhmm::MultinomialSizes;
  static constexpr const char* kName = "MultinomialHMM";
  static constexpr bool kCostlyInitialisation = false;  // fitAsync initialises in a Worker
  static constexpr const char* kEmission = "emissionprob";
  static std::vector<double> emission(const Model& m) { return m.emissionprob(); }
  static void setEmission(Model& m, const std::vector<double>& v) { m.setEmissionprob(v); }
  static val framesOut(const gmmhmm::RowMatrix& X) { return framesMatrixOut(X); }
  static void moreSizes(const Model& m, val& out) { out.set("nTrials", m.nTrials()); }
};

// GaussianHMM: means (nStates × nFeatures) and covars, given out as hmmlearn's covars_
// property gives them (a D × D matrix per state, whatever the type) and taken in that shape or
// the type's own (spherical N, diag N × D, full N × D × D, tied D × D).
struct GaussianTraits {
  using Model = gmmhmm::GaussianHmm;
  using Sizes = gmmhmm::GaussianSizes;
  static constexpr const char* kName = "GaussianHMM";
  static constexpr bool kCostlyInitialisation = true;  // fitAsync initialises in a Worker
  static bool getFamilyParam(const Model& m, const std::string& name, val& out) {
    const gmmhmm::Index N = m.nStates(), D = m.nFeatures();
    if (name == "means") out = paramOut(m.means(), {N, D});
    else if (name == "covars") out = paramOut(m.fullCovars(), {N, D, D});
    else return false;
    return true;
  }
  static bool setFamilyParam(Model& m, const std::string& name, const std::vector<double>& v) {
    if (name == "means") m.setMeans(v);
    else if (name == "covars") m.setCovars(v);
    else return false;
    return true;
  }
  static val framesOut(const gmmhmm::RowMatrix& X) { return framesMatrixOut(X); }
  static void moreSizes(const Model& m, val& out) { out.set("covarianceType", std::string(gmmhmm::toString(m.covarianceType()))); }
};

}  // namespace

EMSCRIPTEN_BINDINGS(gmmhmm_families) {
  ChainHmmHandle<CategoricalTraits>::bind("CategoricalHmmHandle");
  ChainHmmHandle<PoissonTraits>::bind("PoissonHmmHandle");
  ChainHmmHandle<MultinomialTraits>::bind("MultinomialHmmHandle");
  ChainHmmHandle<GaussianTraits>::bind("GaussianHmmHandle");
  using emscripten::allow_raw_pointers;
  emscripten::class_<ChainFitSessionHandle>("ChainFitSessionHandle")
      .class_function("createCategorical", &ChainFitSessionHandle::create<CategoricalTraits>, allow_raw_pointers())
      .class_function("createPoisson", &ChainFitSessionHandle::create<PoissonTraits>, allow_raw_pointers())
      .class_function("createMultinomial", &ChainFitSessionHandle::create<MultinomialTraits>, allow_raw_pointers())
      .class_function("createGaussian", &ChainFitSessionHandle::create<GaussianTraits>, allow_raw_pointers())
      .function("done", &ChainFitSessionHandle::done)
      .function("step", &ChainFitSessionHandle::step)
      .function("stepWith", &ChainFitSessionHandle::stepWith)
      .function("cancel", &ChainFitSessionHandle::cancel)
      .function("finish", &ChainFitSessionHandle::finish)
      .function("abandon", &ChainFitSessionHandle::abandon)
      .function("groupSizes", &ChainFitSessionHandle::groupSizes)
      .function("shareSetup", &ChainFitSessionHandle::shareSetup)
      .function("parameters", &ChainFitSessionHandle::parameters)
      .function("initialisationJob", &ChainFitSessionHandle::initialisationJob)
      .function("adoptInitialisation", &ChainFitSessionHandle::adoptInitialisation)
      .function("initialiseHere", &ChainFitSessionHandle::initialiseHere);
  emscripten::function("runCategoricalInitialisation", &runChainInitialisation<CategoricalTraits>, allow_raw_pointers());
  emscripten::function("runPoissonInitialisation", &runChainInitialisation<PoissonTraits>, allow_raw_pointers());
  emscripten::function("runMultinomialInitialisation", &runChainInitialisation<MultinomialTraits>, allow_raw_pointers());
  emscripten::function("runGaussianInitialisation", &runChainInitialisation<GaussianTraits>, allow_raw_pointers());
  emscripten::class_<ChainShareHandle>("ChainShareHandle")
      .class_function("createCategorical", &ChainShareHandle::create<CategoricalTraits>, allow_raw_pointers())
      .class_function("createPoisson", &ChainShareHandle::create<PoissonTraits>, allow_raw_pointers())
      .class_function("createMultinomial", &ChainShareHandle::create<MultinomialTraits>, allow_raw_pointers())
      .class_function("createGaussian", &ChainShareHandle::create<GaussianTraits>, allow_raw_pointers())
      .function("compute", &ChainShareHandle::compute);
}
#endif  // GMMHMM_BIND_MODELS
