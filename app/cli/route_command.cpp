#include "route_command.h"

#include <fmt/format.h>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "shardsim/rules/key_router.h"

namespace shardsim::cli {

namespace {

    struct RouteOptions {
        std::string rule;
        std::string keyType = "auto";
        OutputFormat format = OutputFormat::Text;
        bool explain = false;
        int nodes = 0;
        std::vector<std::string> keys;
    };

    nlohmann::json keyAsJson(const Key& key)
    {
        switch (key.type) {
        case KeyType::Int32:
        case KeyType::Int64:
            return key.i;
        case KeyType::UInt64:
            return key.u;
        default:
            return key.display();
        }
    }

    void printJson(const RoutedKey& routed)
    {
        nlohmann::ordered_json line;
        line["key"] = keyAsJson(routed.key);
        line["key_type"] = keyTypeName(routed.key.type);
        line["index"] = routed.result.index;
        line["shard"] = routed.shardName;
        if (routed.result.hash)
            line["hash"] = *routed.result.hash;
        if (routed.result.db)
            line["db"] = *routed.result.db;
        if (routed.result.table)
            line["table"] = *routed.result.table;
        line["node"] = routed.nodeName;
        if (!routed.steps.empty())
            line["steps"] = routed.steps;
        std::cout << line.dump() << '\n';
    }

    void printText(const RoutedKey& routed)
    {
        std::cout << fmt::format("{} -> {} (node {})\n", routed.key.display(), routed.shardName, routed.nodeName);
        for (const std::string& step : routed.steps)
            std::cout << "    " << step << '\n';
    }

    int run(const RouteOptions& options)
    {
        auto mode = parseKeyParseMode(options.keyType);
        if (!mode) {
            std::cerr << "error: " << mode.error() << '\n';
            return kExitInvalid;
        }
        auto router = KeyRouter::create(options.rule, options.nodes);
        if (!router) {
            std::cerr << "error: --rule: " << router.error() << "\nRun 'shardsim-cli route --help' for the rules.\n";
            return kExitInvalid;
        }
        int status = kExitOk;
        for (const std::string& word : options.keys) {
            auto key = parseKey(word, *mode);
            if (!key) {
                std::cerr << "error: " << key.error() << '\n';
                status = kExitInvalid;
                continue;
            }
            auto routed = router->route(*key, options.explain);
            if (!routed) {
                std::cerr << "error: key " << word << ": " << routed.error() << '\n';
                status = kExitInvalid;
                continue;
            }
            if (options.format == OutputFormat::Json)
                printJson(*routed);
            else
                printText(*routed);
        }
        return status;
    }

    std::string rulesHelp()
    {
        std::string text = "Rules (SPEC is NAME or NAME:param=value,param=value; lists use |):\n";
        for (const RuleInfo& info : ruleCatalog())
            text += fmt::format("  {:<52} {}\n", info.synopsis, info.summary);
        return text;
    }

} // namespace

std::function<int()> addRouteCommand(CLI::App& app)
{
    auto options = std::make_shared<RouteOptions>();
    CLI::App* command = app.add_subcommand("route", "Show which shard and node each key lands on");
    command->add_option("--rule", options->rule, "Shard rule spec, e.g. db-table:dbs=8,tables=10")->required();
    command->add_option("--key-type", options->keyType, "auto, int32, int64, uint64, string or hex")
        ->check(CLI::IsMember({ "auto", "int32", "int64", "uint64", "string", "hex" }))
        ->default_str("auto");
    addFormatOption(*command, options->format);
    command->add_flag("--explain", options->explain, "Print every step: the hash, the arithmetic, the range");
    command->add_option("--nodes", options->nodes, "Nodes the logical databases are placed on, round-robin "
                                                   "(default: one node per database)")
        ->check(CLI::Range(1, 100000));
    command->add_option("keys", options->keys, "Keys to route; put them after -- when one starts with '-'")
        ->required();
    command->footer(rulesHelp());
    return [command, options]() -> int { return command->parsed() ? run(*options) : -1; };
}

} // namespace shardsim::cli
