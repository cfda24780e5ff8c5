#pragma once
// The `expect` section: assertions on the run's metrics, checked when the run ends.

#include <optional>
#include <string>

namespace shardsim {

struct ExpectConfig {
    std::string metric; // required; one of metricNames() (metric_names.h)
    std::optional<double> atMost; // the metric must be <= this
    std::optional<double> atLeast; // the metric must be >= this
    std::optional<double> equals; // the metric must equal this within 1e-9 relative
    std::optional<double> from; // s; the window starts here; default: the start
    std::optional<double> to; // s; the window ends here; default: the end
    int line = 0; // where the assertion was written, so a failure can point at it
    std::string origin; // empty: written in the file at `line`; else the override that added it: "--set 'expect=...'"
};

} // namespace shardsim
