#include "engine/retired_totals.h"

#include <algorithm>

namespace shardsim::engine {

void RetiredTotals::retire(Traffic& traffic)
{
    std::vector<double> shards;
    std::vector<double> current;
    traffic.totals(shards, current);
    operations.resize(current.size(), 0.0);
    for (size_t o = 0; o < current.size(); ++o)
        operations[o] += current[o];
    std::vector<QueryTotals> calls;
    traffic.queryTotals(calls);
    queries.resize(std::max(queries.size(), calls.size()));
    for (size_t o = 0; o < calls.size(); ++o)
        queries[o].add(calls[o]);
    std::vector<std::vector<double>> work;
    traffic.operationNodeWork(work);
    nodeWork.resize(std::max(nodeWork.size(), work.size()));
    for (size_t o = 0; o < work.size(); ++o) {
        std::vector<double>& retired = nodeWork[o];
        retired.resize(std::max(retired.size(), work[o].size()), 0.0);
        for (size_t n = 0; n < work[o].size(); ++n)
            retired[n] += work[o][n];
    }
}

std::vector<double> RetiredTotals::operationsWith(Traffic& traffic, std::vector<double>& shards) const
{
    std::vector<double> out;
    traffic.totals(shards, out);
    for (size_t o = 0; o < operations.size() && o < out.size(); ++o)
        out[o] += operations[o];
    return out;
}

std::vector<QueryTotals> RetiredTotals::queriesWith(Traffic& traffic) const
{
    std::vector<QueryTotals> current;
    traffic.queryTotals(current);
    if (queries.empty())
        return current;
    std::vector<QueryTotals> run = queries;
    run.resize(std::max(run.size(), current.size()));
    for (size_t o = 0; o < current.size(); ++o)
        run[o].add(current[o]);
    return run;
}

std::vector<std::vector<double>> RetiredTotals::nodeWorkWith(Traffic& traffic) const
{
    std::vector<std::vector<double>> work;
    traffic.operationNodeWork(work);
    work.resize(std::max(work.size(), nodeWork.size()));
    for (size_t o = 0; o < nodeWork.size(); ++o) {
        work[o].resize(std::max(work[o].size(), nodeWork[o].size()), 0.0);
        for (size_t n = 0; n < nodeWork[o].size(); ++n)
            work[o][n] += nodeWork[o][n];
    }
    return work;
}

} // namespace shardsim::engine
