// full_covariance.hpp for the words-only build (`gmmhmm/words`): its recognizer trains diagonal
// models, so only a file written by hand (or by the whole package) can bring a full or tied
// covariance here. Each function refuses it, naming the build that has it, and the .wasm
// carries none of Eigen's decompositions (cmake/wasm.cmake).
#include "../src/model/full_covariance.hpp"

#include <gmmhmm/errors.hpp>

namespace gmmhmm::detail {

namespace {
[[noreturn]] void refuse() {
  throw InvalidArgument(
      "full and tied covariances are not in the words-only build ('gmmhmm/words', whose recognizer "
      "trains diagonal models): use the whole package ('gmmhmm') for a model that has them");
}
}  // namespace

bool lowerCholesky(const Eigen::MatrixXd&, Eigen::MatrixXd&) { refuse(); }
Eigen::MatrixXd lowerTriangularInverse(const Eigen::MatrixXd&) { refuse(); }
void liftEigenvalues(const Eigen::VectorXd&, Eigen::MatrixXd&) { refuse(); }

}  // namespace gmmhmm::detail
