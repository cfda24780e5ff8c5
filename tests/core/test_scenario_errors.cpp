// Every broken sample in tests/data/scenarios/invalid/ gives exactly the expected diagnostics: the
// right line and a message a person can act on, and nothing else (no follow-up noise).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    const std::string kInvalid = std::string(SHARDSIM_TEST_DATA) + "/scenarios/invalid/";

    struct Expected {
        const char* file;
        int line; // 0: the error has no line (the whole file)
        const char* fragment; // must appear in "PATH: MESSAGE"
    };

    // One row per expected diagnostic; a file with several rows must report all of them, and no more.
    const Expected kExpected[] = {
        // The text itself.
        { "empty.yaml", 0, "the scenario is empty" },
        { "comments-only.yaml", 0, "the scenario is empty" },
        { "binary-garbage.yaml", 3, "not a text file: found a NUL byte" },
        { "bad-utf8.yaml", 3, "not a text file: found the byte 0xE9, which is not UTF-8" },
        { "syntax-error.yaml", 5, "YAML syntax error: end of map flow not found" },
        { "syntax-error.json", 5, "YAML syntax error" },
        { "top-level-list.yaml", 2, "expected a mapping of sections" },
        { "multi-document.yaml", 14, "a second YAML document" },
        { "duplicate-key.yaml", 6, "duplicate key 'nodes' (first at line 5)" },
        { "alias-bomb.yaml", 7, "expands to more than 500000 values" },
        // Found before the YAML parser tokenises the brackets, so nothing below it is read.
        { "deep-nesting.yaml", 12, "nested deeper than 64 levels" },
        // Keys.
        { "unknown-top-key.yaml", 2, "unknown key 'nmae'; did you mean 'name'?" },
        { "unknown-top-key.yaml", 2, "missing required key 'name'" },
        { "unknown-nested-key.yaml", 6, "cluster: unknown key 'replicaton'; did you mean 'replication'?" },
        { "plan-section.yaml", 13, "plan: unknown key 'stepp'; did you mean 'step'?" },
        { "missing-required.yaml", 2, "missing required key 'duration'" },
        { "missing-required.yaml", 2, "missing required key 'workload'" },
        // Types, units and ranges.
        { "wrong-type-section.yaml", 4, "cluster: expected a mapping with keys such as nodes" },
        { "nodes-zero.yaml", 5, "cluster.nodes: must be at least 1 (got 0)" },
        { "nodes-over-limit.yaml", 5, "cluster.nodes: must be at most 100000, the node limit (got 200K)" },
        { "node-service-model.yaml", 6, "cluster.node.concurrency: must be at least 1 (got 0.5)" },
        { "node-service-model.yaml", 6, "cluster.node.queue_timeout: must be at least 1\u00b5s (got 0s)" },
        { "node-service-model.yaml", 16, "plan.node_types[0].concurrency: must be at most 1000000 (got 2000000)" },
        { "node-service-model.yaml", 17, "plan.node_types[1].queue_timeout: must be at most 1h (got 2h)" },
        { "node-service-model.yaml", 18, "plan.node_types[2].concurrency: expected a number like 0.99, got 'many'" },
        { "duration-not-a-duration.yaml", 3, "duration: expected a duration like 30s, got 'abc'" },
        { "duration-no-unit.yaml", 3, "duration: a duration needs a unit" },
        { "ticks-over-limit.yaml", 4, "is 31536000000 ticks; more than 10000000 (10^7) is the tick limit" },
        { "rows-absurd.yaml", 8, "data.tables[0].rows: must be at most 1000000000000000, the limit of 10^15 rows" },
        { "nan.yaml", 13, "workload.keys.theta: expected a number like 0.99, got '.nan'" },
        { "infinity.yaml", 8, "data.tables[0].row_size: expected a size like 512B, 4KB or 2GiB, got '.inf'" },
        { "negative-size.yaml", 8, "data.tables[0].row_size: a size must not be negative" },
        { "rate-wrong-unit.yaml", 12, "workload.rate: expected a rate like 50K/s or 2M/day, got '5GB'" },
        { "shape-unknown.yaml", 12, "unknown rate shape 'diurnl'; did you mean 'diurnal'?" },
        { "shape-param-not-applicable.yaml", 12, "'peak_hour' does not apply to shape 'double-11'" },
        { "points-not-increasing.yaml", 14, "workload.rate.points[2].at: times must increase: 20m is not after 30m" },
        { "distribution-unknown.yaml", 13, "unknown key distribution 'zpif'; did you mean 'zipf'?" },
        { "hotspot-range-reversed.yaml", 13, "workload.keys.at: the hot range must start before it ends" },
        { "trace-file-missing.yaml", 13, "workload.keys.file: no such file" },
        { "mix-kind-unknown.yaml", 15, "workload.mix[1].kind: unknown operation kind 'lookup'" },
        { "mix-field-not-applicable.yaml", 15, "workload.mix[1]: 'limit' does not apply to kind 'point'" },
        { "mix-zero-weight.yaml", 14, "the weights add up to 0" },
        // Cross-references.
        { "bound-to-missing.yaml", 9, "data.tables[1].bound_to: no table named 't_usr'; did you mean 't_user'?" },
        { "bound-to-cycle.yaml", 9, "bindings must not form a cycle" },
        { "bound-to-cycle.yaml", 10, "bindings must not form a cycle" },
        { "duplicate-table.yaml", 9, "duplicate table name 't_user' (first at line 8)" },
        { "mix-table-missing.yaml", 15, "workload.mix[1].table: no table named 't_users'; did you mean 't_user'?" },
        { "mix-by-unknown.yaml", 14, "table 't_user' has no column 'login'; did you mean 'login_name'?" },
        { "regions-sum.yaml", 6, "the regions hold 5 nodes but cluster.nodes is 4" },
        { "geo-region-unknown.yaml", 14, "'nort' is not a cluster region; did you mean 'north'?" },
        { "geo-sum.yaml", 14, "the shares add up to 0.9; they must add up to 1" },
        { "geo-without-regions.yaml", 13, "the cluster has no regions" },
        { "lookup-column-unknown.yaml", 11, "no table has a column 'login_nam'; did you mean 'login_name'?" },
        { "fail-node-missing.yaml", 15, "events[1].fail_node: no node 13 at " },
        { "remove-node-twice.yaml", 15, "node 2 no longer exists at 2h (it was removed)" },
        { "recover-not-failed.yaml", 14, "node 1 has not failed at 1h" },
        { "event-after-end.yaml", 14, "events[0].at: must be at most 3h, the scenario's duration (got 5h)" },
        { "event-no-action.yaml", 14, "an event needs at least one of add_nodes" },
        { "migration-alone.yaml", 15, "'migration' needs an event that moves data" },
        { "metric-unknown.yaml", 14,
            "unknown metric 'imbalance.max_over_men'; did you mean 'imbalance.max_over_mean'?" },
        { "expect-no-bound.yaml", 14, "an assertion needs at_most, at_least or equals" },
        { "op-metric-unknown.yaml", 14, "no operation named 'transfr' in workload.mix; did you mean 'transfer'?" },
        { "split-read-by-unknown.yaml", 12,
            "data.tables[0].split.columns.profile.read_by: no operation named 'get_profil' in workload.mix; did you "
            "mean 'get_profile'?" },
        { "read-from-unknown.yaml", 7, "cluster.read_from: unknown replica choice 'closest'" },
        // Business databases (data.databases) and the references to them.
        { "databases-not-a-list.yaml", 7, "data.databases: expected a list of business databases like [{ name: "
                                          "order_db, nodes: 4 }], got a mapping" },
        { "databases-misspelt.yaml", 7, "data: unknown key 'databse'; did you mean 'databases'?" },
        { "databases-duplicate-name.yaml", 9,
            "data.databases[1].name: duplicate business database name 'order_db' (first at line 8)" },
        { "databases-entry-keys.yaml", 9, "data.databases[1]: missing required key 'nodes'" },
        { "databases-entry-keys.yaml", 10, "data.databases[1]: unknown key 'node'; did you mean 'nodes'?" },
        { "databases-nodes-zero.yaml", 9, "data.databases[1].nodes: must be at least 1 (got 0)" },
        { "databases-nodes-sum.yaml", 7,
            "data.databases: the business databases own 6 nodes but cluster.nodes is 8: every node belongs to "
            "exactly one" },
        { "databases-replication.yaml", 10,
            "data.databases[1].nodes: member_db owns 1 node but cluster.replication is 2: the copies of a shard go "
            "to different nodes of its business database" },
        { "databases-unused.yaml", 9,
            "data.databases[1].name: no table is in payment_db: every business database holds at least one table" },
        { "table-database-unknown.yaml", 12,
            "data.tables[1].database: no business database named 'order' in data.databases; did you mean "
            "'order_db'?" },
        { "table-database-missing.yaml", 12,
            "data.tables[1]: missing required key 'database' (with data.databases every table belongs to one "
            "business database, e.g. database: order_db)" },
        { "table-database-undeclared.yaml", 8,
            "data.tables[0].database: data.databases declares no business databases" },
        { "table-database-bound-to.yaml", 12,
            "data.tables[1].database: t_order_item is bound_to t_order, so its rows live with t_order's: "
            "t_order_item is in payment_db but t_order in order_db; put both in one business database" },
        { "databases-with-regions.yaml", 6,
            "cluster.regions: regions and business databases (data.databases) cannot be combined yet" },
        { "databases-geo-rule.yaml", 14,
            "sharding.rule: a geo rule and business databases (data.databases) cannot be combined yet" },
        { "databases-geo-rule.yaml", 18,
            "events[0].reshard: a geo rule and business databases (data.databases) cannot be combined yet" },
        { "databases-placement.yaml", 15,
            "sharding.placement: with data.databases each business database places its logical databases "
            "round-robin on its own nodes; leave placement out or write round-robin" },
        { "databases-placement.yaml", 19, "events[0].placement: with data.databases each business database places "
                                          "its logical databases round-robin on its own nodes; a placement event "
                                          "cannot move them" },
        { "databases-trace.yaml", 17,
            "workload.keys.distribution: a trace replay and business databases (data.databases) cannot be combined "
            "yet" },
        { "mix-across-databases.yaml", 20,
            "workload.mix[1].tables: t_order is in order_db and t_user in member_db: a query cannot join or commit "
            "across business databases; the application calls each database's service, so write one operation per "
            "database" },
        { "mix-across-databases.yaml", 21, "workload.mix[2].tables: t_order is in order_db and t_region in member_db" },
        { "add-nodes-no-database.yaml", 18,
            "events[0].add_nodes: with data.databases the added nodes join one business database: write add_nodes: "
            "{ count: 2, database: order_db }" },
        { "add-nodes-no-database.yaml", 19,
            "events[1].add_nodes: missing required key 'database' (the business database the nodes join, e.g. "
            "database: order_db)" },
        { "add-nodes-database-unknown.yaml", 18,
            "events[0].add_nodes.database: no business database named 'ordr_db' in data.databases; did you mean "
            "'order_db'?" },
        { "add-nodes-database-undeclared.yaml", 14,
            "events[0].add_nodes.database: data.databases declares no business databases" },
        { "remove-last-node-of-database.yaml", 18,
            "events[0].remove_node: node 3 is the last node of member_db at 1h: the business database would have "
            "no nodes left" },
        { "remove-last-node-of-database.yaml", 22,
            "events[4].remove_node: node 4 is the last node of member_db at 4h" },
        // Rules, checked by makeRule and reported at the rule's line.
        { "rule-unknown.yaml", 10, "sharding.rule: unknown rule 'modd'; did you mean 'mod'?" },
        { "rule-bad-param.yaml", 10, "sharding.rule: rule 'db-table' needs parameter 'tables'" },
        { "reshard-invalid.yaml", 14, "events[0].reshard: parameter 'n' of rule 'mod'" },
        { "placement-wrong-length.yaml", 11, "lists 3 databases but the rule has 4" },
        { "placement-node-missing.yaml", 11, "sharding.placement.explicit[3]: no node 9" },
        // Several independent mistakes are all reported, in line order.
        { "multiple-errors.yaml", 5, "cluster.nodes: must not be negative" },
        { "multiple-errors.yaml", 8, "unknown unit 'parsecs'" },
        { "multiple-errors.yaml", 13, "workload.keys.theta: expected a number like 0.99, got 'high'" },
    };

    std::string pathAndMessage(const Diagnostic& diagnostic)
    {
        return diagnostic.path.empty() ? diagnostic.message : diagnostic.path + ": " + diagnostic.message;
    }

    class InvalidScenario : public ::testing::TestWithParam<std::string> { };

    TEST_P(InvalidScenario, ReportsExactlyTheExpectedErrors)
    {
        const std::string file = GetParam();
        std::vector<Expected> expected;
        for (const auto& row : kExpected) {
            if (file == row.file)
                expected.push_back(row);
        }
        ASSERT_FALSE(expected.empty()) << file << " has no expectation in kExpected";

        const ScenarioLoad load = loadScenarioFile(kInvalid + file);
        EXPECT_FALSE(load.ok());
        EXPECT_FALSE(load.config.has_value());
        EXPECT_EQ(load.diagnostics.size(), expected.size()) << load.errorText();
        for (const auto& row : expected) {
            bool found = false;
            for (const auto& diagnostic : load.diagnostics) {
                found = found
                    || (diagnostic.line == row.line
                        && pathAndMessage(diagnostic).find(row.fragment) != std::string::npos);
            }
            EXPECT_TRUE(found) << "expected line " << row.line << ": " << row.fragment << "\ngot:\n"
                               << load.errorText();
        }
        for (const auto& diagnostic : load.diagnostics) {
            EXPECT_EQ(diagnostic.file, kInvalid + file);
            EXPECT_NE(diagnostic.format().find(": error: "), std::string::npos);
        }
    }

    std::vector<std::string> invalidFiles()
    {
        std::set<std::string> files;
        for (const auto& entry : std::filesystem::directory_iterator(kInvalid))
            files.insert(entry.path().filename().string());
        return { files.begin(), files.end() };
    }

    std::string testName(const ::testing::TestParamInfo<std::string>& info)
    {
        std::string name;
        for (char c : info.param)
            name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
        return name;
    }

    INSTANTIATE_TEST_SUITE_P(Samples, InvalidScenario, ::testing::ValuesIn(invalidFiles()), testName);

    TEST(ScenarioErrors, EverySampleIsCovered)
    {
        const std::vector<std::string> files = invalidFiles();
        EXPECT_GE(files.size(), 25u);
        for (const auto& row : kExpected)
            EXPECT_NE(std::find(files.begin(), files.end(), row.file), files.end()) << row.file << " is missing";
    }

    TEST(ScenarioErrors, CompilerStyleFormat)
    {
        std::ifstream in(kInvalid + "nodes-zero.yaml");
        std::stringstream text;
        text << in.rdbuf();
        const ScenarioLoad load = loadScenarioText(text.str(), "nodes-zero.yaml", "");
        ASSERT_EQ(load.diagnostics.size(), 1u);
        EXPECT_EQ(
            load.diagnostics[0].format(), "nodes-zero.yaml:5:10: error: cluster.nodes: must be at least 1 (got 0)");
        EXPECT_EQ(load.errorText(), load.diagnostics[0].format() + "\n");
    }

    TEST(ScenarioErrors, DiagnosticsAreInLineOrder)
    {
        const ScenarioLoad load = loadScenarioFile(kInvalid + "multiple-errors.yaml");
        ASSERT_EQ(load.diagnostics.size(), 3u);
        EXPECT_LT(load.diagnostics[0].line, load.diagnostics[1].line);
        EXPECT_LT(load.diagnostics[1].line, load.diagnostics[2].line);
    }

} // namespace
} // namespace shardsim
