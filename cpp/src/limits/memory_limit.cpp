#include <atomic>
#include <limits>

#include "gmmhmm/limits.hpp"

namespace gmmhmm {

namespace {
// Process-wide like the heap it describes; atomic because training may run on threads.
std::atomic<std::size_t>& limit() {
  static std::atomic<std::size_t> bytes{std::numeric_limits<std::size_t>::max()};
  return bytes;
}
}  // namespace

void setMemoryLimit(std::size_t bytes) { limit().store(bytes); }
std::size_t memoryLimit() { return limit().load(); }

}  // namespace gmmhmm
