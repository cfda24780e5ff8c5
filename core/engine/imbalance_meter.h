#pragma once
// Imbalance of a load vector over nodes (x_1..x_n, mean mu):
//   max over mean   max_i x_i / mu                                  (1 when even; 1 for an idle cluster)
//   cv              sqrt(sum_i (x_i - mu)^2 / n) / mu                (population standard deviation)
//   Gini            sum_i sum_j |x_i - x_j| / (2 n^2 mu)
//                 = 2 sum_i i x_(i) / (n sum_i x_i) - (n + 1) / n   (x_(i) ascending, i = 1..n)
// The Gini coefficient is 0 when every node carries the same and (n - 1) / n when one node carries everything.

#include <cstdint>
#include <span>
#include <vector>

#include "shardsim/engine/run_result.h"

namespace shardsim::engine {

class ImbalanceMeter {
public:
    // Keeps the ascending order of the last vector: loads move little from tick to tick, so the next sort (an
    // insertion sort starting from that order) is close to linear.
    Imbalance measure(std::span<const double> values);

private:
    std::vector<uint32_t> m_order; // node indices by ascending load
    std::vector<double> m_sorted; // the loads in that order
};

// The same without keeping state.
Imbalance imbalanceOf(std::span<const double> values);

} // namespace shardsim::engine
