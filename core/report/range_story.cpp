#include "shardsim/report/range_story.h"

#include <fmt/format.h>

#include "shardsim/common/units.h"

namespace shardsim {

namespace {

    std::string plural(int count, const char* one, const char* many)
    {
        return fmt::format("{} {}", count, count == 1 ? one : many);
    }

    std::string nodeName(const RunResult& result, int node)
    {
        return node >= 0 && static_cast<size_t>(node) < result.nodes.size() ? result.nodes[static_cast<size_t>(node)].name
                                                                             : fmt::format("node-{}", node + 1);
    }

} // namespace

std::vector<std::string> rangeStory(const RunResult& result)
{
    std::vector<std::string> lines;
    if (!result.ranges)
        return lines;
    const RangesSummary& ranges = *result.ranges;
    lines.push_back(fmt::format("{} at the start, {} at the end: {} ({} by load), {}", plural(ranges.start, "range", "ranges"),
        ranges.end, plural(ranges.splits, "split", "splits"), ranges.loadSplits, plural(ranges.merges, "merge", "merges")));
    std::string moves = fmt::format("{} copied {}", plural(ranges.moves, "move", "moves"), units::formatSize(ranges.bytesMoved));
    if (ranges.leaderTransfers > 0)
        moves += fmt::format(", {} to a follower's node copied nothing",
            plural(ranges.leaderTransfers, "leader transfer", "leader transfers"));
    if (ranges.balancedAtS)
        moves += fmt::format("; balanced from {} with {} to {} ranges per node", result.clock().format(*ranges.balancedAtS),
            ranges.minRangesPerNode, ranges.maxRangesPerNode);
    else
        moves += fmt::format("; the balancer still had work when the run ended ({} to {} ranges per node)",
            ranges.minRangesPerNode, ranges.maxRangesPerNode);
    lines.push_back(moves);
    if (ranges.loadSplits > 0 && ranges.firstLoadSplitS && ranges.lastLoadSplitS) {
        const double span = *ranges.lastLoadSplitS - *ranges.firstLoadSplitS;
        lines.push_back(fmt::format("the hot range split {} {} and spread over {}",
            plural(ranges.loadSplits, "time", "times"),
            span > 0 ? "in " + units::formatDuration(span) : "at " + result.clock().format(*ranges.firstLoadSplitS),
            plural(ranges.loadSplitNodes, "node", "nodes")));
    }
    for (const UnsplittableRange& key : ranges.unsplittable) {
        const bool above = ranges.nodeMaxQps > 0 && key.rate > ranges.nodeMaxQps;
        lines.push_back(fmt::format("key {} stayed on {} at {}/s, {} what one node serves ({}/s): no split can divide "
                                    "a single key",
            key.key, nodeName(result, key.node), units::formatCount(key.rate), above ? "above" : "within",
            units::formatCount(ranges.nodeMaxQps)));
    }
    return lines;
}

std::string formatRangeStory(const RunResult& result)
{
    const std::vector<std::string> lines = rangeStory(result);
    if (lines.empty())
        return {};
    std::string text = "\nRanges\n";
    for (const std::string& line : lines)
        text += "  " + line + '\n';
    return text;
}

} // namespace shardsim
