#include "shardsim/report/shard_key_analysis.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include <fmt/format.h>

#include "engine/call_expectation.h"
#include "engine/cluster_layout.h"
#include "engine/key_domain.h"
#include "engine/run_plan.h"
#include "queries/query_shape.h"
#include "report/trace_key_stats.h"
#include "shardsim/common/suggest.h"
#include "shardsim/common/units.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/scenario/config_names.h"

namespace shardsim {

namespace {

    // Inserts generated to measure an id scheme's correlation with insertion order.
    constexpr int kOrderSample = 4096;

    uint64_t mix64(uint64_t x)
    {
        x += 0x9e3779b97f4a7c15ULL;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
        return x ^ (x >> 31);
    }

    // The ids the scheme hands to kOrderSample inserts in order, and r of id with insertion order.
    void idSchemeMonotonicity(const IdConfig& ids, ShardKeyCandidate& out)
    {
        std::vector<double> y(kOrderSample);
        const auto workers = static_cast<uint64_t>(std::max(1, ids.workers));
        for (int i = 0; i < kOrderSample; ++i) {
            const auto u = static_cast<uint64_t>(i);
            switch (ids.scheme) {
            case IdScheme::Snowflake: // `workers` inserts per millisecond, one per worker: ms << 22 | worker << 12
                y[static_cast<size_t>(i)] = static_cast<double>(((u / workers) << 22) | ((u % workers) << 12));
                break;
            case IdScheme::Uuid: // random: the first 53 bits of a mixed counter
                y[static_cast<size_t>(i)] = static_cast<double>(mix64(u) >> 11);
                break;
            default: // sequential, segment (blocks taken in order), step (servers taking inserts in turn)
                y[static_cast<size_t>(i)] = static_cast<double>(i + 1);
                break;
            }
        }
        out.monotonicity = report::correlationWithOrder(y);
        out.monotonicityHow = fmt::format("Pearson r of the ids the {} scheme hands to {} inserts with their order",
            kIdSchemeNames.name(ids.scheme), kOrderSample);
    }

    const ColumnSpec* findColumn(const TableConfig& table, const std::string& name)
    {
        const auto found = std::find_if(
            table.columns.begin(), table.columns.end(), [&](const ColumnSpec& c) { return c.name == name; });
        return found == table.columns.end() ? nullptr : &*found;
    }

    // A value of a `time` column: row k (in insertion order) as the moment it was inserted, counted from the run's
    // start at the table's growth (the rows at the start are the newest then; older ones went in before it). Without
    // growth the rows have no insert times, only their order.
    std::string timeOfRow(const TableConfig& table, uint64_t row)
    {
        if (table.growth <= 0)
            return fmt::format("row {} in insert order", row);
        const double at = (static_cast<double>(row) - static_cast<double>(table.rows)) / table.growth;
        if (at == 0)
            return "the start";
        return fmt::format("{} {} the start", units::formatDuration(std::abs(at)), at < 0 ? "before" : "after");
    }

    // The key law's most frequent values: its single points, then its densest segments key by key; `name` writes a
    // key as the column's value.
    std::vector<KeyValueFrequency> mostCommon(
        const engine::KeyLaw& law, const std::function<std::string(uint64_t)>& name)
    {
        std::vector<engine::KeyPoint> points = law.points;
        std::stable_sort(points.begin(), points.end(),
            [](const engine::KeyPoint& a, const engine::KeyPoint& b) { return a.mass > b.mass; });
        std::vector<KeyValueFrequency> out;
        for (const engine::KeyPoint& p : points) {
            if (out.size() == kMostCommonValues)
                return out;
            out.push_back({ name(p.key), p.mass });
        }
        std::vector<engine::KeySegment> segments = law.segments;
        const auto density
            = [](const engine::KeySegment& s) { return s.mass / static_cast<double>(s.last - s.first + 1); };
        std::stable_sort(segments.begin(), segments.end(),
            [&](const engine::KeySegment& a, const engine::KeySegment& b) { return density(a) > density(b); });
        for (const engine::KeySegment& s : segments) {
            if (!law.points.empty() && s.shape != engine::SegmentShape::Uniform)
                break; // zipf and latest tails are colder than every point
            for (uint64_t k = s.first; k <= s.last && out.size() < kMostCommonValues; ++k)
                out.push_back({ name(k), density(s) });
        }
        return out;
    }

    void addShares(TargetingShares& side, double weight, double single, double multi, double scatter)
    {
        side.singleShard += weight * single;
        side.multiShard += weight * multi;
        side.scatterGather += weight * scatter;
    }

    void normalize(TargetingShares& side)
    {
        const double total = side.singleShard + side.multiShard + side.scatterGather;
        if (total <= 0)
            return;
        side.singleShard /= total;
        side.multiShard /= total;
        side.scatterGather /= total;
    }

    // The reads' and writes' targeting and the hottest shard counted from the trace's rows on the table, each row one
    // request as a trace replay counts it: on every shard when its operation names no shard key, on the shards a
    // routed search visits, else on its key's shard. Rows of other key domains and refused keys are left out.
    // Returns the shard of the trace's last insert on the table (where its inserts are going), -1 without one.
    int countTraceTargeting(const report::TraceKeyStats& trace, const engine::RunPlan& plan, const ShardRule& rule,
        int domain, ShardKeyCandidate& out)
    {
        out.reads = {};
        out.writes = {};
        std::vector<double> load(static_cast<size_t>(rule.shardCount()), 0.0);
        std::vector<int> visited(static_cast<size_t>(rule.searchSpread()));
        uint64_t rows = 0;
        int lastInsert = -1;
        for (const report::TraceRequest& request : trace.requests) {
            const engine::OperationPlan& op = plan.operations()[static_cast<size_t>(request.operation)];
            if (op.domain != domain)
                continue;
            TargetingShares& side = op.write ? out.writes : out.reads;
            if (op.query.reach == queries::Reach::EveryShard) {
                for (double& shard : load)
                    shard += 1;
                addShares(side, 1, load.size() == 1 ? 1 : 0, 0, load.size() > 1 ? 1 : 0);
                ++rows;
                continue;
            }
            visited[0] = rule.shardOfInteger(request.key);
            if (op.query.kind == OperationKind::Insert)
                lastInsert = visited[0];
            const int count
                = op.query.routingSearch ? rule.searchShardsOfInteger(request.key, visited) : (visited[0] >= 0 ? 1 : 0);
            if (count == 0)
                continue; // refused: the row reaches no shard
            for (int i = 0; i < count; ++i)
                load[static_cast<size_t>(visited[static_cast<size_t>(i)])] += 1;
            addShares(side, 1, count == 1 ? 1 : 0, count > 1 ? 1 : 0, 0);
            ++rows;
        }
        normalize(out.reads);
        normalize(out.writes);
        double total = 0;
        for (double shard : load)
            total += shard;
        out.hottestShardShare = total > 0 ? *std::max_element(load.begin(), load.end()) / total : 0;
        out.targetingFrom = fmt::format("the {} rows of {} on this table", rows, trace.file);
        return lastInsert;
    }

    std::string verdictOf(ShardKeyCandidate& c, bool rangeRule, bool inserts, int lastShard)
    {
        std::vector<std::string> problems;
        if (c.cardinality < 2 * static_cast<int64_t>(c.shards))
            problems.push_back(fmt::format("low cardinality: {} distinct values for {} shards, so at most {} shards "
                                           "hold data and a value's rows can never be split",
                c.cardinality, c.shards, std::min<int64_t>(c.cardinality, c.shards)));
        if (c.monotonic && rangeRule && inserts)
            problems.push_back(fmt::format(
                "monotonic: every insert lands on the last range (shard {}), which takes all the write load",
                lastShard));
        const double even = c.shards > 0 ? 1.0 / c.shards : 1;
        if (c.hottestShardShare > 1.5 * even)
            problems.push_back(fmt::format("hot shard: the hottest shard takes {} of the requests (even: {})",
                formatShardKeyShare(c.hottestShardShare), formatShardKeyShare(even)));
        if (c.reads.scatterGather > 0.5)
            problems.push_back(fmt::format("{} of the reads name no shard key and scatter to every shard",
                formatShardKeyShare(c.reads.scatterGather)));
        c.good = problems.empty();
        if (c.good)
            return fmt::format("good: {} distinct values, {} of reads on one shard, load even within 1.5x",
                c.cardinality, formatShardKeyShare(c.reads.singleShard));
        std::string text;
        for (const std::string& p : problems)
            text += (text.empty() ? "" : "; ") + p;
        return text;
    }

    // The scenario as if `column` were `table`'s shard key: a column other than the key, its shard key or a time
    // column is analysed as a table of `cardinality` keys drawn evenly, inserts landing on any of them.
    ScenarioConfig withShardKey(const ScenarioConfig& original, size_t t, const std::string& column, bool keyLike,
        int64_t cardinality, const RuleSpec& rule)
    {
        ScenarioConfig config = original;
        config.sharding.rule = rule;
        TableConfig& table = config.data.tables[t];
        table.shardKey = column;
        if (config.workload.keys.kind == KeyDistributionKind::Trace)
            config.workload.keys.kind = KeyDistributionKind::Uniform; // the trace's keys are not laid out here
        if (!keyLike) {
            table.rows = cardinality;
            table.growth = 0;
            table.ids.scheme = IdScheme::Uuid;
            config.workload.keys = KeyDistributionConfig {};
            for (OperationConfig& op : config.workload.mix)
                op.keyLaw.reset();
        }
        // The tables a run adds (mapping tables, extension tables) go after the others: `t` stays the table.
        queries::applySplits(config);
        queries::addMappingTables(config);
        return config;
    }

    // `trace`: the table's keys as the workload's trace records them, when it does.
    Result<ShardKeyCandidate> analyzeCandidate(const ScenarioConfig& original, size_t t, const std::string& column,
        const RuleSpec& ruleSpec, const report::TraceKeyStats* trace)
    {
        const TableConfig& table = original.data.tables[t];
        const ColumnSpec* spec = findColumn(table, column);
        const bool isKey = column == table.key || column == table.effectiveShardKey();
        const bool keyLike = isKey || (spec && spec->kind == ColumnKind::Time);
        ShardKeyCandidate out;
        out.key = column;
        // A column's stated `values`, else one value per row.
        out.cardinality = spec && spec->values > 0 ? spec->values : std::max<int64_t>(1, table.rows);

        const ScenarioConfig config = withShardKey(original, t, column, keyLike, out.cardinality, ruleSpec);
        auto rule = makeRule(config.sharding.rule, RuleContext { config.baseDirectory });
        if (!rule)
            return fail("rule " + ruleSpec.toString() + ": " + rule.error());
        if (engine::isGeoRule(**rule))
            return fail(
                fmt::format("rule {}: a geo rule routes by the caller's region, not by a key column", (*rule)->spec()));
        out.rule = (*rule)->spec();
        const bool rangeRule = !(*rule)->rangeBoundaries().empty();
        auto cluster = engine::ClusterLayout::create(config, **rule);
        if (!cluster)
            return fail(cluster.error());
        auto plan = engine::RunPlan::create(config, rangeRule);
        if (!plan)
            return fail(plan.error());
        engine::KeyDomainSettings settings;
        auto domains = engine::makeKeyDomains(*plan, config.workload.keys, **rule, settings, config.seed);
        if (!domains)
            return fail(domains.error());

        engine::TrafficSetup setup;
        setup.plan = &*plan;
        setup.cluster = &*cluster;
        setup.rule = rule->get();
        for (const auto& domain : *domains) {
            domain->update(0); // the law and the shares at the start
            setup.domains.push_back(domain.get());
        }
        setup.shardOfRegion.assign(plan->regions().size(), engine::kRegionAnyShard);
        std::vector<int> everyDatabase;
        for (int d = 0; d < cluster->databasesPerGroup(); ++d)
            everyDatabase.push_back(d);
        setup.readCopiesOfRegion.assign(plan->regions().size(), everyDatabase);
        setup.cost = config.workload.cost;
        out.shards = cluster->shardsPerGroup();

        const int domain = plan->tables()[t].domain;
        const engine::KeyDomain& keys = *setup.domains[static_cast<size_t>(domain)];
        if (isKey && trace) {
            out.cardinality = trace->cardinality;
            out.mostCommon = trace->mostCommon;
            out.monotonicity = trace->monotonicity;
            out.monotonicityHow = trace->monotonicityHow;
        } else if (keyLike) {
            const bool time = spec && spec->kind == ColumnKind::Time;
            out.mostCommon = mostCommon(
                keys.law(), [&](uint64_t key) { return time ? timeOfRow(table, key) : std::to_string(key); });
            if (time) {
                out.monotonicity = 1;
                out.monotonicityHow = "a time column grows with insertion time: r = 1";
            } else if (column == table.key) {
                idSchemeMonotonicity(table.ids, out);
            } else {
                // The id scheme makes the table's key; a separate shard key (the user of an order) does not follow it.
                out.monotonicity = 0;
                out.monotonicityHow
                    = "a shard key other than the table's key is taken as unrelated to insertion order: r = 0";
            }
        } else {
            for (int64_t v = 1; v <= std::min<int64_t>(out.cardinality, kMostCommonValues); ++v)
                out.mostCommon.push_back({ fmt::format("value {}", v), 1.0 / static_cast<double>(out.cardinality) });
            out.monotonicity = 0;
            out.monotonicityHow = "a column other than the key and time columns is taken as unrelated to insertion "
                                  "order: r = 0";
        }
        out.monotonic = std::abs(out.monotonicity) >= kMonotonicThreshold;

        std::vector<double> shardLoad(static_cast<size_t>(cluster->shardCount()), 0.0);
        bool inserts = false;
        for (const engine::OperationPlan& op : plan->operations()) {
            if (op.domain != domain)
                continue; // another table's operation: this key does not route it
            TargetingShares& side = op.write ? out.writes : out.reads;
            inserts = inserts || op.query.kind == OperationKind::Insert;
            const engine::CallShares call = engine::expectCall(setup, op, 0);
            for (size_t s = 0; s < shardLoad.size() && s < call.shardRequests.size(); ++s)
                shardLoad[s] += op.fraction * call.shardRequests[s];
            using queries::Reach;
            if (out.shards == 1 || op.query.reach == Reach::BroadcastRead)
                addShares(side, op.fraction, 1, 0, 0);
            else if (op.query.reach == Reach::EveryShard)
                addShares(side, op.fraction, 0, 0, 1);
            else if (op.query.reach == Reach::BroadcastWrite)
                addShares(side, op.fraction, cluster->databasesPerGroup() > 1 ? 0 : 1, 0, 0);
            else
                addShares(side, op.fraction, 1 - call.crossShard, call.crossShard, 0);
        }
        normalize(out.reads);
        normalize(out.writes);
        double total = 0;
        for (double load : shardLoad)
            total += load;
        const auto hottest = std::max_element(shardLoad.begin(), shardLoad.end());
        out.hottestShardShare = total > 0 ? *hottest / total : 0;
        int lastShard = (*rule)->shardOfInteger(static_cast<int64_t>(keys.keyCount() + 1));
        if (isKey && trace && !trace->requests.empty()) {
            const int lastInsert = countTraceTargeting(*trace, *plan, **rule, domain, out);
            lastShard = lastInsert >= 0 ? lastInsert : lastShard;
        }
        out.verdict = verdictOf(out, rangeRule, inserts, lastShard);
        return out;
    }

} // namespace

Result<ShardKeyAnalysis> analyzeShardKeys(const ScenarioConfig& config, const std::string& tableName,
    const std::vector<std::string>& keys, const std::vector<std::string>& rules)
{
    std::string name = tableName;
    if (name.empty())
        name = !config.workload.mix.empty() && !config.workload.mix.front().tables.empty()
            ? config.workload.mix.front().tables.front()
            : config.data.tables.front().name;
    const TableConfig* table = config.data.findTable(name);
    if (!table) {
        std::vector<std::string> names;
        for (const TableConfig& t : config.data.tables)
            names.push_back(t.name);
        return fail(fmt::format("--table: no table named '{}'{}", name, didYouMean(name, names)));
    }
    if (table->broadcast || !table->boundTo.empty())
        return fail(fmt::format("--table: {} is {}: it has no shard key of its own", name,
            table->broadcast ? "a broadcast table" : "bound to " + table->boundTo));
    std::vector<std::string> columns = keys.empty() ? std::vector<std::string> { table->effectiveShardKey() } : keys;
    std::vector<RuleSpec> specs;
    if (rules.empty())
        specs.push_back(config.sharding.rule);
    for (const std::string& text : rules) {
        auto spec = parseRuleSpec(text);
        if (!spec)
            return fail(fmt::format("--rule {}: {}", text, spec.error()));
        specs.push_back(*spec);
    }
    std::optional<report::TraceKeyStats> trace;
    if (config.workload.keys.kind == KeyDistributionKind::Trace) {
        auto stats = report::traceKeyStats(config, name);
        if (!stats)
            return fail(stats.error());
        trace = std::move(*stats);
    }
    ShardKeyAnalysis out;
    out.table = name;
    const auto t = static_cast<size_t>(table - config.data.tables.data());
    for (const std::string& column : columns) {
        if (!table->hasColumn(column)) {
            std::vector<std::string> names { table->key, table->effectiveShardKey() };
            for (const ColumnSpec& c : table->columns)
                names.push_back(c.name);
            return fail(fmt::format("--key: {} has no column '{}'{}", name, column, didYouMean(column, names)));
        }
        for (const RuleSpec& spec : specs) {
            auto candidate = analyzeCandidate(config, t, column, spec, trace ? &*trace : nullptr);
            if (!candidate)
                return fail(candidate.error());
            out.candidates.push_back(std::move(*candidate));
        }
    }
    return out;
}

std::string formatShardKeyShare(double share)
{
    if (share > 0 && share < 1e-4)
        return "1 in " + units::formatCount(1 / share);
    return fmt::format("{:.3g}%", 100 * share);
}

std::string formatCardinality(int64_t cardinality)
{
    std::string digits = std::to_string(cardinality);
    const size_t first = digits.front() == '-' ? 1 : 0;
    for (size_t at = digits.size(); at > first + 3; at -= 3)
        digits.insert(at - 3, ",");
    return digits;
}

std::string formatMostCommon(const ShardKeyCandidate& candidate)
{
    std::string text;
    for (const KeyValueFrequency& v : candidate.mostCommon)
        text += fmt::format("{}{} ({})", text.empty() ? "" : ", ", v.value, formatShardKeyShare(v.frequency));
    return text;
}

std::string monotonicityType(const ShardKeyCandidate& candidate)
{
    return candidate.monotonic ? "monotonic" : "not monotonic";
}

std::string formatShardKeyAnalysis(const ShardKeyAnalysis& analysis)
{
    std::string text;
    for (const ShardKeyCandidate& c : analysis.candidates) {
        text += fmt::format("{}.{} under {} ({} shards)\n", analysis.table, c.key, c.rule, c.shards);
        text += fmt::format("  cardinality      {}\n", formatCardinality(c.cardinality));
        text += fmt::format("  most common      {}\n", formatMostCommon(c));
        text += fmt::format(
            "  monotonicity     r = {:.3f}, {} ({})\n", c.monotonicity, monotonicityType(c), c.monotonicityHow);
        const auto side = [](const TargetingShares& s) {
            return fmt::format("{} single-shard, {} multi-shard, {} scatter-gather", formatShardKeyShare(s.singleShard),
                formatShardKeyShare(s.multiShard), formatShardKeyShare(s.scatterGather));
        };
        text += fmt::format("  reads            {}\n", side(c.reads));
        text += fmt::format("  writes           {}\n", side(c.writes));
        text += fmt::format("  hottest shard    {} of the requests\n", formatShardKeyShare(c.hottestShardShare));
        if (!c.targetingFrom.empty())
            text += fmt::format("  counted from     the trace: {} (reads, writes, hottest shard)\n", c.targetingFrom);
        text += fmt::format("  verdict          {}\n", c.verdict);
    }
    return text;
}

} // namespace shardsim
