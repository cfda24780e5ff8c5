// Golden summaries are compared structurally: every difference with its JSON path, numbers within a
// tiny tolerance.

#include <gtest/gtest.h>

#include "shardsim/report/json_diff.h"

namespace shardsim {
namespace {

    using Json = nlohmann::ordered_json;

    TEST(JsonDiff, EqualDocumentsHaveNoDifferences)
    {
        const Json doc = Json::parse(R"({"a": 1, "b": [1, 2, {"c": "x"}], "d": null, "e": true})");
        EXPECT_TRUE(diffJson(doc, doc).empty());
    }

    TEST(JsonDiff, EveryDifferenceHasItsPathAndBothValues)
    {
        const Json golden
            = Json::parse(R"({"requests": 100, "nodes": [{"name": "node-1"}, {"name": "node-2"}], "gone": 1})");
        const Json now = Json::parse(R"({"requests": 101, "nodes": [{"name": "node-1"}], "new key": "x"})");
        const auto differences = diffJson(golden, now);
        ASSERT_EQ(differences.size(), 4u);
        EXPECT_EQ(differences[0].path, "$.requests");
        EXPECT_EQ(differences[0].golden, "100");
        EXPECT_EQ(differences[0].now, "101");
        EXPECT_EQ(differences[1].path, "$.nodes[1]");
        EXPECT_EQ(differences[1].golden, R"({"name":"node-2"})");
        EXPECT_EQ(differences[1].now, "(missing)");
        EXPECT_EQ(differences[2].path, "$.gone");
        EXPECT_EQ(differences[2].now, "(missing)");
        EXPECT_EQ(differences[3].path, "$[\"new key\"]");
        EXPECT_EQ(differences[3].golden, "(missing)");
    }

    TEST(JsonDiff, NumbersMatchWithinOnePartInABillion)
    {
        const Json golden = Json::parse(R"({"share": 0.125, "count": 1000000, "cv": 0})");
        Json now = golden;
        now["share"] = 0.125 * (1 + 5e-10);
        now["count"] = 1000000.0; // an integer and its double are the same number
        now["cv"] = 3e-17; // rounding noise around zero
        EXPECT_TRUE(diffJson(golden, now).empty());
        now["share"] = 0.125 * (1 + 2e-9);
        const auto differences = diffJson(golden, now);
        ASSERT_EQ(differences.size(), 1u);
        EXPECT_EQ(differences[0].path, "$.share");
    }

    TEST(JsonDiff, TypesMustAgree)
    {
        EXPECT_EQ(diffJson(Json::parse(R"({"a": "1"})"), Json::parse(R"({"a": 1})")).size(), 1u);
        EXPECT_EQ(diffJson(Json::parse(R"({"a": null})"), Json::parse(R"({"a": 0})")).size(), 1u);
    }

} // namespace
} // namespace shardsim
