#include "shardsim/report/failover_story.h"

#include <cmath>

#include <fmt/format.h>

#include "shardsim/common/units.h"

namespace shardsim {

namespace {

    std::string nodeName(const RunResult& result, int node)
    {
        return node >= 0 && static_cast<size_t>(node) < result.nodes.size() ? result.nodes[size_t(node)].name
                                                                            : fmt::format("node-{}", node + 1);
    }

    std::string regionOf(const RunResult& result, int node)
    {
        return node >= 0 && static_cast<size_t>(node) < result.nodes.size() ? result.nodes[size_t(node)].region
                                                                            : std::string();
    }

    // "node-3 (eu-west)", or "node-3" without regions.
    std::string placed(const RunResult& result, int node)
    {
        const std::string region = regionOf(result, node);
        return region.empty() ? nodeName(result, node) : fmt::format("{} ({})", nodeName(result, node), region);
    }

    // Whole seconds past a minute, tenths below: "1m3s", not "1m2.578s".
    std::string duration(double seconds)
    {
        return units::formatDuration(seconds >= 60 ? std::round(seconds) : std::round(seconds * 10) / 10);
    }

    // A moment of the run: the time of day when the scenario has a `start:`, else the time since the start.
    std::string moment(const RunResult& result, double seconds)
    {
        return result.start ? result.clock().format(seconds) : duration(seconds);
    }

    std::string databases(int count) { return count == 1 ? "1 database" : fmt::format("{} databases", count); }

    std::string percent(double fraction) { return fmt::format("{:.0f}%", fraction * 100); }

    // The re-replication started for this failure: the first of the node's after it failed.
    const MigrationSummary* reReplicationOf(const RunResult& result, const FailoverSummary& failover)
    {
        const std::string event = "re-replication of " + nodeName(result, failover.node);
        for (const MigrationSummary& migration : result.migrations)
            if (migration.kind == "re-replication" && migration.event == event && migration.atS >= failover.atS)
                return &migration;
        return nullptr;
    }

    std::string takeoverLine(const RunResult& result, const FailoverSummary& failover)
    {
        const int lostAndTaken = failover.databasesLost + failover.databasesTakenOver;
        std::string line = fmt::format("{} failed at {}", placed(result, failover.node), moment(result, failover.atS));
        if (failover.takeoverNode < 0)
            return line
                + fmt::format("; no copy of its {} was up elsewhere, so their requests failed while it was down",
                    databases(lostAndTaken));
        line += fmt::format(
            "; {} took over its {}", placed(result, failover.takeoverNode), databases(failover.databasesTakenOver));
        const std::string from = regionOf(result, failover.node);
        const std::string to = regionOf(result, failover.takeoverNode);
        if (from != to)
            line += fmt::format(" (cross-region failover: {} -> {}; its users now reach another region)",
                from.empty() ? "no region" : from, to.empty() ? "no region" : to);
        if (failover.databasesLost > 0)
            line += fmt::format("; {} had no copy up and failed", databases(failover.databasesLost));
        return line;
    }

    std::string loadLine(const RunResult& result, const FailoverSummary& failover)
    {
        const std::string name = nodeName(result, failover.takeoverNode);
        const double peak = failover.takeoverPeakUtilization;
        return fmt::format("{} peaked at {} offered load at {}{}", name, percent(peak),
            moment(result, failover.takeoverPeakAtS),
            peak > 1 ? ": overloaded, offered more than it can serve (the rest queued or was shed)"
                     : ", within its capacity");
    }

    std::string reReplicationLine(const RunResult& result, const FailoverSummary& failover)
    {
        const MigrationSummary* copy = reReplicationOf(result, failover);
        if (!copy)
            return fmt::format("No re-replication ran: {}",
                failover.takeoverNode < 0 || failover.databasesLost > 0 ? "there was no copy left to rebuild from"
                                                                        : "it did not start before the run ended");
        const std::string what
            = fmt::format("Re-replicating {}'s copies ({} at {}/s, from {})", nodeName(result, failover.node),
                units::formatSize(copy->movedBytes), units::formatSize(copy->bandwidth), moment(result, copy->atS));
        if (copy->finished)
            return what
                + fmt::format(
                    " took {}, done at {}", duration(copy->durationS), moment(result, copy->atS + copy->durationS));
        if (failover.recoveredAtS && *failover.recoveredAtS <= copy->atS + copy->durationS + 1e-9)
            return what + fmt::format(" stopped after {} when the node recovered", duration(copy->durationS));
        return what + fmt::format(" had not finished when the run ended ({} in)", duration(copy->durationS));
    }

    std::string impactLine(const RunResult& result, const FailoverSummary& failover)
    {
        const std::string until = failover.recoveredAtS
            ? fmt::format("until it recovered at {}", moment(result, *failover.recoveredAtS))
            : std::string("until the end of the run");
        return fmt::format("While {} was down ({}): {} requests shed, {} failed", nodeName(result, failover.node),
            until, units::formatCount(failover.shedRequests), units::formatCount(failover.failedRequests));
    }

    std::string usersLine(const RunResult& result, const FailoverSummary& failover)
    {
        if (failover.databasesLost == 0)
            return "No user lost access: every database kept a copy up";
        return fmt::format("Users affected: {:.3g}% of users had their data on a shard with no copy up",
            result.availability.affectedUsersFraction * 100);
    }

} // namespace

std::vector<std::vector<std::string>> failoverStory(const RunResult& result)
{
    std::vector<std::vector<std::string>> story;
    for (const FailoverSummary& failover : result.failovers) {
        std::vector<std::string> lines { takeoverLine(result, failover) };
        if (failover.takeoverNode >= 0)
            lines.push_back(loadLine(result, failover));
        lines.push_back(reReplicationLine(result, failover));
        lines.push_back(impactLine(result, failover));
        lines.push_back(usersLine(result, failover));
        story.push_back(std::move(lines));
    }
    return story;
}

std::string formatFailoverStory(const RunResult& result)
{
    const auto story = failoverStory(result);
    if (story.empty())
        return {};
    std::string text = "\nFailover\n";
    for (const auto& paragraph : story) {
        for (size_t i = 0; i < paragraph.size(); ++i)
            text += (i == 0 ? "  " : "    ") + paragraph[i] + '\n';
    }
    return text;
}

} // namespace shardsim
