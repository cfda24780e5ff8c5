#include "compare_command.h"

#include <algorithm>
#include <fmt/format.h>
#include <iostream>
#include <map>
#include <memory>

#include "cli_support.h"
#include "shardsim/common/units.h"
#include "shardsim/migration/rule_comparison.h"
#include "shardsim/migration/rule_comparison_export.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim::cli {

namespace {

    struct CompareOptions {
        std::string file;
        std::vector<std::string> rules;
        std::vector<std::string> overrides;
        EngineMode engine = EngineMode::Expected;
        std::optional<uint64_t> seed;
        OutputFormat format = OutputFormat::Text;
        GrowthChoice growth = GrowthChoice::Next;
    };

    void printTable(const ScenarioConfig& config, const std::vector<RuleComparison>& rows)
    {
        std::cout << fmt::format("{}: {} rules on the same workload\n\n", config.name, rows.size());
        size_t width = 4;
        for (const RuleComparison& row : rows)
            width = std::max(width, row.spec.size());
        std::cout << fmt::format("{:<{}}  {:>9}  {:>9}  {:>16}  {:>9}  {:>7}  {:>8}  {:>8}  {:>10}  {}\n", "rule", width,
            "imbalance", "peak_imb", "hottest", "peak_util", "fanout", "growth", "optimum", "grow_bytes", "growth_to");
        for (const RuleComparison& row : rows) {
            const bool grows = !row.growthSpec.empty();
            std::cout << fmt::format("{:<{}}  {:>9.3f}  {:>9.3f}  {:>16}  {:>8.1f}%  {:>7.2f}  {:>8}  {:>8}  {:>10}  {}\n",
                row.spec, width, row.imbalance, row.peakImbalance,
                fmt::format("{} {:.1f}%", row.hottestNode, 100 * row.hottestShare), 100 * row.peakUtilization,
                row.fanout, grows ? fmt::format("{:.4f}", row.growthMovedFraction) : "-",
                grows ? fmt::format("{:.4f}", row.growthOptimumFraction) : "-",
                grows ? units::formatSize(row.growthMovedBytes) : "-", grows ? row.growthSpec : "-");
        }
        if (rows.empty())
            return;
        const GrowthStep& step = rows.front().growth;
        std::cout << fmt::format("\ngrowth: fraction of the rows that move when the rule grows {} ({}; growth_to; a "
                                 "range rule splits its widest bounded ranges); optimum: the least any layout must "
                                 "move for that step\n",
            step.label(), step.origin());
        if (std::any_of(rows.begin(), rows.end(), [](const RuleComparison& row) { return row.autoRange; }))
            std::cout << fmt::format("auto-range: the rule stays; the nodes grow {} and growth is the bytes the "
                                     "balancer moves onto them until it is balanced, over the table's bytes\n",
                step.label());
        if (config.events.empty())
            return;
        std::cout << "\nevents in each rule's run (a reshard becomes the same growth of the rule compared):\n";
        for (const RuleComparison& row : rows) {
            std::cout << "  " << row.spec << '\n';
            for (const std::string& line : row.events)
                std::cout << "    " << line << '\n';
        }
    }

    int run(const CompareOptions& options)
    {
        const std::optional<ScenarioConfig> scenario = loadScenarioOrReport(options.file, options.overrides);
        if (!scenario)
            return kExitInvalid;
        std::vector<RuleSpec> specs;
        for (const std::string& text : options.rules) {
            for (const std::string& piece : splitRuleList(text)) {
                auto spec = parseRuleSpec(piece);
                if (!spec) {
                    std::cerr << "error: --rules: " << piece << ": " << spec.error() << '\n';
                    return kExitInvalid;
                }
                specs.push_back(*spec);
            }
        }
        if (specs.empty()) {
            std::cerr << "error: --rules names no rule\n";
            return kExitInvalid;
        }
        RunOptions runOptions;
        runOptions.engine = options.engine;
        runOptions.seed = options.seed;
        auto rows = compareRules(*scenario, specs, runOptions, options.growth);
        if (!rows) {
            std::cerr << "error: " << rows.error() << '\n';
            return kExitInvalid;
        }
        if (options.format == OutputFormat::Json)
            std::cout << ruleComparisonJson(scenario->name, *rows).dump(2) << '\n';
        else
            printTable(*scenario, *rows);
        return kExitOk;
    }

} // namespace

std::function<int()> addCompareCommand(CLI::App& app)
{
    auto options = std::make_shared<CompareOptions>();
    CLI::App* command
        = app.add_subcommand("compare", "Run one workload through several rules and compare them side by side");
    command->add_option("file", options->file, "Scenario file")->required();
    command->add_option("--rules", options->rules,
                "Rules to compare, comma-separated (a spec's own parameters stay with it): "
                "mod:n=8,jump:buckets=8,db-table:dbs=8,tables=10")
        ->required();
    addEngineOption(*command, options->engine, EngineMode::Expected);
    const std::map<std::string, GrowthChoice> growths { { "next", GrowthChoice::Next }, { "+1", GrowthChoice::PlusOne },
        { "x2", GrowthChoice::Double } };
    command
        ->add_option("--growth", options->growth,
            "The growth step the growth columns measure: next (the file's first add_nodes or reshard; x2 when "
            "there is none), +1 or x2")
        ->transform(CLI::CheckedTransformer(growths))
        ->default_str("next");
    command->add_option("--seed", options->seed, "Master seed (default: the scenario's)");
    command->add_option("--set", options->overrides, "Override a field: PATH=VALUE (cluster.nodes=16)");
    addFormatOption(*command, options->format);
    return [command, options]() -> int { return command->parsed() ? run(*options) : -1; };
}

} // namespace shardsim::cli
