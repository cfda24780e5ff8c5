#pragma once
// Percentiles of a random request's response time over the whole cluster. On node i a request takes
// d_i + Exp(mean m_i): the M/M/1 response time, exponential with mean m_i = S / (1 - rho_i), after d_i for a
// backlog queued ahead of it. A request is on node i with probability w_i (its share of the served requests), so
//   P(T > t) = sum_i w_i exp(-(t - d_i)^+ / m_i)
// and the q-quantile is the t where this falls to 1 - q, solved by Newton's method inside a bisection bracket.
//
// To keep a tick O(nodes), nodes without a backlog are pooled by their rate 1/m_i into bins 2^-5 (3%) wide (the
// exponent and top five mantissa bits of the double); a bin's rate is its request-weighted mean. At the p99 a
// node's tail is exp(-4.6 m_bin / m_i), so rates 3% apart change it by up to 7%, and replacing them by their mean
// changes the bin's tail by the square of that, 0.3%: the percentile moves by under 0.1%. Solved to a relative
// 10^-10.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <span>
#include <vector>

namespace shardsim::engine {

class LatencyMixture {
public:
    void clear();
    // A node's requests (weight > 0; others are ignored) with response time delay + Exp(mean); seconds.
    void add(double weight, double mean, double delay) { addRate(weight, mean > 0 ? 1 / mean : 0, delay); }
    // The same with the exponential's rate 1 / mean (1/s).
    void addRate(double weight, double rate, double delay)
    {
        if (!(weight > 0) || !(rate > 0))
            return;
        m_total += weight;
        m_pooled = false;
        if (delay > 0) {
            m_terms.push_back({ weight, rate, delay });
            return;
        }
        const uint64_t key = std::bit_cast<uint64_t>(rate) >> kBinShift;
        m_lowKey = std::min(m_lowKey, key);
        m_highKey = std::max(m_highKey, key);
        m_raw.push_back({ weight, rate, key });
    }
    // Every node at once, replacing what was added: requests served (>= 0), rates 1 / mean (> 0, 1/s) and delays
    // (s, 0 for a node without a backlog). Spans of equal length; `noDelays` promises every delay is 0.
    void setNodes(
        std::span<const double> weights, std::span<const double> rates, std::span<const double> delays, bool noDelays);
    // The q-quantile (0 < q < 1) of the response time, s; 0 without requests. `guess` (a previous answer) only
    // speeds up the search.
    double quantile(double q, double guess = 0);

private:
    static constexpr int kBinShift = 52 - 5; // a rate's bin: its exponent and five mantissa bits

    struct Term {
        double weight;
        double rate; // 1 / mean
        double delay;
    };
    struct RawTerm {
        double weight;
        double rate;
        uint64_t key; // bin before coarsening
    };

    void pool(); // bins the undelayed terms into m_terms
    double tail(double t, double* slope) const; // sum_i w_i exp(-rate_i (t - d_i)^+) and its derivative

    std::vector<RawTerm> m_raw; // undelayed, not yet pooled
    uint64_t m_lowKey = UINT64_MAX;
    uint64_t m_highKey = 0;
    std::vector<Term> m_terms; // pooled bins and delayed terms
    std::vector<double> m_binWeight;
    std::vector<double> m_binRate;
    double m_total = 0;
    bool m_pooled = false;
};

} // namespace shardsim::engine
