#include "shardsim/report/query_explain.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "engine/cluster_layout.h"
#include "engine/run_plan.h"
#include "queries/query_shape.h"
#include "shardsim/common/suggest.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/scenario/config_names.h"

namespace shardsim::queries {

namespace {

    struct Context {
        const ScenarioConfig* config = nullptr;
        const ShardRule* rule = nullptr;
        const engine::ClusterLayout* cluster = nullptr;
        QueryExplanation* out = nullptr;
        int group = 0; // the operation's business database: shards and databases below are the rule's, within it

        std::string nodeOf(int shard) const
        {
            return cluster->nodes()[static_cast<size_t>(cluster->primaryOfShard(cluster->groupShard(group, shard)))]
                .name;
        }
        std::string shardName(int shard) const
        {
            const std::string name = rule->shardName(shard);
            return config->data.databases.empty() ? name
                                                  : config->data.databases[static_cast<size_t>(group)].name + "/" + name;
        }
        void add(int step, const std::string& table, int shard, double rows, const char* role) const
        {
            out->requests.push_back({ step, table, shard, shardName(shard), nodeOf(shard), rows, role });
            out->rows += rows;
        }
        void addDatabase(int step, const std::string& table, int database, double rows, const char* role) const
        {
            const NodeId serving = cluster->primaryOfDatabase(cluster->groupDatabase(group, database));
            const auto node = cluster->nodes()[static_cast<size_t>(serving)].name;
            out->requests.push_back({ step, table, -1, fmt::format("database {}", database + 1), node, rows, role });
            out->rows += rows;
        }
    };

} // namespace

Result<QueryExplanation> explainQuery(
    const ScenarioConfig& original, const std::string& opName, const std::vector<int64_t>& givenKeys)
{
    ScenarioConfig config = original;
    applySplits(config);
    addMappingTables(config);
    const auto found = std::find_if(config.workload.mix.begin(), config.workload.mix.end(),
        [&](const OperationConfig& op) { return op.name == opName; });
    if (found == config.workload.mix.end()) {
        std::vector<std::string> names;
        for (const OperationConfig& op : config.workload.mix)
            names.push_back(op.name);
        std::string list;
        for (const std::string& name : names)
            list += (list.empty() ? "" : ", ") + name;
        return fail(fmt::format("no operation named '{}' in workload.mix{}; the operations are {}", opName,
            didYouMean(opName, names), list));
    }
    auto rule = makeRule(config.sharding.rule, RuleContext { config.baseDirectory });
    if (!rule)
        return fail("sharding.rule: " + rule.error());
    auto cluster = engine::ClusterLayout::create(config, **rule);
    if (!cluster)
        return fail(cluster.error());
    auto plan = engine::RunPlan::create(config, !(*rule)->rangeBoundaries().empty());
    if (!plan)
        return fail(plan.error());
    const size_t index = static_cast<size_t>(found - config.workload.mix.begin());
    const engine::OperationPlan& op = plan->operations()[index];
    const QueryShape& query = op.query;

    QueryExplanation out;
    out.op = opName;
    out.kind = kOperationKindNames.name(query.kind);
    out.rule = (*rule)->spec();
    Context context { &config, rule->get(), &*cluster, &out, op.group };
    const TableConfig& table = config.data.tables[static_cast<size_t>(query.leadTable)];
    const int shards = cluster->shardsPerGroup();
    const int databases = cluster->databasesPerGroup();
    const double shardRows = query.pageRows ? static_cast<double>(query.offset + query.limit) : query.partials ? 1 : 0;

    const bool spreadSearch = query.routingSearch && (*rule)->searchSpread() > 1;
    out.steps.push_back(spreadSearch
            ? fmt::format("{} is {}'s routing value: a search by it visits every shard the rule spreads the value's "
                          "rows over (partition_size)",
                  table.effectiveShardKey(), table.name)
            : query.why);
    if (!config.data.databases.empty()) {
        const BusinessDatabase& business = config.data.databases[static_cast<size_t>(op.group)];
        out.steps.push_back(fmt::format("{} is in the business database {}, sharded on its own nodes", table.name,
            business.name));
    }
    if (query.reach == Reach::BroadcastRead) {
        context.addDatabase(1, table.name, 0, shardRows + static_cast<double>(query.keys * query.rowsPerKey), "read");
        out.fanout = 1;
        out.steps.push_back("the router reads one copy (database 1 here; the caller's region decides in a run)");
        return out;
    }
    if (query.reach == Reach::BroadcastWrite) {
        for (int d = 0; d < databases; ++d)
            context.addDatabase(1, table.name, d, static_cast<double>(query.keys), "write");
        out.fanout = databases;
        out.twoPhase = query.twoPhase && databases > 1;
        out.steps.push_back(fmt::format("the write goes to all {} copies{}", databases,
            out.twoPhase ? ", committed by two-phase commit (prepare, then commit)" : ""));
        return out;
    }

    std::vector<int64_t> keys = givenKeys;
    const bool drawsKeys = query.reach == Reach::Keys || query.reach == Reach::NextKey;
    if (keys.empty() && drawsKeys) {
        for (int64_t k = 1; k <= query.keys; ++k)
            keys.push_back(k);
    }
    if (query.reach == Reach::NextKey && givenKeys.empty())
        keys = { static_cast<int64_t>(table.rows) + 1 };
    out.keys = keys;

    int step = 1;
    std::set<int> touched;
    if (query.reach == Reach::EveryShard) {
        const double matching = static_cast<double>(query.keys * query.rowsPerKey)
            + static_cast<double>(query.keys * static_cast<int64_t>(query.scatteredSides.size()));
        for (int s = 0; s < shards; ++s) {
            context.add(step, table.name, s, shardRows + matching / shards, query.twoPhase ? "write" : "read");
            touched.insert(s);
        }
        out.steps.push_back(fmt::format("{} requests, one per shard, in parallel", shards));
    } else {
        if (query.mappingTable >= 0) {
            const std::string& map = config.data.tables[static_cast<size_t>(query.mappingTable)].name;
            for (int64_t key : keys) {
                const int shard = (*rule)->shardOfInteger(key);
                if (shard < 0)
                    return fail(fmt::format("the rule {} cannot route key {}", out.rule, key));
                context.add(step, map, shard, 1, "lookup");
                ++out.lookups;
            }
            out.steps.push_back(fmt::format(
                "step {}: {} lookup{} in {} for the shard key", step, out.lookups, out.lookups == 1 ? "" : "s", map));
            ++step;
        }
        std::vector<int> visited(static_cast<size_t>((*rule)->searchSpread()));
        for (int64_t key : keys) {
            int shard = (*rule)->shardOfInteger(key);
            if (shard < 0)
                return fail(fmt::format("the rule {} cannot route key {}", out.rule, key));
            if (spreadSearch) {
                // A routed search: the shards the rule spreads the routing value over, each returning its page.
                const int count = (*rule)->searchShardsOfInteger(key, visited);
                for (int i = 0; i < count; ++i) {
                    const int at = visited[static_cast<size_t>(i)];
                    context.add(step, table.name, at, touched.count(at) ? 0 : shardRows, "read");
                    touched.insert(at);
                }
                continue;
            }
            if (query.reach == Reach::NextKey && givenKeys.empty() && table.ids.scheme == IdScheme::Uuid)
                out.steps.push_back("uuid ids are random: the new key lands on any shard, like existing keys");
            context.add(step, table.name, shard,
                static_cast<double>(query.rowsPerKey) + (touched.count(shard) ? 0 : shardRows),
                query.twoPhase || query.kind == OperationKind::Insert ? "write" : "read");
            touched.insert(shard);
            for (int other : query.otherTables) {
                const std::string& name = config.data.tables[static_cast<size_t>(other)].name;
                const int otherShard = (*rule)->shardOfInteger(key);
                context.add(step, name, otherShard, 1, query.twoPhase ? "write" : "read");
                touched.insert(otherShard);
            }
        }
        out.steps.push_back(fmt::format("step {}: key{} {} route{} to {} shard{}", step, keys.size() == 1 ? "" : "s",
            fmt::join(keys, ", "), keys.size() == 1 ? "s" : "", touched.size(), touched.size() == 1 ? "" : "s"));
    }
    for (int written = 0; written < query.broadcastWrites; ++written) {
        for (int d = 0; d < databases; ++d)
            context.addDatabase(step, "broadcast copy", d, static_cast<double>(query.keys), "write");
    }
    out.fanout = static_cast<int>(touched.size());
    if (query.pageRows && out.fanout > 1)
        out.steps.push_back(fmt::format("the router merges {} x {} = {} rows and returns {}", out.fanout,
            query.offset + query.limit, out.fanout * (query.offset + query.limit), query.limit));
    if (query.partials && out.fanout > 1)
        out.steps.push_back(fmt::format("the router combines {} partial results into one", out.fanout));
    if (query.twoPhase) {
        std::set<int> touchedDatabases;
        for (int shard : touched)
            touchedDatabases.insert(cluster->databaseOfShard(shard));
        out.twoPhase = touchedDatabases.size() > 1 || (query.broadcastWrites > 0 && databases > 1);
        if (out.twoPhase) {
            ++step;
            for (int shard : touched)
                context.add(step, table.name, shard, 0, "prepare");
            out.steps.push_back(fmt::format("step {}: the writes span {} databases: two-phase commit — every "
                                            "participant prepares, then commits; locks are held across both rounds",
                step, touchedDatabases.size()));
        } else {
            out.steps.push_back("one database: a local commit, no 2PC");
        }
    }
    return out;
}

std::string formatExplanation(const QueryExplanation& e)
{
    std::string text = fmt::format("{} ({}) under {}\n", e.op, e.kind, e.rule);
    for (size_t i = 0; i < e.steps.size(); ++i)
        text += fmt::format("  {}\n", e.steps[i]);
    // Columns as wide as their longest entry (business databases make shard names long: order_db/db1.t_7).
    size_t tableWidth = 22;
    size_t shardWidth = 14;
    for (const ExplainedRequest& request : e.requests) {
        tableWidth = std::max(tableWidth, request.table.size());
        shardWidth = std::max(shardWidth, request.shardName.size());
    }
    text += fmt::format("\n  step  role     {:<{}} {:<{}} node        rows\n", "table", tableWidth, "shard", shardWidth);
    for (const ExplainedRequest& request : e.requests)
        text += fmt::format("  {:>4}  {:<8} {:<{}} {:<{}} {:<10} {:>6}\n", request.step, request.role, request.table,
            tableWidth, request.shardName, shardWidth, request.node, request.rows);
    text += fmt::format("\n  fan-out {} shard{}, {} shard request{}, {} lookup{}, {} rows read{}\n", e.fanout,
        e.fanout == 1 ? "" : "s", e.requests.size(), e.requests.size() == 1 ? "" : "s", e.lookups,
        e.lookups == 1 ? "" : "s", e.rows, e.twoPhase ? ", 2PC" : "");
    return text;
}

} // namespace shardsim::queries
