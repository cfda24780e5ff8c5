#pragma once
// Percentiles of a random served request's response time over several nodes. On node i a request takes d_i + Y_i:
// Y_i the node's M/M/c response time with a bounded queue (engine/mmc_response.h), after d_i for a backlog queued
// ahead of it. A request is on node i with probability w_i (its share of the served requests), so
//   P(T > t) = sum_i w_i P(Y_i > t - d_i)   (1 for t <= d_i)
// and the q-quantile is the t where this falls to 1 - q, solved by Newton's method inside a bisection bracket to a
// relative 10^-10.
//
// To keep a tick O(nodes), LatencyPool gathers nodes without a backlog by their ResponseTable cell (|1 - rho| within
// 2^-5 of each other, relatively) into one term at their request-weighted mean rho. Near saturation the wait's rate
// theta = c mu (1 - rho) is the quantity that varies across a cell, by up to 3%; replacing the cell's mixture by its
// mean term is exact to first order in that spread, which leaves the percentiles within 0.1%. Over a whole run the
// pool also keeps nodes with a backlog, by cell and by their delay in steps of queue_timeout / 1024 at the mean
// delay of each step.

#include <cstdint>
#include <map>
#include <vector>

#include "engine/mmc_response.h"
#include "engine/response_table.h"

namespace shardsim::engine {

class LatencyMixture {
public:
    void clear()
    {
        m_terms.clear();
        m_total = 0;
    }
    // A node's served requests (weight > 0; others are ignored) with response time delay + Y; seconds.
    void add(double weight, const MmcResponse& response, double delay);
    double total() const { return m_total; }
    // The q-quantile (0 < q < 1) of the response time, s; 0 without requests. `guess` (a previous answer) only
    // speeds up the search.
    double quantile(double q, double guess = 0) const;

private:
    struct Term {
        double weight;
        MmcResponse response;
        double delay;
    };
    double tail(double t, double* density) const;

    std::vector<Term> m_terms;
    double m_total = 0;
};

class LatencyPool {
public:
    explicit LatencyPool(uint32_t cells);

    // Served requests of a node without a backlog, in its table cell.
    void add(uint32_t cell, double weight, double rho) { addSums(cell, weight, weight * rho); }
    // The same from a node's sums over several ticks in the cell: its served requests and their sum of weight x rho.
    void addSums(uint32_t cell, double weight, double weightedRho)
    {
        if (!(weight > 0))
            return;
        if (m_weight[cell] == 0)
            m_used.push_back(cell);
        m_weight[cell] += weight;
        m_weightedRho[cell] += weightedRho;
    }
    // Served requests of a node with `delay` s of backlog ahead of them (delay > 0), out of a queue of `timeout` s.
    void addDelayed(uint32_t cell, double weight, double rho, double delay, double timeout);
    // Everything of `other` (a tick's pool into the run's).
    void add(const LatencyPool& other);
    void clear();
    // One term per cell (and per delay step) into `mixture`.
    void fill(LatencyMixture& mixture, ResponseTable& table) const;

private:
    struct Delayed {
        double weight = 0;
        double weightedRho = 0;
        double weightedDelay = 0;
    };
    std::vector<double> m_weight; // per cell
    std::vector<double> m_weightedRho;
    std::vector<uint32_t> m_used; // cells with weight, in the order they first got some
    std::map<uint64_t, Delayed> m_delayed; // by cell << 32 | delay step
};

} // namespace shardsim::engine
