// "Did you mean" suggestions used by every unknown-name message of the scenario reader.

#include <gtest/gtest.h>

#include "shardsim/common/suggest.h"

namespace shardsim {
namespace {

    TEST(Suggest, EditDistance)
    {
        EXPECT_EQ(editDistance("", ""), 0u);
        EXPECT_EQ(editDistance("nodes", "nodes"), 0u);
        EXPECT_EQ(editDistance("nodse", "nodes"), 1u); // a swap of neighbours counts once
        EXPECT_EQ(editDistance("node", "nodes"), 1u);
        EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
        EXPECT_EQ(editDistance("NODES", "nodes"), 0u); // case does not count
        EXPECT_EQ(editDistance("peak-hour", "peak_hour"), 0u); // nor - against _
        EXPECT_EQ(editDistance("", "abc"), 3u);
    }

    TEST(Suggest, ClosestMatch)
    {
        const std::vector<std::string> keys = { "nodes", "node", "regions", "replication" };
        EXPECT_EQ(closestMatch("nodse", keys), std::optional<std::string>("nodes"));
        EXPECT_EQ(closestMatch("replicaton", keys), std::optional<std::string>("replication"));
        EXPECT_EQ(closestMatch("zzz", keys), std::nullopt);
        EXPECT_EQ(closestMatch("", keys), std::nullopt);
        EXPECT_EQ(closestMatch("region", keys), std::optional<std::string>("regions"));
        // A typed prefix finds the long name.
        EXPECT_EQ(closestMatch("login", { "uid", "login_name" }), std::optional<std::string>("login_name"));
        // Ties go to the first candidate.
        EXPECT_EQ(closestMatch("ab", { "ax", "ay" }), std::optional<std::string>("ax"));
    }

    TEST(Suggest, DidYouMean)
    {
        EXPECT_EQ(didYouMean("zpif", { "uniform", "zipf" }), "; did you mean 'zipf'?");
        EXPECT_EQ(didYouMean("something", { "uniform", "zipf" }), "");
        EXPECT_EQ(didYouMean(std::string(10'000, 'a'), { "a" }), "");
    }

} // namespace
} // namespace shardsim
