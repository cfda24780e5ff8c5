#include "shardsim/migration/rule_comparison_export.h"

#include <iterator>

#include "shardsim/common/csv_field.h"

namespace shardsim {

namespace {

    nlohmann::ordered_json ruleJson(const RuleComparison& row)
    {
        nlohmann::ordered_json entry {
            { "rule", row.spec },
            { "imbalance", row.imbalance },
            { "peak_imbalance", row.peakImbalance },
            { "hottest_node", row.hottestNode },
            { "hottest_share", row.hottestShare },
            { "peak_utilization", row.peakUtilization },
            { "fanout", row.fanout },
            { "requests", row.run.requests },
            { "failed_requests", row.run.failedRequests },
            { "events", row.events },
        };
        if (row.growthSpec.empty()) {
            entry["growth"] = nullptr;
        } else {
            entry["growth"] = { { "to", row.growthSpec }, { "moved_fraction", row.growthMovedFraction },
                { "optimum_fraction", row.growthOptimumFraction }, { "moved_bytes", row.growthMovedBytes } };
        }
        return entry;
    }

    // The CSV's columns are the JSON's leaves, so the two cannot name a field differently.
    const char* const kColumns[] { "/rule", "/imbalance", "/peak_imbalance", "/hottest_node", "/hottest_share",
        "/peak_utilization", "/fanout", "/requests", "/failed_requests", "/events", "/growth/to",
        "/growth/moved_fraction", "/growth/optimum_fraction", "/growth/moved_bytes" };

    std::string columnName(std::string pointer)
    {
        pointer.erase(0, 1);
        for (char& c : pointer)
            if (c == '/')
                c = '_';
        return pointer;
    }

    // Numbers as JSON writes them, null empty, a list of lines joined by "; ".
    std::string csvCell(const nlohmann::ordered_json& entry, const char* pointer)
    {
        const nlohmann::ordered_json::json_pointer path(pointer);
        if (!entry.contains(path) || entry.at(path).is_null())
            return {};
        const auto& value = entry.at(path);
        if (value.is_array()) {
            std::string lines;
            for (const auto& line : value)
                lines += (lines.empty() ? "" : "; ") + line.get<std::string>();
            return csvField(lines);
        }
        return value.is_string() ? csvField(value.get<std::string>()) : value.dump();
    }

} // namespace

nlohmann::ordered_json ruleComparisonJson(const std::string& scenario, const std::vector<RuleComparison>& rows)
{
    nlohmann::ordered_json out;
    out["scenario"] = scenario;
    if (!rows.empty()) {
        const GrowthStep& step = rows.front().growth;
        out["growth_step"] = { { "step", step.label() }, { "source", step.origin() } };
    }
    auto& list = out["rules"] = nlohmann::ordered_json::array();
    for (const RuleComparison& row : rows)
        list.push_back(ruleJson(row));
    return out;
}

std::string ruleComparisonCsv(const std::vector<RuleComparison>& rows)
{
    std::string csv;
    for (std::size_t c = 0; c < std::size(kColumns); ++c)
        csv += (c ? "," : "") + columnName(kColumns[c]);
    csv += '\n';
    for (const RuleComparison& row : rows) {
        const nlohmann::ordered_json entry = ruleJson(row);
        for (std::size_t c = 0; c < std::size(kColumns); ++c)
            csv += (c ? "," : "") + csvCell(entry, kColumns[c]);
        csv += '\n';
    }
    return csv;
}

} // namespace shardsim
