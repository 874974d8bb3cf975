#pragma once

#include <Eigen/Core>

namespace gmmhmm::features {

// Features: one row per frame (hmmlearn's convention), double precision for the models.
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace gmmhmm::features
