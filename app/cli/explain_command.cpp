#include "explain_command.h"

#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "shardsim/report/query_explain.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim::cli {

namespace {

    struct ExplainOptions {
        std::string file;
        std::string op;
        std::vector<int64_t> keys;
        std::vector<std::string> overrides;
        OutputFormat format = OutputFormat::Text;
    };

    nlohmann::ordered_json toJson(const queries::QueryExplanation& e)
    {
        nlohmann::ordered_json requests = nlohmann::ordered_json::array();
        for (const queries::ExplainedRequest& request : e.requests)
            requests.push_back({ { "step", request.step }, { "role", request.role }, { "table", request.table },
                { "shard", request.shard }, { "shard_name", request.shardName }, { "node", request.node },
                { "rows", request.rows } });
        return { { "op", e.op }, { "kind", e.kind }, { "rule", e.rule }, { "keys", e.keys }, { "steps", e.steps },
            { "requests", requests }, { "fanout", e.fanout }, { "shard_requests", e.requests.size() },
            { "lookups", e.lookups }, { "rows", e.rows }, { "two_phase", e.twoPhase } };
    }

    int explain(const ExplainOptions& options)
    {
        const std::optional<ScenarioConfig> scenario = loadScenarioOrReport(options.file, options.overrides);
        if (!scenario)
            return kExitInvalid;
        auto explanation = queries::explainQuery(*scenario, options.op, options.keys);
        if (!explanation) {
            std::cerr << options.file << ": error: " << explanation.error() << '\n';
            return kExitInvalid;
        }
        if (options.format == OutputFormat::Json)
            std::cout << toJson(*explanation).dump(2) << '\n';
        else
            std::cout << queries::formatExplanation(*explanation);
        return kExitOk;
    }

} // namespace

std::function<int()> addExplainCommand(CLI::App& app)
{
    auto options = std::make_shared<ExplainOptions>();
    CLI::App* command
        = app.add_subcommand("explain", "Show which shards one call of an operation touches, step by step, and why");
    command->add_option("file", options->file, "Scenario file")->required();
    command->add_option("--op", options->op, "Operation of workload.mix")->required();
    command->add_option("--key", options->keys, "Key of the call (repeat for several; default 1, 2, ...)");
    command->add_option("--set", options->overrides, "Override a field: PATH=VALUE (cluster.nodes=16)");
    addFormatOption(*command, options->format);
    return [command, options]() -> int { return command->parsed() ? explain(*options) : -1; };
}

} // namespace shardsim::cli
