#pragma once
// Observation uncertainty from background noise (uncertainty decoding): where a frame's band
// energy is near the noise found at the recording's ends, its log value may lie anywhere from
// the clean speech's to the noise's, and a model trained on clean recordings (whose quiet
// frames carry the front end's floor) has never seen it. The variance that uncertainty adds
// to every feature is added to every Gaussian's variance when the frame is scored (see
// uncertain_scoring.hpp), so a frame buried in noise counts little for any model, and a word
// model of few examples (narrow variances) is not judged by frames the noise decided.

#include "gmmhmm/features/cepstral_transform.hpp"
#include "gmmhmm/features/feature_matrix.hpp"

namespace gmmhmm::recognizer::detail {

using RowMatrix = features::RowMatrix;

// bandEnergies: the kept frames' band energies as the features were computed from them (floor
// included); noise: per band, the noise's energy above the floor (0: none). Per band and
// frame the log energy's possible shift by the noise, -ln(1 - min(noise / energy, 0.95)),
// times `scale`, squared, is its variance; it is carried through the DCT (bands independent)
// and the delta filters (frames independent) of the front end. Returns T x numCeps·(order+1).
RowMatrix noiseVariance(const RowMatrix& bandEnergies, const Eigen::RowVectorXd& noise,
                        const features::CepstralTransform& dct, int deltaOrder, int deltaWindow, double scale);

}  // namespace gmmhmm::recognizer::detail
