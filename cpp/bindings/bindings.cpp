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
//    names and wrong types with a message naming the option.

// ==== common ====

#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gmmhmm/errors.hpp"
#include "gmmhmm/features.hpp"

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
  std::ostringstream out;
  out.precision(10);
  (out << ... << parts);
  throw gmmhmm::InvalidArgument(out.str());
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

// Reads a plain JS options object; rejects unknown names (typos) and values of the wrong type.
class OptionReader {
 public:
  // `what` names the options in messages, e.g. "mfcc options".
  OptionReader(const val& options, std::string what) : options_(options), what_(std::move(what)) {
    if (options_.isUndefined() || options_.isNull()) {
      options_ = val::object();
    } else if (options_.typeOf().as<std::string>() != "object" || options_.isArray()) {
      invalid(what_, " must be an object");
    }
  }

  bool number(const char* key, double& out) {
    val v = get(key);
    if (v.isUndefined()) return false;
    if (!v.isNumber()) invalid(what_, ": ", key, " must be a number, got ", describe(v));
    const double x = v.as<double>();
    if (!std::isfinite(x)) invalid(what_, ": ", key, " must be a finite number, got ", x);
    out = x;
    return true;
  }

  bool integer(const char* key, int& out) {
    double x = 0;
    if (!number(key, x)) return false;
    if (x != std::floor(x) || std::fabs(x) > std::numeric_limits<int>::max()) {
      invalid(what_, ": ", key, " must be an integer, got ", x);
    }
    out = static_cast<int>(x);
    return true;
  }

  bool boolean(const char* key, bool& out) {
    val v = get(key);
    if (v.isUndefined()) return false;
    if (!v.isTrue() && !v.isFalse()) invalid(what_, ": ", key, " must be true or false, got ", describe(v));
    out = v.isTrue();
    return true;
  }

  bool string(const char* key, std::string& out) {
    val v = get(key);
    if (v.isUndefined()) return false;
    if (!v.isString()) invalid(what_, ": ", key, " must be a string, got ", describe(v));
    out = v.as<std::string>();
    return true;
  }

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
      invalid(what_, ": unknown option '", key, "' (known: ", list, ")");
    }
  }

 private:
  val get(const char* key) {
    known_.emplace_back(key);
    return options_[key];
  }

  static std::string describe(const val& v) {
    if (v.isNull()) return "null";
    if (v.isString()) return "'" + v.as<std::string>() + "'";
    return v.typeOf().as<std::string>();
  }

  val options_;
  std::string what_;
  std::vector<std::string> known_;
};

// Bytes of the wasm heap in use by malloc (for tests that check memory comes back).
double heapBytesInUse() {
  return static_cast<double>(mallinfo().uordblks);
}

}  // namespace

EMSCRIPTEN_BINDINGS(gmmhmm_common) {
  emscripten::function("heapBytesInUse", &heapBytesInUse);
}

// ==== features ====

namespace {

namespace feat = gmmhmm::features;

void readFrameOptions(OptionReader& r, feat::FrameOptions& o) {
  r.number("frameLength", o.frameLength);
  r.number("frameShift", o.frameShift);
  r.string("windowType", o.windowType);
  r.number("preemphasisCoefficient", o.preemphasisCoefficient);
  r.boolean("removeDcOffset", o.removeDcOffset);
  r.boolean("roundToPowerOfTwo", o.roundToPowerOfTwo);
  r.boolean("snipEdges", o.snipEdges);
  r.number("dither", o.dither);
  double seed = 0;
  if (r.number("seed", seed)) {
    if (seed < 0 || seed > 4294967295.0 || seed != std::floor(seed)) {
      invalid("seed must be an integer in [0, 2^32), got ", seed);
    }
    o.seed = static_cast<std::uint32_t>(seed);
  }
  r.number("blackmanCoeff", o.blackmanCoeff);
  r.number("inputScale", o.inputScale);
}

void readMelOptions(OptionReader& r, feat::MelOptions& o) {
  r.integer("numMelBins", o.numMelBins);
  r.number("lowFreq", o.lowFreq);
  r.number("highFreq", o.highFreq);
  r.boolean("normalizeEnergy", o.normalizeEnergy);
}

void readEnergyOptions(OptionReader& r, feat::EnergyOptions& o) {
  r.boolean("rawEnergy", o.rawEnergy);
  r.number("energyFloor", o.energyFloor);
  r.boolean("htkCompat", o.htkCompat);
}

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
  readFrameOptions(r, o);
  readMelOptions(r, o);
  readEnergyOptions(r, o);
  r.integer("numCeps", o.numCeps);
  r.number("cepstralLifter", o.cepstralLifter);
  r.boolean("useEnergy", o.useEnergy);
  return o;
}

feat::FbankOptions readFbankOptions(OptionReader& r) {
  feat::FbankOptions o;
  readFrameOptions(r, o);
  readMelOptions(r, o);
  readEnergyOptions(r, o);
  r.boolean("useEnergy", o.useEnergy);
  r.boolean("useLogFbank", o.useLogFbank);
  r.boolean("usePower", o.usePower);
  return o;
}

feat::MfccOptions mfccOptionsFrom(const val& options) {
  OptionReader r(options, "mfcc options");
  feat::MfccOptions o = readMfccOptions(r);
  r.rejectUnknown();
  return o;
}

feat::FbankOptions fbankOptionsFrom(const val& options) {
  OptionReader r(options, "fbank options");
  feat::FbankOptions o = readFbankOptions(r);
  r.rejectUnknown();
  return o;
}

feat::EndpointerOptions endpointerOptionsFrom(const val& options) {
  OptionReader r(options, "Endpointer options");
  feat::EndpointerOptions o;
  r.number("frameShift", o.frameShift);
  r.number("highPassHz", o.highPassHz);
  r.number("startMarginDb", o.startMarginDb);
  r.number("endMarginDb", o.endMarginDb);
  r.number("minSpeechDb", o.minSpeechDb);
  r.integer("startFrames", o.startFrames);
  r.number("preRoll", o.preRoll);
  r.number("postRoll", o.postRoll);
  r.number("hangover", o.hangover);
  r.number("minWord", o.minWord);
  r.number("maxWord", o.maxWord);
  r.number("floorRiseSeconds", o.floorRiseSeconds);
  r.rejectUnknown();
  return o;
}

// The options of a preset as a plain object (Kaldi camelCase names), for users who want to
// see or copy them.
val mfccOptionsToJs(const feat::MfccOptions& o) {
  val out = val::object();
  out.set("frameLength", o.frameLength);
  out.set("frameShift", o.frameShift);
  out.set("windowType", o.windowType);
  out.set("preemphasisCoefficient", o.preemphasisCoefficient);
  out.set("removeDcOffset", o.removeDcOffset);
  out.set("roundToPowerOfTwo", o.roundToPowerOfTwo);
  out.set("snipEdges", o.snipEdges);
  out.set("dither", o.dither);
  out.set("seed", static_cast<double>(o.seed));
  out.set("blackmanCoeff", o.blackmanCoeff);
  out.set("inputScale", o.inputScale);
  out.set("numMelBins", o.numMelBins);
  out.set("lowFreq", o.lowFreq);
  out.set("highFreq", o.highFreq);
  out.set("normalizeEnergy", o.normalizeEnergy);
  out.set("rawEnergy", o.rawEnergy);
  out.set("energyFloor", o.energyFloor);
  out.set("htkCompat", o.htkCompat);
  out.set("numCeps", o.numCeps);
  out.set("cepstralLifter", o.cepstralLifter);
  out.set("useEnergy", o.useEnergy);
  return out;
}

val mfccPreset(const std::string& name) {
  return guarded([&] {
    if (name == "speech") return mfccOptionsToJs(feat::MfccOptions::speechPreset());
    if (name == "kaldi") return mfccOptionsToJs(feat::MfccOptions());
    invalid("preset must be 'kaldi' or 'speech', got '", name, "'");
  });
}

val mfccBinding(std::uintptr_t samples, std::size_t n, double sampleRate, val options) {
  return guarded([&] {
    return matrixToJs(feat::mfcc(samplesIn(samples, n), n, sampleRate, mfccOptionsFrom(options)));
  });
}

val fbankBinding(std::uintptr_t samples, std::size_t n, double sampleRate, val options) {
  return guarded([&] {
    return matrixToJs(feat::fbank(samplesIn(samples, n), n, sampleRate, fbankOptionsFrom(options)));
  });
}

val addDeltasBinding(std::uintptr_t ptr, int rows, int cols, val options) {
  return guarded([&] {
    OptionReader r(options, "addDeltas options");
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
    OptionReader r(options, "cmvn options");
    bool variance = false;
    r.boolean("variance", variance);
    r.rejectUnknown();
    const RowMatrix features = matrixIn(ptr, rows, cols, "features");
    return matrixToJs(feat::cmvn(features, variance));
  });
}

// Segments as [{ startSample, endSample }] (sample indices from the first sample pushed).
val segmentsToJs(const std::vector<feat::SpeechSegment>& segments) {
  val out = val::array();
  for (const feat::SpeechSegment& s : segments) {
    val segment = val::object();
    segment.set("startSample", static_cast<double>(s.startSample));
    segment.set("endSample", static_cast<double>(s.endSample));
    out.call<void>("push", segment);
  }
  return out;
}

val findSpeechSegmentsBinding(std::uintptr_t samples, std::size_t n, double sampleRate, val options) {
  return guarded([&] {
    return segmentsToJs(feat::findSpeechSegments(samplesIn(samples, n), n, sampleRate,
                                                 endpointerOptionsFrom(options)));
  });
}

// FeatureStream of MFCC ("mfcc") or filter-bank ("fbank") frames.
class FeatureStreamBinding {
 public:
  static FeatureStreamBinding* create(double sampleRate, std::string kind, val options) {
    return guarded([&] {
      if (kind == "mfcc") return new FeatureStreamBinding(feat::FeatureStream(mfccOptionsFrom(options), sampleRate));
      if (kind == "fbank") return new FeatureStreamBinding(feat::FeatureStream(fbankOptionsFrom(options), sampleRate));
      invalid("FeatureStream features must be 'mfcc' or 'fbank', got '", kind, "'");
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
    return guarded([&] { return new EndpointerBinding(sampleRate, endpointerOptionsFrom(options)); });
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
      .function("hopSize", &EndpointerBinding::hopSize);
}

// ==== model ====
// (the engine's bindings: GMMHMM — written by the lead)

// ==== recognizer ====
// (the Recognizer's bindings — written with web/lib/recognizer.js)
