#include "full_covariance.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>

namespace gmmhmm::detail {

bool lowerCholesky(const Eigen::MatrixXd& cov, Eigen::MatrixXd& L) {
  Eigen::LLT<Eigen::MatrixXd> llt(cov);
  L = llt.matrixL();
  return llt.info() == Eigen::Success && L.allFinite() && (L.diagonal().array() > 0).all();
}

Eigen::MatrixXd lowerTriangularInverse(const Eigen::MatrixXd& L) {
  const Eigen::Index D = L.rows();
  return L.triangularView<Eigen::Lower>().solve(Eigen::MatrixXd::Identity(D, D));
}

void liftEigenvalues(const Eigen::VectorXd& floor, Eigen::MatrixXd& cov) {
  cov = (0.5 * (cov + cov.transpose())).eval();
  const Eigen::VectorXd scale = floor.array().sqrt();
  Eigen::MatrixXd whitened = scale.cwiseInverse().asDiagonal() * cov * scale.cwiseInverse().asDiagonal();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(whitened);
  if (eig.info() == Eigen::Success && eig.eigenvalues().minCoeff() >= 1.0) return;
  Eigen::VectorXd values = Eigen::VectorXd::Ones(cov.rows());
  Eigen::MatrixXd vectors = Eigen::MatrixXd::Identity(cov.rows(), cov.rows());
  if (eig.info() == Eigen::Success) {
    values = eig.eigenvalues().cwiseMax(1.0);
    vectors = eig.eigenvectors();
  }
  whitened = vectors * values.asDiagonal() * vectors.transpose();
  cov = scale.asDiagonal() * whitened * scale.asDiagonal();
  cov = (0.5 * (cov + cov.transpose())).eval();
}

}  // namespace gmmhmm::detail
