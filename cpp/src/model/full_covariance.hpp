// The linear algebra only full and tied covariances need: Cholesky factors, their inverse and
// the eigenvalue floor of the M-step. It lives in one source, full_covariance.cpp, so that the
// words-only build (`gmmhmm/words`, whose recognizer trains diagonal models) can link
// cpp/words/full_covariance_absent.cpp instead and leave Eigen's decompositions out of its
// .wasm (cmake/wasm.cmake; the bytes saved: docs/size.md).
#pragma once

#include <Eigen/Core>

namespace gmmhmm::detail {

/// The lower Cholesky factor of `cov` in `L`. False when `cov` is not numerically symmetric
/// positive definite: the factorisation failed, or a factor entry is not finite, or a diagonal
/// entry is not > 0.
bool lowerCholesky(const Eigen::MatrixXd& cov, Eigen::MatrixXd& L);

/// L⁻¹ of a lower-triangular `L` with a positive diagonal (lowerCholesky's).
Eigen::MatrixXd lowerTriangularInverse(const Eigen::MatrixXd& L);

/// Makes `cov` symmetric and raises the eigenvalues of diag(floor)^-½ · cov · diag(floor)^-½
/// to at least 1, so that cov ⪰ diag(floor) (the variance floor of a full covariance).
void liftEigenvalues(const Eigen::VectorXd& floor, Eigen::MatrixXd& cov);

}  // namespace gmmhmm::detail
