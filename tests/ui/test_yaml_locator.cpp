#include <gtest/gtest.h>

#include "editor/yaml_locator.h"

using shardsim::ui::YamlEdit;
using shardsim::ui::YamlLocator;

namespace {

const QString kScenario = QStringLiteral(R"(# comment: not a key
name: demo
cluster:
  nodes: 8          # a comment after the value
  node:
    max_qps: 20K
  regions: { east: 4, north: "2" }
data:
  tables:
  - name: t_user
    rows: 50M
  - name: t_order
workload:
  keys: { distribution: zipf, theta: 0.99 }
  rate: 50K/s
)");

QString apply(const QString& text, const YamlEdit& edit)
{
    QString result = text;
    result.replace(edit.start, edit.removeLength, edit.insert);
    return result;
}

QString set(const QString& text, const QString& path, const QString& value)
{
    const auto edit = YamlLocator(text).setValue(path, value);
    EXPECT_TRUE(edit.has_value()) << path.toStdString();
    return edit ? apply(text, *edit) : text;
}

} // namespace

TEST(YamlLocator, FindsBlockAndFlowScalarsWithoutTheirCommentsOrQuotes)
{
    const YamlLocator yaml(kScenario);
    ASSERT_TRUE(yaml.find("cluster.nodes"));
    EXPECT_EQ(yaml.find("cluster.nodes")->text, "8");
    EXPECT_EQ(yaml.find("cluster.node.max_qps")->text, "20K");
    EXPECT_EQ(yaml.find("cluster.regions.east")->text, "4");
    EXPECT_EQ(yaml.find("cluster.regions.north")->text, "2");
    EXPECT_EQ(yaml.find("cluster.regions.north")->quote, QLatin1Char('"'));
    EXPECT_EQ(yaml.find("workload.keys.theta")->text, "0.99");
    EXPECT_TRUE(yaml.find("workload.keys.theta")->inFlow);
    EXPECT_EQ(yaml.find("workload.rate")->text, "50K/s");
    EXPECT_TRUE(yaml.find("workload.keys")->mapping);
}

TEST(YamlLocator, DoesNotMistakeSequenceItemsOrCommentsForKeys)
{
    const YamlLocator yaml(kScenario);
    EXPECT_FALSE(yaml.find("comment"));
    EXPECT_FALSE(yaml.find("data.rows")) << "rows belongs to a list item";
    EXPECT_FALSE(yaml.find("data.tables")->scalar);
    EXPECT_FALSE(yaml.find("data.tables")->mapping);
    EXPECT_EQ(yaml.find("workload.rate")->text, "50K/s") << "keys after a compact list are still found";
}

TEST(YamlLocator, ReplacingAValueKeepsTheCommentAndEverythingElse)
{
    const QString edited = set(kScenario, "cluster.nodes", "16");
    EXPECT_TRUE(edited.contains("  nodes: 16          # a comment after the value\n"));
    EXPECT_EQ(QString(edited).replace("nodes: 16", "nodes: 8"), kScenario);
}

TEST(YamlLocator, ReplacingInAFlowMappingTouchesOnlyThatEntry)
{
    EXPECT_TRUE(set(kScenario, "workload.keys.theta", "1.2").contains("keys: { distribution: zipf, theta: 1.2 }"));
    EXPECT_TRUE(set(kScenario, "cluster.regions.north", "3").contains(R"(regions: { east: 4, north: "3" })"))
        << "the value keeps its quotes";
}

TEST(YamlLocator, AMissingKeyIsAddedToItsMappingInTheMappingsStyle)
{
    EXPECT_TRUE(
        set(kScenario, "cluster.node.storage", "2TB").contains("    max_qps: 20K\n    storage: 2TB\n  regions"));
    EXPECT_TRUE(set(kScenario, "workload.keys.hot_ops", "90%").contains("theta: 0.99, hot_ops: 90% }"));
    EXPECT_TRUE(set(kScenario, "cluster.replication", "2").contains("north: \"2\" }\n  replication: 2\ndata:"));
    const QString nested = set(kScenario, "sharding.rule", "mod:n=4");
    EXPECT_TRUE(nested.endsWith("  rate: 50K/s\nsharding:\n  rule: mod:n=4\n")) << nested.toStdString();
}

TEST(YamlLocator, ValuesThatWouldBeMisreadAreQuoted)
{
    EXPECT_EQ(YamlLocator::scalarText("db-table:dbs=8,tables=10", false), "db-table:dbs=8,tables=10");
    EXPECT_EQ(YamlLocator::scalarText("db-table:dbs=8,tables=10", true), "'db-table:dbs=8,tables=10'");
    EXPECT_EQ(YamlLocator::scalarText("a: b", false), "'a: b'");
    EXPECT_EQ(YamlLocator::scalarText("it's", false), "it's") << "an apostrophe inside plain text is fine";
    EXPECT_EQ(YamlLocator::scalarText("'quoted'", false), "\"'quoted'\"");
}

TEST(YamlLocator, ListsAndMappingsAreNotOverwrittenAsScalars)
{
    const YamlLocator yaml(kScenario);
    EXPECT_FALSE(yaml.setValue("data.tables", "x"));
    EXPECT_FALSE(yaml.setValue("workload.keys", "zipf"));
    EXPECT_FALSE(yaml.setValue("workload.rate.shape", "constant")) << "rate is a scalar, not a mapping";
}

TEST(YamlLocator, RemovesBlockLinesAndFlowEntriesWithTheirCommas)
{
    const YamlLocator yaml(kScenario);
    const QString withoutTheta = apply(kScenario, *yaml.removeKey("workload.keys.theta"));
    EXPECT_TRUE(withoutTheta.contains("keys: { distribution: zipf }"));
    const QString withoutDistribution = apply(kScenario, *yaml.removeKey("workload.keys.distribution"));
    EXPECT_TRUE(withoutDistribution.contains("keys: { theta: 0.99 }"));
    const QString withoutNode = apply(kScenario, *yaml.removeKey("cluster.node"));
    EXPECT_TRUE(withoutNode.contains("  nodes: 8          # a comment after the value\n  regions:"));
    EXPECT_FALSE(yaml.removeKey("cluster.nothing"));
}

TEST(YamlLocator, DeeplyNestedFlowMappingsAreNotEntered)
{
    // 40,000 levels on one line: each level used to rescan the rest of the line and take a stack frame.
    QString deep = QStringLiteral("x: ");
    for (int i = 0; i < 40'000; ++i)
        deep += QStringLiteral("{a: ");
    deep += QString(40'000, QLatin1Char('}')) + QStringLiteral("\ny: 1\n");
    const YamlLocator locator(deep);
    EXPECT_FALSE(locator.find(QStringLiteral("x.a"))) << "past the depth it reads nothing inside";
    ASSERT_TRUE(locator.find(QStringLiteral("y")));
    EXPECT_EQ(locator.find(QStringLiteral("y"))->text, QStringLiteral("1"));
    // Ordinary nesting still reads.
    const YamlLocator shallow(QStringLiteral("x: {a: {b: {c: 1}}}\n"));
    ASSERT_TRUE(shallow.find(QStringLiteral("x.a.b.c")));
    EXPECT_EQ(shallow.find(QStringLiteral("x.a.b.c"))->text, QStringLiteral("1"));
}
