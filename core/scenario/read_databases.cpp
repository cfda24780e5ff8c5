// `data.databases`: the business databases of a vertical split by domain, and the references to them.

#include <map>

#include <fmt/format.h>

#include "section_readers.h"
#include "shardsim/common/suggest.h"
#include "shardsim/scenario/input_limits.h"

namespace shardsim::scenario {

namespace {

    std::vector<std::string> databaseNames(const std::vector<BusinessDatabase>& databases)
    {
        std::vector<std::string> names;
        for (const BusinessDatabase& database : databases)
            names.push_back(database.name);
        return names;
    }

} // namespace

void readDatabases(ReadContext& context, const TreeNode& node, const ClusterConfig& cluster,
    std::vector<BusinessDatabase>& out, ReadState& state)
{
    const std::string path = "data.databases";
    state.databasesDeclared = true;
    if (state.regions)
        context.errorAtKey(*state.regions, "cluster.regions",
            "regions and business databases (data.databases) cannot be combined yet");
    if (!node.isSequence() || node.children.empty()) {
        context.error(node, path,
            "expected a list of business databases like [{ name: order_db, nodes: 4 }], got " + node.describe());
        return;
    }
    // Every business database holds at least one table, so there cannot be more of them than tables.
    if (node.children.size() > input_limits::kMaxTables) {
        context.error(node, path,
            fmt::format("lists {} business databases; at most {} are supported", node.children.size(),
                input_limits::kMaxTables));
        return;
    }
    bool namesClean = true;
    bool nodesClean = true;
    std::map<std::string, int> lines; // name -> line of its first use
    std::vector<std::pair<const TreeNode*, std::string>> nodesFields; // for the replication check
    for (std::size_t i = 0; i < node.children.size(); ++i) {
        const TreeNode& item = node.children[i];
        MapReader map(context, &item, fmt::format("{}[{}]", path, i), { "name", "nodes" });
        BusinessDatabase database;
        database.line = item.line;
        bool nameRead = false;
        if (const TreeNode* value = map.require("name", "e.g. name: order_db")) {
            if (auto name = readName(context, *value, map.pathOf("name"))) {
                if (auto [where, inserted] = lines.emplace(*name, value->line); !inserted) {
                    context.error(*value, map.pathOf("name"),
                        fmt::format("duplicate business database name '{}' (first at line {})", *name, where->second));
                } else {
                    database.name = *name;
                    nameRead = true;
                }
            }
        }
        const TreeNode* nodesNode = map.require("nodes", "the nodes it owns, e.g. nodes: 4");
        bool nodesRead = false;
        if (nodesNode) {
            if (auto nodes
                = readCount(context, *nodesNode, map.pathOf("nodes"), 1, input_limits::kMaxNodes, "the node limit")) {
                database.nodes = static_cast<int>(*nodes);
                nodesRead = true;
                nodesFields.emplace_back(nodesNode, map.pathOf("nodes"));
            }
        }
        map.finish();
        namesClean = namesClean && nameRead;
        nodesClean = nodesClean && nodesRead;
        out.push_back(std::move(database));
    }
    state.databaseNamesKnown = namesClean;
    if (!nodesClean || !state.nodesKnown)
        return;
    int64_t owned = 0;
    for (const BusinessDatabase& database : out)
        owned += database.nodes;
    if (owned != cluster.nodes) {
        context.errorAtKey(node, path,
            fmt::format("the business databases own {} nodes but cluster.nodes is {}: every node belongs to exactly "
                        "one",
                owned, cluster.nodes));
        return;
    }
    state.databaseNodesKnown = true;
    // A shard's copies go to different nodes of its own business database.
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i].nodes < cluster.replication) {
            context.error(*nodesFields[i].first, nodesFields[i].second,
                fmt::format("{} owns {} node{} but cluster.replication is {}: the copies of a shard go to different "
                            "nodes of its business database",
                    out[i].name.empty() ? fmt::format("business database {}", i + 1) : out[i].name, out[i].nodes,
                    out[i].nodes == 1 ? "" : "s", cluster.replication));
        }
    }
}

std::optional<int> readDatabaseRef(ReadContext& context, const TreeNode& node, const std::string& path,
    const std::vector<BusinessDatabase>& databases, const ReadState& state)
{
    if (!state.databasesDeclared) {
        context.error(node, path,
            "data.databases declares no business databases; declare them first, e.g. databases: [{ name: order_db, "
            "nodes: 4 }]");
        return std::nullopt;
    }
    auto name = readName(context, node, path);
    // A mistake in data.databases is reported there; it does not make every reference an error too.
    if (!name || !state.databaseNamesKnown)
        return std::nullopt;
    for (std::size_t d = 0; d < databases.size(); ++d) {
        if (databases[d].name == *name)
            return static_cast<int>(d);
    }
    const std::vector<std::string> names = databaseNames(databases);
    context.error(node, path,
        fmt::format("no business database named '{}' in data.databases{}", *name, didYouMean(*name, names)));
    return std::nullopt;
}

void checkRuleWithDatabases(
    ReadContext& context, const TreeNode& node, const std::string& path, const RuleSpec& spec, const ReadState& state)
{
    // geo routes by the caller's region, and regions do not combine with business databases yet.
    if (state.databasesDeclared && spec.name == "geo")
        context.error(node, path, "a geo rule and business databases (data.databases) cannot be combined yet");
}

} // namespace shardsim::scenario
