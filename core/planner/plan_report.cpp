#include "shardsim/planner/plan_report.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "shardsim/common/units.h"

namespace shardsim {

namespace {

    // JSON numbers stay readable and stable: ratios to 4 decimals, counts as they are.
    double rounded(double value, int decimals = 4)
    {
        const double scale = std::pow(10.0, decimals);
        return std::round(value * scale) / scale;
    }

    std::string percent(double fraction) { return fmt::format("{:.1f}%", fraction * 100); }

    std::string duration(double seconds)
    {
        if (seconds < 1)
            return "under a second";
        if (seconds < 3'600)
            return fmt::format("{:.0f} min", std::ceil(seconds / 60));
        if (seconds < 2 * 86'400)
            return fmt::format("{:.1f} h", seconds / 3'600);
        return fmt::format("{:.1f} days", seconds / 86'400);
    }

    std::string constraintWords(const std::string& name)
    {
        if (name == "qps")
            return "peak load (qps)";
        if (name == "storage")
            return "storage";
        if (name == "rows_per_table")
            return "rows per table";
        if (name == "latency")
            return "p99 latency";
        if (name == "hot_key")
            return "a hot key";
        return name;
    }

    nlohmann::ordered_json todayJson(const TodayCluster& today)
    {
        nlohmann::ordered_json json;
        json["nodes"] = today.nodes;
        json["rule"] = today.rule;
        json["peak_utilization"]
            = today.peakUtilization ? nlohmann::ordered_json(rounded(*today.peakUtilization)) : nlohmann::ordered_json();
        json["monthly_cost"] = rounded(today.monthlyCost, 2);
        return json;
    }

    nlohmann::ordered_json verificationJson(const PlanVerification& verification)
    {
        nlohmann::ordered_json json;
        json["passed"] = verification.passed;
        nlohmann::ordered_json runs = nlohmann::ordered_json::array();
        for (const VerificationRun& run : verification.runs) {
            nlohmann::ordered_json entry;
            entry["period"] = run.period;
            entry["time_s"] = run.time;
            entry["engine"] = run.engine;
            entry["seed"] = run.seed ? nlohmann::ordered_json(*run.seed) : nlohmann::ordered_json();
            entry["cluster"] = run.cluster;
            entry["nodes"] = run.nodes;
            entry["rule"] = run.rule;
            entry["simulated_s"] = run.seconds;
            entry["failed_requests"] = std::round(run.failedRequests);
            entry["ok"] = run.ok;
            nlohmann::ordered_json limits = nlohmann::ordered_json::array();
            for (const LimitCheck& limit : run.limits) {
                nlohmann::ordered_json check;
                check["limit"] = limit.limit;
                check["value"] = rounded(limit.value, limit.limit == "rows_per_table" ? 0 : 4);
                check["bound"] = limit.bound;
                check["margin"] = rounded(limit.margin);
                check["ok"] = limit.ok;
                limits.push_back(check);
            }
            entry["limits"] = limits;
            runs.push_back(entry);
        }
        json["runs"] = runs;
        json["steps"] = verification.steps;
        return json;
    }

    std::string limitValue(const LimitCheck& limit)
    {
        if (limit.limit == "utilization" || limit.limit == "storage")
            return percent(limit.value);
        if (limit.limit == "p99_latency_ms")
            return fmt::format("{:.2f} ms", limit.value);
        return units::formatCount(limit.value);
    }

    std::string limitWords(const std::string& limit)
    {
        if (limit == "utilization")
            return "utilisation";
        if (limit == "p99_latency_ms")
            return "p99 latency";
        if (limit == "rows_per_table")
            return "rows/table";
        return limit;
    }

    // "8 nodes today → 10" with the rule, the peak utilisation and the monthly cost of both.
    std::string todayText(const CapacityPlan& plan)
    {
        const TodayCluster& today = plan.today;
        const auto& r = plan.recommended;
        std::string out = fmt::format("\nToday → recommended: {} node{} today → {} ({} → {})", today.nodes,
            today.nodes == 1 ? "" : "s", r.nodes, today.rule, r.rule);
        const std::string before = today.peakUtilization ? percent(*today.peakUtilization) : std::string("unknown");
        out += fmt::format("; peak utilisation {} → {}", before, percent(plan.timeline.front().peakUtilization));
        if (today.monthlyCost > 0 || r.monthlyCost > 0)
            out += fmt::format("; {:.0f} → {:.0f} per month", today.monthlyCost, r.monthlyCost);
        return out + ".\n";
    }

    // The limits in the order the runs check them, each once.
    std::vector<std::string> checkedLimits(const std::vector<VerificationRun>& runs)
    {
        std::vector<std::string> names;
        for (const VerificationRun& run : runs)
            for (const LimitCheck& limit : run.limits)
                if (std::find(names.begin(), names.end(), limit.limit) == names.end())
                    names.push_back(limit.limit);
        return names;
    }

    // A run that broke a limit or had a request refused, on a line of its own.
    std::string brokenRunText(const VerificationRun& run)
    {
        const std::string who = fmt::format("{} {}{} {} on {} nodes", run.period, run.engine,
            run.seed ? fmt::format(" seed {}", *run.seed) : std::string(), run.cluster, run.nodes);
        std::string out;
        for (const LimitCheck& limit : run.limits) {
            if (limit.ok)
                continue;
            LimitCheck bound = limit;
            bound.value = limit.bound;
            out += fmt::format("  BROKEN: {}: {} {} > {} (margin {:.1f}%)\n", who, limitWords(limit.limit),
                limitValue(limit), limitValue(bound), limit.margin * 100);
        }
        if (run.failedRequests > 0)
            out += fmt::format("  BROKEN: {}: {} requests refused by the rule\n", who,
                units::formatCount(run.failedRequests));
        return out;
    }

    // One line per period and cluster: each limit's smallest margin over the expected run and the sampled runs.
    std::string verificationText(const PlanVerification& verification)
    {
        std::string out = "\nVerification: each period's recommended layout run as `run` would run it then (expected "
                          "engine over the whole scenario, sampled engine with three seeds over the ticks around the "
                          "peak); each limit's smallest margin over those runs, margin = (limit - value) / limit:\n\n";
        for (const std::string& step : verification.steps)
            out += fmt::format("  - {}.\n", step);
        if (!verification.steps.empty())
            out += "\n";
        const std::vector<std::string> limits = checkedLimits(verification.runs);
        out += fmt::format("  {:<12} {:<10} {:>6} {:>5}", "period", "cluster", "nodes", "runs");
        for (const std::string& limit : limits)
            out += fmt::format(" {:>12}", limitWords(limit));
        out += "\n";
        std::string broken;
        for (std::size_t i = 0; i < verification.runs.size();) {
            const VerificationRun& first = verification.runs[i];
            std::size_t end = i;
            std::vector<std::optional<double>> margins(limits.size());
            bool ok = true;
            for (; end < verification.runs.size() && verification.runs[end].period == first.period
                 && verification.runs[end].cluster == first.cluster;
                 ++end) {
                const VerificationRun& run = verification.runs[end];
                ok = ok && run.ok;
                broken += brokenRunText(run);
                for (const LimitCheck& limit : run.limits) {
                    auto& margin = margins[std::find(limits.begin(), limits.end(), limit.limit) - limits.begin()];
                    margin = std::min(margin.value_or(limit.margin), limit.margin);
                }
            }
            out += fmt::format("  {:<12} {:<10} {:>6} {:>5}", first.period, first.cluster, first.nodes, end - i);
            for (const auto& margin : margins)
                out += margin ? fmt::format(" {:>11.1f}%", *margin * 100) : fmt::format(" {:>12}", "-");
            out += ok ? "  ok\n" : "  BROKEN\n";
            i = end;
        }
        if (!broken.empty())
            out += "\n" + broken;
        out += verification.passed ? "\nEvery run keeps every limit.\n" : "\nThe verification failed.\n";
        return out;
    }

} // namespace

nlohmann::ordered_json planJson(const CapacityPlan& plan)
{
    nlohmann::ordered_json json;
    json["feasible"] = plan.feasible;
    json["reason"] = plan.reason;
    json["horizon"] = plan.horizon;
    nlohmann::ordered_json limits;
    limits["max_utilization"] = plan.limits.maxUtilization;
    limits["max_storage"] = plan.limits.maxStorage;
    limits["max_rows_per_table"] = plan.limits.maxRowsPerTable;
    limits["max_p99_latency_ms"]
        = plan.limits.maxP99Latency ? nlohmann::ordered_json(*plan.limits.maxP99Latency * 1e3) : nlohmann::ordered_json();
    limits["tolerate_failures"] = plan.limits.tolerateFailures;
    json["limits"] = limits;

    nlohmann::ordered_json recommended;
    if (plan.feasible) {
        recommended["rule"] = plan.recommended.rule;
        recommended["family"] = plan.recommended.family;
        recommended["node_type"] = plan.recommended.nodeType;
        recommended["nodes"] = plan.recommended.nodes;
        recommended["tables"] = plan.recommended.tables;
        recommended["databases"] = plan.recommended.databases;
        recommended["monthly_cost"] = rounded(plan.recommended.monthlyCost, 2);
        recommended["binding_constraint"] = plan.recommended.bindingConstraint;
    }
    json["recommended"] = plan.feasible ? recommended : nlohmann::ordered_json();
    if (!plan.feasible)
        json["binding_constraint"] = plan.recommended.bindingConstraint;

    nlohmann::ordered_json timeline = nlohmann::ordered_json::array();
    for (const PlanPeriod& row : plan.timeline) {
        nlohmann::ordered_json entry;
        entry["period"] = row.period;
        entry["time_s"] = row.time;
        entry["nodes"] = row.nodes;
        entry["databases"] = row.databases;
        entry["tables_per_database"] = row.tablesPerDatabase;
        entry["tables"] = row.tables;
        entry["rule"] = row.rule;
        entry["binding_constraint"] = row.bindingConstraint;
        entry["peak_qps"] = rounded(row.peakQps, 1);
        entry["peak_utilization"] = rounded(row.peakUtilization);
        entry["failover_utilization"] = rounded(row.failoverUtilization);
        entry["storage_fraction"] = rounded(row.storageFraction);
        entry["max_rows_per_table"] = std::round(row.maxRowsPerTable);
        entry["p99_latency_ms"] = rounded(row.p99LatencyMs, 3);
        entry["latency"] = { { "p50_ms", rounded(row.latency.p50Ms) }, { "p95_ms", rounded(row.latency.p95Ms) },
            { "p99_ms", rounded(row.latency.p99Ms) }, { "p999_ms", rounded(row.latency.p999Ms) } };
        entry["rows"] = std::round(row.rows);
        entry["monthly_cost"] = rounded(row.monthlyCost, 2);
        timeline.push_back(entry);
    }
    json["timeline"] = timeline;

    nlohmann::ordered_json reshards = nlohmann::ordered_json::array();
    for (const PlanReshard& reshard : plan.reshards) {
        nlohmann::ordered_json entry;
        entry["when"] = reshard.period;
        entry["time_s"] = reshard.time;
        entry["from_nodes"] = reshard.fromNodes;
        entry["to_nodes"] = reshard.toNodes;
        entry["from_rule"] = reshard.fromRule;
        entry["to_rule"] = reshard.toRule;
        entry["moved_fraction"] = rounded(reshard.movedFraction);
        entry["optimum_fraction"] = rounded(reshard.optimumFraction);
        entry["moved_rows"] = std::round(reshard.movedRows);
        entry["moved_bytes"] = std::round(reshard.movedBytes);
        entry["duration_s"] = rounded(reshard.seconds, 1);
        entry["what"] = reshard.what;
        reshards.push_back(entry);
    }
    json["reshards"] = reshards;

    nlohmann::ordered_json split;
    split["recommended"] = plan.preSplit.recommended;
    split["databases"] = plan.preSplit.databases;
    split["rule"] = plan.preSplit.rule;
    split["moved_bytes"] = std::round(plan.preSplit.movedBytes);
    split["moved_bytes_resharding"] = std::round(plan.preSplit.movedBytesResharding);
    split["reason"] = plan.preSplit.reason;
    json["pre_split"] = split;

    nlohmann::ordered_json alternatives = nlohmann::ordered_json::array();
    for (const PlanAlternative& alternative : plan.alternatives) {
        nlohmann::ordered_json entry;
        entry["rule"] = alternative.rule;
        entry["node_type"] = alternative.nodeType;
        entry["feasible"] = alternative.feasible;
        entry["nodes"] = alternative.nodes;
        entry["final_nodes"] = alternative.finalNodes;
        entry["monthly_cost"] = rounded(alternative.monthlyCost, 2);
        entry["horizon_cost"] = rounded(alternative.horizonCost, 2);
        entry["moved_bytes"] = std::round(alternative.movedBytes);
        entry["binding_constraint"] = alternative.bindingConstraint;
        entry["reason"] = alternative.reason;
        entry["sized_until"] = alternative.sizedUntil.empty() ? nlohmann::ordered_json()
                                                               : nlohmann::ordered_json(alternative.sizedUntil);
        alternatives.push_back(entry);
    }
    json["alternatives"] = alternatives;
    json["today"] = todayJson(plan.today);
    json["verification"] = plan.verification ? verificationJson(*plan.verification) : nlohmann::ordered_json();
    json["notes"] = plan.notes;
    json["window_s"] = plan.windowSeconds;
    json["simulations"] = plan.simulations;
    return json;
}

std::string planText(const CapacityPlan& plan, const std::string& scenarioName)
{
    std::string out;
    const PlanLimits& limits = plan.limits;
    out += fmt::format("Capacity plan: {} ({})\n\n", scenarioName, plan.horizon);
    out += fmt::format("Limits: peak utilisation <= {}, storage <= {}, rows per table <= {}{}, tolerating {} failed "
                       "node{}.\n",
        percent(limits.maxUtilization), percent(limits.maxStorage), units::formatCount(double(limits.maxRowsPerTable)),
        limits.maxP99Latency ? fmt::format(", p99 <= {:.1f} ms", *limits.maxP99Latency * 1e3) : std::string(),
        limits.tolerateFailures, limits.tolerateFailures == 1 ? "" : "s");
    if (!plan.feasible) {
        out += fmt::format("\nNo cluster meets these limits ({}).\n{}\n", plan.recommended.bindingConstraint, plan.reason);
    } else {
        const auto& r = plan.recommended;
        const std::string nodeWord = r.nodeType == "node" ? "node" : r.nodeType + " node";
        if (r.family.rfind("auto-range", 0) == 0) {
            out += fmt::format("\nRecommendation: {} on {} {}{} now; its ranges follow the data, split and moved by "
                               "its balancer{}. The binding constraint is {}.\n",
                r.rule, r.nodes, nodeWord, r.nodes == 1 ? "" : "s",
                r.monthlyCost > 0 ? fmt::format(", {:.0f} per month", r.monthlyCost) : std::string(),
                constraintWords(r.bindingConstraint));
        } else {
            out += fmt::format("\nRecommendation: {} on {} {}{} now: {} logical database{} x {} table{} each = {} "
                               "tables{}. The binding constraint is {}.\n",
                r.rule, r.nodes, nodeWord, r.nodes == 1 ? "" : "s", r.databases, r.databases == 1 ? "" : "s",
                plan.timeline.front().tablesPerDatabase, plan.timeline.front().tablesPerDatabase == 1 ? "" : "s",
                r.tables, r.monthlyCost > 0 ? fmt::format(", {:.0f} per month", r.monthlyCost) : std::string(),
                constraintWords(r.bindingConstraint));
        }
        out += todayText(plan);
        out += "\nTimeline (each period simulated at its peak; utilisation after failures in brackets):\n\n";
        out += fmt::format("  {:<12} {:>6} {:>8} {:>12} {:>16} {:>8} {:>14}  {}\n", "period", "nodes", "tables",
            "peak qps", "peak util", "storage", "rows/table", "binding");
        for (const PlanPeriod& row : plan.timeline)
            out += fmt::format("  {:<12} {:>6} {:>8} {:>12} {:>16} {:>8} {:>14}  {}\n", row.period, row.nodes,
                row.tables, units::formatCount(row.peakQps),
                fmt::format("{} ({})", percent(row.peakUtilization), percent(row.failoverUtilization)),
                percent(row.storageFraction), units::formatCount(row.maxRowsPerTable), row.bindingConstraint);
        if (plan.reshards.empty()) {
            out += "\nReshards: none over the horizon.\n";
        } else {
            out += "\nReshards:\n";
            // An auto-range rule stays; its balancer's own pace is in `what`.
            const bool balancer = plan.recommended.family.rfind("auto-range", 0) == 0;
            for (const PlanReshard& reshard : plan.reshards)
                out += balancer
                    ? fmt::format("  - {}: {} -> {} nodes: {}.\n", reshard.period, reshard.fromNodes, reshard.toNodes,
                          reshard.what)
                    : fmt::format("  - {}: {} -> {} nodes ({} -> {}): {}; {} at the migration bandwidth.\n",
                          reshard.period, reshard.fromNodes, reshard.toNodes, reshard.fromRule, reshard.toRule,
                          reshard.what, duration(reshard.seconds));
        }
        out += fmt::format("\nPre-split: {}.\n", plan.preSplit.reason);
    }
    if (plan.verification)
        out += verificationText(*plan.verification);
    const bool sameReason = !plan.feasible
        && std::all_of(plan.alternatives.begin(), plan.alternatives.end(),
            [&](const PlanAlternative& alternative) { return alternative.reason == plan.reason; });
    if (sameReason && !plan.alternatives.empty()) {
        out += fmt::format("\nEvery other rule considered ({}) fails for the same reason.\n", plan.alternatives.size());
    } else if (!plan.alternatives.empty()) {
        out += "\nAlternatives:\n\n";
        out += fmt::format("  {:<13} {:<10} {:>6} {:>8}  {}\n", "rule", "node type", "nodes", "at end", "why not");
        for (const PlanAlternative& alternative : plan.alternatives)
            out += fmt::format("  {:<13} {:<10} {:>6} {:>8}  {}\n", alternative.rule, alternative.nodeType,
                alternative.feasible ? std::to_string(alternative.nodes) : "-",
                !alternative.feasible        ? std::string("-")
                    : alternative.sizedUntil.empty() ? std::to_string(alternative.finalNodes)
                                                     : ">=" + std::to_string(alternative.finalNodes),
                alternative.reason);
    }
    for (const std::string& note : plan.notes)
        out += fmt::format("\nNote: {}.\n", note);
    if (plan.simulations == 0)
        out += "\nMethod: the hottest key's rate against one node's; no simulation was needed (docs/planner.md).\n";
    else
        out += fmt::format("\nMethod: the expected-value engine simulated {} runs, each a {} window around the "
                           "rate's peak with the data and rates grown to the period (docs/planner.md).\n",
            plan.simulations, units::formatDuration(plan.windowSeconds));
    if (plan.recommended.family.rfind("auto-range", 0) == 0)
        out += "An auto-range layout's runs start at the scenario's start instead, so that its ranges have split and "
               "moved as the load before the peak made them.\n";
    return out;
}

} // namespace shardsim
