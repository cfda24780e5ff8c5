#include "analyze_command.h"

#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "shardsim/report/shard_key_analysis.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim::cli {

namespace {

    struct AnalyzeOptions {
        std::string file;
        std::string table;
        std::vector<std::string> keys;
        std::vector<std::string> rules;
        std::vector<std::string> overrides;
        std::string trace; // a trace file of the scenario's operations, in place of its key law
        OutputFormat format = OutputFormat::Text;
    };

    nlohmann::ordered_json toJson(const TargetingShares& s)
    {
        return { { "single_shard", s.singleShard }, { "multi_shard", s.multiShard },
            { "scatter_gather", s.scatterGather } };
    }

    nlohmann::ordered_json toJson(const ShardKeyAnalysis& analysis)
    {
        nlohmann::ordered_json candidates = nlohmann::ordered_json::array();
        for (const ShardKeyCandidate& c : analysis.candidates) {
            nlohmann::ordered_json common = nlohmann::ordered_json::array();
            for (const KeyValueFrequency& v : c.mostCommon)
                common.push_back({ { "value", v.value }, { "frequency", v.frequency } });
            nlohmann::ordered_json candidate = { { "key", c.key }, { "rule", c.rule }, { "shards", c.shards },
                { "cardinality", c.cardinality }, { "most_common", common },
                { "monotonicity",
                    { { "coefficient", c.monotonicity }, { "type", monotonicityType(c) },
                        { "how", c.monotonicityHow } } },
                { "reads", toJson(c.reads) }, { "writes", toJson(c.writes) },
                { "hottest_shard_share", c.hottestShardShare } };
            if (!c.targetingFrom.empty())
                candidate["counted_from"] = "trace"; // reads, writes and the hottest shard: from the trace's rows
            candidate["verdict"] = c.verdict;
            candidates.push_back(std::move(candidate));
        }
        return { { "table", analysis.table }, { "candidates", candidates } };
    }

    int analyze(const AnalyzeOptions& options)
    {
        std::optional<ScenarioConfig> scenario = loadScenarioOrReport(options.file, options.overrides);
        if (!scenario)
            return kExitInvalid;
        if (!options.trace.empty()) {
            // Read like the workload's own trace, from where the command was given.
            scenario->workload.keys.kind = KeyDistributionKind::Trace;
            scenario->workload.keys.file = options.trace;
            scenario->workload.keys.resolvedFile = options.trace;
        }
        auto analysis = analyzeShardKeys(*scenario, options.table, options.keys, options.rules);
        if (!analysis) {
            std::cerr << options.file << ": error: " << analysis.error() << '\n';
            return kExitInvalid;
        }
        if (options.format == OutputFormat::Json)
            std::cout << toJson(*analysis).dump(2) << '\n';
        else
            std::cout << formatShardKeyAnalysis(*analysis);
        return kExitOk;
    }

} // namespace

std::function<int()> addAnalyzeCommand(CLI::App& app)
{
    auto options = std::make_shared<AnalyzeOptions>();
    CLI::App* command = app.add_subcommand("analyze",
        "Judge candidate shard keys: cardinality, most common values, monotonicity, targeting, hottest shard");
    command->add_option("file", options->file, "Scenario file")->required();
    command->add_option("--table", options->table, "Table to analyse (default: the first operation's table)");
    command->add_option("--key", options->keys, "Candidate column (repeat for several; default the shard key)");
    command->add_option("--rule", options->rules, "Candidate rule spec (repeat for several; default sharding.rule)");
    command->add_option("--trace", options->trace,
        "Trace of requests (time,op,key[,table] CSV): count the keys' values and order from its rows");
    command->add_option("--set", options->overrides, "Override a field: PATH=VALUE (cluster.nodes=16)");
    addFormatOption(*command, options->format);
    return [command, options]() -> int { return command->parsed() ? analyze(*options) : -1; };
}

} // namespace shardsim::cli
