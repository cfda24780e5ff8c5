#pragma once
// What the routing replaced at a cutover had counted: the run's totals are those of every routing it had.

#include <vector>

#include "engine/traffic.h"

namespace shardsim::engine {

struct RetiredTotals {
    std::vector<double> operations; // requests per operation
    std::vector<QueryTotals> queries; // calls per operation
    std::vector<std::vector<double>> nodeWork; // [operation][node]

    bool empty() const { return operations.empty(); } // no cutover yet
    // Adds the counts of `traffic`, about to be replaced.
    void retire(Traffic& traffic);
    // `traffic`'s counts with the retired ones: calls before the last cutover first, so a per-call value the whole
    // run shared stays as it was.
    std::vector<double> operationsWith(Traffic& traffic, std::vector<double>& shards) const;
    std::vector<QueryTotals> queriesWith(Traffic& traffic) const;
    std::vector<std::vector<double>> nodeWorkWith(Traffic& traffic) const;
};

} // namespace shardsim::engine
