#include "migrate_command.h"

#include <fmt/format.h>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "shardsim/common/units.h"
#include "shardsim/migration/balancer_growth.h"
#include "shardsim/migration/scenario_movement.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim::cli {

namespace {

    struct MigrateOptions {
        std::string from;
        std::string to;
        uint64_t keys = 0;
        std::string scenario;
        std::vector<std::string> overrides;
        OutputFormat format = OutputFormat::Text;
    };

    // Matrices up to this many columns print as a grid; wider ones as their non-empty cells.
    constexpr size_t kGridColumns = 16;

    nlohmann::ordered_json movementJson(const KeyMovement& movement)
    {
        nlohmann::ordered_json out;
        out["keys"] = movement.keys;
        out["moved_keys"] = movement.movedKeys;
        out["moved_fraction"] = movement.movedFraction;
        out["optimum_fraction"] = movement.optimumFraction;
        out["exact"] = movement.exact;
        if (!movement.exact) {
            out["sampled_keys"] = movement.sampledKeys;
            out["moved_fraction_standard_error"] = movement.standardError;
        }
        if (movement.refusedFrom > 0 || movement.refusedTo > 0) {
            out["refused_keys_from"] = movement.refusedFrom;
            out["refused_keys_to"] = movement.refusedTo;
        }
        out["from_shards"] = movement.from;
        out["to_shards"] = movement.to;
        nlohmann::ordered_json kept = nlohmann::ordered_json::array();
        for (const int f : movement.continued)
            kept.push_back(f < 0 ? nlohmann::ordered_json(nullptr)
                                 : nlohmann::ordered_json(movement.from[static_cast<size_t>(f)]));
        out["kept_place_of"] = std::move(kept);
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        for (size_t f = 0; f < movement.from.size(); ++f) {
            nlohmann::ordered_json row = nlohmann::ordered_json::array();
            for (size_t t = 0; t < movement.to.size(); ++t)
                row.push_back(movement.cell(f, t));
            rows.push_back(std::move(row));
        }
        out["matrix"] = std::move(rows);
        return out;
    }

    void printMatrix(const KeyMovement& movement)
    {
        if (movement.to.size() <= kGridColumns) {
            size_t width = 4;
            for (const auto& name : movement.from)
                width = std::max(width, name.size());
            std::vector<size_t> columns;
            for (size_t t = 0; t < movement.to.size(); ++t) {
                size_t column = movement.to[t].size();
                for (size_t f = 0; f < movement.from.size(); ++f)
                    column = std::max(column, std::to_string(movement.cell(f, t)).size());
                columns.push_back(column);
            }
            std::cout << fmt::format("{:<{}}", "from\\to", width);
            for (size_t t = 0; t < movement.to.size(); ++t)
                std::cout << fmt::format(" {:>{}}", movement.to[t], columns[t]);
            std::cout << '\n';
            for (size_t f = 0; f < movement.from.size(); ++f) {
                std::cout << fmt::format("{:<{}}", movement.from[f], width);
                for (size_t t = 0; t < movement.to.size(); ++t)
                    std::cout << fmt::format(" {:>{}}", movement.cell(f, t), columns[t]);
                std::cout << '\n';
            }
            return;
        }
        std::cout << "from -> to: keys (non-empty cells)\n";
        for (size_t f = 0; f < movement.from.size(); ++f)
            for (size_t t = 0; t < movement.to.size(); ++t)
                if (const uint64_t keys = movement.cell(f, t); keys > 0)
                    std::cout << fmt::format("  {} -> {}: {}\n", movement.from[f], movement.to[t], keys);
    }

    // Shards that keep another index's place (a range after a split): their keys sit off the matrix's diagonal but
    // do not move.
    void printRenumbered(const KeyMovement& movement)
    {
        std::string renumbered;
        for (size_t t = 0; t < movement.continued.size(); ++t) {
            const int f = movement.continued[t];
            if (f >= 0 && static_cast<size_t>(f) != t)
                renumbered += fmt::format("{}{} {} -> {}", renumbered.empty() ? "" : ", ", movement.to[t], f, t);
        }
        if (!renumbered.empty())
            std::cout << "renumbered, kept  " << renumbered << '\n';
    }

    void printKeys(const KeyMovement& movement, const std::string& from, const std::string& to)
    {
        std::cout << fmt::format("{} -> {} over keys 1..{}\n", from, to, movement.keys);
        if (!movement.exact)
            std::cout << fmt::format("estimated: {} evenly spaced keys routed (an exact count routes at most {} keys "
                                     "one by one); moved_fraction has a standard error of {:.6f}\n",
                movement.sampledKeys, units::formatCount(static_cast<double>(kExactRoutedKeys)),
                movement.standardError);
        std::cout << fmt::format("moved_keys        {}{}\n", movement.exact ? "" : "~", movement.movedKeys);
        std::cout << fmt::format("moved_fraction    {:.6f}{}\n", movement.movedFraction,
            movement.exact ? "" : fmt::format(" ± {:.6f}", movement.standardError));
        std::cout << fmt::format("optimum_fraction  {:.6f}\n", movement.optimumFraction);
        if (movement.refusedFrom > 0 || movement.refusedTo > 0)
            std::cout << fmt::format("refused keys      {} by the old rule, {} by the new\n", movement.refusedFrom,
                movement.refusedTo);
        printRenumbered(movement);
        std::cout << '\n';
        printMatrix(movement);
    }

    int runScenario(const MigrateOptions& options)
    {
        const std::optional<ScenarioConfig> scenario = loadScenarioOrReport(options.scenario, options.overrides);
        if (!scenario)
            return kExitInvalid;
        const ScenarioConfig& config = *scenario;
        auto from = options.from.empty() ? Result<RuleSpec>(config.sharding.rule) : parseRuleSpec(options.from);
        if (!from) {
            std::cerr << "error: --from: " << from.error() << '\n';
            return kExitInvalid;
        }
        auto to = parseRuleSpec(options.to);
        if (!to) {
            std::cerr << "error: --to: " << to.error() << '\n';
            return kExitInvalid;
        }
        if (const std::string problem = autoRangeMigrationProblem(*from, *to); !problem.empty()) {
            std::cerr << "error: " << problem << '\n';
            return kExitInvalid;
        }
        auto movement = measureScenarioMovement(config, *from, *to, kExactRoutedKeys);
        if (!movement) {
            std::cerr << "error: " << movement.error() << '\n';
            return kExitInvalid;
        }
        const DataMovement& data = movement->data;
        if (options.format == OutputFormat::Json) {
            nlohmann::ordered_json out = movementJson(data.keys);
            out["from"] = movement->fromRule->spec();
            out["to"] = movement->toRule->spec();
            out["exact"] = data.exact; // every table's count, not only the first's
            out["moved_fraction"] = data.movedFraction; // rows of every sharded table
            out["optimum_fraction"] = data.optimumFraction;
            out["rows"] = data.rows;
            out["moved_rows"] = data.movedRows;
            out["moved_bytes"] = data.movedBytes;
            nlohmann::ordered_json tables = nlohmann::ordered_json::array();
            for (const TableMovement& table : data.tables)
                tables.push_back({ { "name", table.name }, { "rows", table.rows }, { "moved_rows", table.movedRows },
                    { "moved_bytes", table.movedBytes }, { "broadcast", table.broadcast } });
            out["tables"] = std::move(tables);
            nlohmann::ordered_json nodes = nlohmann::ordered_json::array();
            for (size_t n = 0; n < data.nodeOut.size(); ++n)
                nodes.push_back({ { "node", fmt::format("node-{}", n + 1) }, { "out_bytes", data.nodeOut[n] },
                    { "in_bytes", data.nodeIn[n] } });
            out["nodes"] = std::move(nodes);
            if (!movement->note.empty())
                out["note"] = movement->note;
            std::cout << out.dump(2) << '\n';
            return kExitOk;
        }
        std::cout << fmt::format("{}: {} -> {}\n", config.name, movement->fromRule->spec(), movement->toRule->spec());
        if (!movement->note.empty())
            std::cout << "note: " << movement->note << '\n';
        if (!data.exact)
            std::cout << fmt::format("estimated: a table has more keys than the {} an exact count routes one by one; "
                                     "its rows were counted on evenly spaced keys\n",
                units::formatCount(static_cast<double>(kExactRoutedKeys)));
        std::cout << fmt::format("moved rows        {} of {} ({:.6f}; optimum {:.6f})\n", units::formatCount(data.movedRows),
            units::formatCount(data.rows), data.movedFraction, data.optimumFraction);
        std::cout << fmt::format("moved bytes       {} (every copy)\n", units::formatSize(data.movedBytes));
        for (const TableMovement& table : data.tables)
            std::cout << fmt::format("  {:<20} {} of {} rows, {}{}\n", table.name, units::formatCount(table.movedRows),
                units::formatCount(table.rows), units::formatSize(table.movedBytes),
                table.broadcast ? " (broadcast: a copy in every new database)" : "");
        std::cout << "per node (out / in):\n";
        for (size_t n = 0; n < data.nodeOut.size(); ++n)
            std::cout << fmt::format("  node-{:<6} {:>12} {:>12}\n", n + 1, units::formatSize(data.nodeOut[n]),
                units::formatSize(data.nodeIn[n]));
        std::cout << '\n';
        printKeys(data.keys, movement->fromRule->spec(), movement->toRule->spec());
        return kExitOk;
    }

    int run(const MigrateOptions& options)
    {
        if (!options.scenario.empty())
            return runScenario(options);
        if (options.from.empty()) {
            std::cerr << "error: --from is required without --scenario\nRun 'shardsim-cli migrate --help' for usage.\n";
            return kExitInvalid;
        }
        auto from = parseRuleSpec(options.from);
        if (!from) {
            std::cerr << "error: --from: " << from.error() << '\n';
            return kExitInvalid;
        }
        auto to = parseRuleSpec(options.to);
        if (!to) {
            std::cerr << "error: --to: " << to.error() << '\n';
            return kExitInvalid;
        }
        if (const std::string problem = autoRangeMigrationProblem(*from, *to); !problem.empty()) {
            std::cerr << "error: " << problem << '\n';
            return kExitInvalid;
        }
        auto movement = measureKeyMovement(*from, *to, options.keys, RuleContext {}, kExactRoutedKeys);
        if (!movement) {
            std::cerr << "error: " << movement.error() << '\n';
            return kExitInvalid;
        }
        if (options.format == OutputFormat::Json) {
            nlohmann::ordered_json out;
            out["from"] = from->toString();
            out["to"] = to->toString();
            const nlohmann::ordered_json counts = movementJson(*movement);
            for (const auto& [key, value] : counts.items())
                out[key] = value;
            std::cout << out.dump(2) << '\n';
            return kExitOk;
        }
        printKeys(*movement, from->toString(), to->toString());
        return kExitOk;
    }

} // namespace

std::function<int()> addMigrateCommand(CLI::App& app)
{
    auto options = std::make_shared<MigrateOptions>();
    CLI::App* command = app.add_subcommand("migrate", "Show which keys, rows and bytes a change of shard rule moves");
    command->add_option("--from", options->from, "Rule before the change (default with --scenario: its sharding.rule)");
    command->add_option("--to", options->to, "Rule after the change")->required();
    auto* keys = command->add_option("--keys", options->keys, "Compare the integer keys 1..N (default 1M)")
                     ->check(CLI::Range(uint64_t(1), uint64_t(INT64_MAX)));
    auto* scenario = command->add_option("--scenario", options->scenario,
        "Measure the scenario's tables (rows, bytes, copies, per node) instead of bare keys");
    keys->excludes(scenario);
    command->add_option("--set", options->overrides, "Override a scenario field, e.g. --set cluster.nodes=16");
    addFormatOption(*command, options->format);
    return [command, options]() -> int {
        if (!command->parsed())
            return -1;
        if (options->keys == 0)
            options->keys = 1'000'000;
        return run(*options);
    };
}

} // namespace shardsim::cli
