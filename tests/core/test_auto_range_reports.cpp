// summary.json's `ranges` has one codec: what core writes it reads back, so a run reopened from the history tells
// the same Ranges paragraph.

#include <gtest/gtest.h>

#include "shardsim/report/range_story.h"
#include "shardsim/report/summary_json.h"

namespace shardsim {

TEST(AutoRangeReports, SummaryJsonRangesReadBackAsWritten)
{
    RunResult result;
    result.scenario = "ranges";
    result.ticks = 60;
    result.tickSeconds = 1;
    result.nodes = { NodeSummary { "node-1", "", "" }, NodeSummary { "node-2", "", "" } };
    RangesSummary ranges;
    ranges.start = 4;
    ranges.end = 11;
    ranges.splits = 7;
    ranges.loadSplits = 7;
    ranges.moves = 3;
    ranges.bytesMoved = 2.5e8;
    ranges.leaderTransfers = 6;
    ranges.unsplittable = { UnsplittableRange { 9527, 14'000, 1 } };
    ranges.balancedAtS = 42;
    ranges.maxRangesPerNode = 6;
    ranges.minRangesPerNode = 5;
    ranges.firstLoadSplitS = 10;
    ranges.lastLoadSplitS = 50;
    ranges.loadSplitNodes = 2;
    ranges.nodeMaxQps = 10'000;
    result.ranges = ranges;

    const std::string text = summaryJson(result).dump();
    auto read = readSummaryJson(text);
    ASSERT_TRUE(read) << read.error();
    ASSERT_TRUE(read->ranges.has_value());
    EXPECT_EQ(summaryJson(*read).dump(), text);
    EXPECT_EQ(rangeStory(*read), rangeStory(result));
    const std::vector<std::string> story = rangeStory(result);
    ASSERT_EQ(story.size(), 4u);
    EXPECT_EQ(story[0], "4 ranges at the start, 11 at the end: 7 splits (7 by load), 0 merges");
    EXPECT_EQ(story[1], "3 moves copied 250 MB, 6 leader transfers to a follower's node copied nothing; balanced from "
                        "42s with 5 to 6 ranges per node");
    EXPECT_EQ(story[2], "the hot range split 7 times in 40s and spread over 2 nodes");
    EXPECT_EQ(story[3], "key 9527 stayed on node-2 at 14K/s, above what one node serves (10K/s): no split can divide "
                        "a single key");
}

} // namespace shardsim
