#pragma once
// The metrics a run reports, by the names `expect:` blocks, reports and the run history use.
// This list is the one place they are defined; docs/scenario-format.md copies it.

#include <string>
#include <string_view>
#include <vector>

namespace shardsim {

struct MetricInfo {
    std::string_view name; // "imbalance.max_over_mean"
    std::string_view unit; // "ratio", "requests/s", "ms", "s", "fraction", "requests", "bytes", "rows"
    std::string_view summary; // one line for reports and --help
};

const std::vector<MetricInfo>& metricCatalog();
std::vector<std::string> metricNames();
const MetricInfo* findMetric(std::string_view name);

// The unit of a metric of the catalog or of `queries.<op>.<field>`; empty for an unknown name.
std::string_view metricUnit(std::string_view name);
// The name that replaces a deprecated metric name (still read, with a note), or empty when the name is current.
std::string_view replacementOfMetric(std::string_view name);

// Per-operation metrics `queries.<op>.<field>`: the fields of an operation's entry in summary.json's `queries`.
const std::vector<MetricInfo>& operationMetricFields(); // names are the field alone: "mean_fanout"
// The operation and the field of `queries.<op>.<field>` when the field is one of operationMetricFields().
bool splitOperationMetric(std::string_view name, std::string& op, std::string& field);

} // namespace shardsim
