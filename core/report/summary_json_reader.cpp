// The inverse of summaryJson (summary_json.cpp): field for field, in the same order, so the two are read side by side.

#include "shardsim/report/summary_json.h"

#include <array>
#include <fmt/format.h>
#include <limits>
#include <map>

#include "shardsim/common/run_clock.h"
#include "shardsim/engine/engine_mode_names.h"

namespace shardsim {

namespace {

    using Json = nlohmann::json;

    // Reads members into a RunResult, keeping the first field of the wrong kind. A member that is absent keeps what
    // its target holds, so summaries written before a field existed read back with RunResult's defaults.
    class FieldReader {
    public:
        const std::string& error() const { return m_error; }

        void number(const Json& object, const char* key, double& out, const std::string& at)
        {
            const Json* value = member(object, key);
            if (!value)
                return;
            if (value->is_null())
                out = std::numeric_limits<double>::quiet_NaN(); // how JSON writes NaN and infinities
            else if (value->is_number())
                out = value->get<double>();
            else
                wrong(at, key, "a number", *value);
        }

        template <typename Int> void integer(const Json& object, const char* key, Int& out, const std::string& at)
        {
            const Json* value = member(object, key);
            if (!value)
                return;
            const bool fits = value->is_number_unsigned()
                ? value->get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<Int>::max())
                : value->is_number_integer() && value->get<int64_t>() >= static_cast<int64_t>(std::numeric_limits<Int>::min());
            if (fits)
                out = value->get<Int>();
            else
                wrong(at, key, "a whole number", *value);
        }

        void text(const Json& object, const char* key, std::string& out, const std::string& at)
        {
            const Json* value = member(object, key);
            if (!value)
                return;
            if (value->is_string())
                out = value->get<std::string>();
            else
                wrong(at, key, "a string", *value);
        }

        void flag(const Json& object, const char* key, bool& out, const std::string& at)
        {
            const Json* value = member(object, key);
            if (!value)
                return;
            if (value->is_boolean())
                out = value->get<bool>();
            else
                wrong(at, key, "true or false", *value);
        }

        void numbers(const Json& object, const char* key, std::vector<double>& out, const std::string& at)
        {
            const Json* values = array(object, key, at);
            if (!values)
                return;
            out.assign(values->size(), 0.0);
            for (size_t i = 0; i < values->size(); ++i)
                element(*values, i, out[i], fieldPath(at, key));
        }

        // The member as an array or object; null when absent or of the wrong kind (then an error is kept).
        const Json* array(const Json& object, const char* key, const std::string& at) { return part(object, key, at, true); }
        const Json* object(const Json& object, const char* key, const std::string& at)
        {
            return part(object, key, at, false);
        }

        static std::string fieldPath(const std::string& at, const char* key)
        {
            return at.empty() ? std::string(key) : at + "." + key;
        }
        static std::string itemPath(const std::string& at, const char* key, size_t index)
        {
            return fmt::format("{}[{}]", fieldPath(at, key), index);
        }

        // Keeps `path: expected ..., found ...` unless an earlier field already failed.
        void wrongKind(const std::string& path, const char* expected, const Json& found)
        {
            if (m_error.empty())
                m_error = fmt::format("{}: expected {}, found {}", path, expected, kindOf(found));
        }

    private:
        void element(const Json& values, size_t index, double& out, const std::string& at)
        {
            const Json& value = values[index];
            if (value.is_null())
                out = std::numeric_limits<double>::quiet_NaN();
            else if (value.is_number())
                out = value.get<double>();
            else
                wrongKind(fmt::format("{}[{}]", at, index), "a number", value);
        }

        const Json* member(const Json& object, const char* key) const
        {
            if (!m_error.empty() || !object.is_object())
                return nullptr;
            const auto it = object.find(key);
            return it == object.end() ? nullptr : &*it;
        }

        const Json* part(const Json& object, const char* key, const std::string& at, bool isArray)
        {
            const Json* value = member(object, key);
            if (!value)
                return nullptr;
            if (isArray ? value->is_array() : value->is_object())
                return value;
            wrong(at, key, isArray ? "an array" : "an object", *value);
            return nullptr;
        }

        void wrong(const std::string& at, const char* key, const char* expected, const Json& found)
        {
            wrongKind(fieldPath(at, key), expected, found);
        }

        static std::string kindOf(const Json& value)
        {
            if (value.is_string())
                return fmt::format("the string \"{}\"", value.get<std::string>());
            if (value.is_number() || value.is_boolean())
                return value.dump();
            return std::string(value.is_array() ? "an array" : value.is_object() ? "an object" : value.type_name());
        }

        std::string m_error;
    };

    void readImbalance(FieldReader& in, const Json& json, const char* key, Imbalance& out)
    {
        const Json* imbalance = in.object(json, key, "");
        if (!imbalance)
            return;
        in.number(*imbalance, "max_over_mean", out.maxOverMean, key);
        in.number(*imbalance, "cv", out.cv, key);
        in.number(*imbalance, "gini", out.gini, key);
    }

    void readService(FieldReader& in, const Json& json, RunResult& result)
    {
        const Json* service = in.object(json, "service", "");
        if (!service)
            return;
        in.number(*service, "servers", result.service.servers, "service");
        std::string from;
        in.text(*service, "servers_from", from, "service");
        result.service.serversGiven = from == "concurrency";
        double serviceTimeMs = result.service.serviceTimeS * 1e3;
        in.number(*service, "service_time_ms", serviceTimeMs, "service");
        result.service.serviceTimeS = serviceTimeMs / 1e3;
        in.number(*service, "queue_timeout_s", result.service.queueTimeoutS, "service");
    }

    void readLatency(FieldReader& in, const Json& json, RunResult& result)
    {
        const Json* latency = in.object(json, "latency", "");
        if (!latency)
            return;
        in.number(*latency, "p50_ms", result.latency.p50Ms, "latency");
        in.number(*latency, "p95_ms", result.latency.p95Ms, "latency");
        in.number(*latency, "p99_ms", result.latency.p99Ms, "latency");
        in.number(*latency, "p999_ms", result.latency.p999Ms, "latency");
    }

    void readCost(FieldReader& in, const Json& json, RunResult& result)
    {
        const Json* cost = in.object(json, "cost", "");
        if (!cost)
            return;
        in.integer(*cost, "nodes_at_start", result.cost.nodesAtStart, "cost");
        in.integer(*cost, "nodes_at_end", result.cost.nodesAtEnd, "cost");
        in.number(*cost, "per_month_at_start", result.cost.monthlyAtStart, "cost");
        in.number(*cost, "per_month_at_end", result.cost.monthlyAtEnd, "cost");
    }

    void readNodes(FieldReader& in, const Json& json, RunResult& result)
    {
        const Json* nodes = in.array(json, "nodes", "");
        for (size_t i = 0; nodes && i < nodes->size(); ++i) {
            const Json& node = (*nodes)[i];
            const std::string at = FieldReader::itemPath("", "nodes", i);
            NodeSummary& out = result.nodes.emplace_back();
            in.text(node, "name", out.name, at);
            in.text(node, "region", out.region, at);
            in.number(node, "requests", out.requests, at);
            in.number(node, "share", out.share, at);
            in.number(node, "mean_qps", out.meanQps, at);
            in.number(node, "peak_qps", out.peakQps, at);
            in.number(node, "peak_utilization", out.peakUtilization, at);
            in.number(node, "p50_latency_ms", out.p50LatencyMs, at);
            in.number(node, "p95_latency_ms", out.p95LatencyMs, at);
            in.number(node, "p99_latency_ms", out.p99LatencyMs, at);
            in.number(node, "p999_latency_ms", out.p999LatencyMs, at);
            in.number(node, "served_requests", out.servedRequests, at);
            in.number(node, "shed_requests", out.shedRequests, at);
            in.number(node, "queued_requests", out.queuedRequests, at);
            in.number(node, "rows", out.rows, at);
            in.number(node, "bytes", out.bytes, at);
            in.number(node, "storage_utilization", out.storageUtilization, at);
            in.text(node, "database", out.database, at);
        }
    }

    // Shards and migrations name their nodes; the summary writes a node that is not in `nodes` as "".
    int nodeIndex(const std::map<std::string, int>& nodes, const std::string& name, int missing)
    {
        const auto it = nodes.find(name);
        return it == nodes.end() ? missing : it->second;
    }

    std::map<std::string, int> nodeIndexes(const RunResult& result)
    {
        std::map<std::string, int> indexes;
        for (size_t n = 0; n < result.nodes.size(); ++n)
            indexes.emplace(result.nodes[n].name, static_cast<int>(n));
        return indexes;
    }

    void readShards(FieldReader& in, const Json& json, const std::map<std::string, int>& nodes, RunResult& result)
    {
        const Json* shards = in.array(json, "shards", "");
        for (size_t i = 0; shards && i < shards->size(); ++i) {
            const Json& shard = (*shards)[i];
            const std::string at = FieldReader::itemPath("", "shards", i);
            ShardSummary& out = result.shards.emplace_back();
            in.text(shard, "name", out.name, at);
            std::string node;
            in.text(shard, "node", node, at);
            out.node = nodeIndex(nodes, node, -1);
            in.number(shard, "requests", out.requests, at);
            in.number(shard, "share", out.share, at);
            in.number(shard, "rows", out.rows, at);
        }
    }

    void readTables(FieldReader& in, const Json& json, RunResult& result)
    {
        const Json* tables = in.array(json, "tables", "");
        for (size_t i = 0; tables && i < tables->size(); ++i) {
            const Json& table = (*tables)[i];
            const std::string at = FieldReader::itemPath("", "tables", i);
            TableSummary& out = result.tables.emplace_back();
            in.text(table, "name", out.name, at);
            in.number(table, "rows", out.rows, at);
            in.integer(table, "physical_tables", out.physicalTables, at);
            in.number(table, "max_rows_per_table", out.maxRowsPerTable, at);
            in.text(table, "largest", out.largest, at);
            in.integer(table, "over_limit", out.overLimit, at);
            in.number(table, "row_size", out.rowSize, at);
            in.number(table, "rows_per_page", out.rowsPerPage, at);
            in.number(table, "share_standard_error", out.shareStandardError, at);
        }
    }

    void readOperations(FieldReader& in, const Json& json, RunResult& result)
    {
        const Json* operations = in.array(json, "operations", "");
        for (size_t i = 0; operations && i < operations->size(); ++i) {
            const std::string at = FieldReader::itemPath("", "operations", i);
            OperationSummary& out = result.operations.emplace_back();
            in.text((*operations)[i], "op", out.name, at);
            in.number((*operations)[i], "requests", out.requests, at);
            in.number((*operations)[i], "share", out.share, at);
        }
    }

    void readQueries(FieldReader& in, const Json& json, RunResult& result)
    {
        const Json* queries = in.array(json, "queries", "");
        for (size_t i = 0; queries && i < queries->size(); ++i) {
            const Json& query = (*queries)[i];
            const std::string at = FieldReader::itemPath("", "queries", i);
            QuerySummary& out = result.queries.emplace_back();
            in.text(query, "op", out.op, at);
            in.text(query, "kind", out.kind, at);
            in.number(query, "calls", out.calls, at);
            in.number(query, "shard_requests", out.shardRequests, at);
            in.number(query, "mean_fanout", out.meanFanout, at);
            in.integer(query, "max_fanout", out.maxFanout, at);
            in.numbers(query, "fanout_histogram", out.fanoutHistogram, at);
            in.number(query, "rows_read_per_call", out.rowsReadPerCall, at);
            in.number(query, "extra_lookups_per_call", out.extraLookupsPerCall, at);
            in.number(query, "cross_shard_fraction", out.crossShardFraction, at);
            in.number(query, "extra_round_trips_per_call", out.extraRoundTripsPerCall, at);
            in.number(query, "amplification", out.amplification, at);
            in.numbers(query, "node_load", out.nodeLoad, at);
            in.text(query, "keys", out.keys, at);
        }
    }

    void readPeak(FieldReader& in, const Json& json, RunResult& result)
    {
        const Json* peak = in.object(json, "peak", "");
        if (!peak)
            return;
        in.integer(*peak, "tick", result.peak.tick, "peak");
        in.number(*peak, "time", result.peak.time, "peak");
        in.number(*peak, "qps", result.peak.qps, "peak");
    }

    void readExpectations(FieldReader& in, const Json& json, RunResult& result)
    {
        const Json* expectations = in.array(json, "expectations", "");
        for (size_t i = 0; expectations && i < expectations->size(); ++i) {
            const Json& expectation = (*expectations)[i];
            const std::string at = FieldReader::itemPath("", "expectations", i);
            ExpectationResult& out = result.expectations.emplace_back();
            in.text(expectation, "metric", out.metric, at);
            in.text(expectation, "bound", out.bound, at);
            in.flag(expectation, "ok", out.ok, at);
            in.number(expectation, "value", out.value, at);
            if (expectation.is_object() && expectation.contains("at"))
                in.number(expectation, "at", out.at.emplace(), at);
            in.integer(expectation, "line", out.line, at);
            in.text(expectation, "origin", out.origin, at);
        }
    }

    // A migration's per-node bytes: the summary lists only the nodes that sent or received, by name.
    void readMigrationNodes(FieldReader& in, const Json& migration, const std::string& at,
        const std::map<std::string, int>& nodes, MigrationSummary& out)
    {
        out.nodeOutBytes.assign(nodes.size(), 0.0);
        out.nodeInBytes.assign(nodes.size(), 0.0);
        const Json* moves = in.array(migration, "nodes", at);
        for (size_t i = 0; moves && i < moves->size(); ++i) {
            const Json& move = (*moves)[i];
            const std::string moveAt = FieldReader::itemPath(at, "nodes", i);
            std::string name;
            in.text(move, "name", name, moveAt);
            const int node = nodeIndex(nodes, name, -1);
            double outBytes = 0;
            double inBytes = 0;
            in.number(move, "out_bytes", outBytes, moveAt);
            in.number(move, "in_bytes", inBytes, moveAt);
            if (node >= 0) {
                out.nodeOutBytes[static_cast<size_t>(node)] = outBytes;
                out.nodeInBytes[static_cast<size_t>(node)] = inBytes;
            }
        }
    }

    void readMigrations(FieldReader& in, const Json& json, const std::map<std::string, int>& nodes, RunResult& result)
    {
        const Json* migrations = in.array(json, "migrations", "");
        for (size_t i = 0; migrations && i < migrations->size(); ++i) {
            const Json& migration = (*migrations)[i];
            const std::string at = FieldReader::itemPath("", "migrations", i);
            MigrationSummary& out = result.migrations.emplace_back();
            in.text(migration, "event", out.event, at);
            in.text(migration, "kind", out.kind, at);
            in.number(migration, "at_s", out.atS, at);
            in.number(migration, "moved_fraction", out.movedFraction, at);
            in.number(migration, "optimum_fraction", out.optimumFraction, at);
            in.number(migration, "moved_rows", out.movedRows, at);
            in.number(migration, "moved_bytes", out.movedBytes, at);
            in.number(migration, "catch_up_bytes", out.catchUpBytes, at);
            in.number(migration, "bandwidth", out.bandwidth, at);
            in.number(migration, "copy_s", out.copyS, at);
            in.number(migration, "catch_up_s", out.catchUpS, at);
            in.number(migration, "duration_s", out.durationS, at);
            in.flag(migration, "finished", out.finished, at);
            in.flag(migration, "exact", out.exact, at);
            in.number(migration, "peak_extra_utilization", out.peakExtraUtilization, at);
            readMigrationNodes(in, migration, at, nodes, out);
        }
    }

    void readFailovers(FieldReader& in, const Json& json, const std::map<std::string, int>& nodes, RunResult& result)
    {
        const Json* failovers = in.array(json, "failovers", "");
        for (size_t i = 0; failovers && i < failovers->size(); ++i) {
            const Json& failover = (*failovers)[i];
            const std::string at = FieldReader::itemPath("", "failovers", i);
            FailoverSummary& out = result.failovers.emplace_back();
            std::string node;
            std::string takeover;
            in.text(failover, "node", node, at);
            in.text(failover, "takeover_node", takeover, at);
            out.node = nodeIndex(nodes, node, -1);
            out.takeoverNode = nodeIndex(nodes, takeover, -1);
            in.number(failover, "at_s", out.atS, at);
            if (failover.is_object() && failover.contains("recovered_at_s") && !failover["recovered_at_s"].is_null())
                in.number(failover, "recovered_at_s", out.recoveredAtS.emplace(), at);
            in.integer(failover, "databases_taken_over", out.databasesTakenOver, at);
            in.integer(failover, "databases_lost", out.databasesLost, at);
            in.number(failover, "takeover_peak_utilization", out.takeoverPeakUtilization, at);
            in.number(failover, "takeover_peak_at_s", out.takeoverPeakAtS, at);
            in.number(failover, "shed_requests", out.shedRequests, at);
            in.number(failover, "failed_requests", out.failedRequests, at);
        }
    }

    void readRanges(FieldReader& in, const Json& json, const std::map<std::string, int>& nodes, RunResult& result)
    {
        if (!json.is_object() || !json.contains("ranges"))
            return;
        const Json* ranges = in.object(json, "ranges", "");
        if (!ranges)
            return;
        RangesSummary& out = result.ranges.emplace();
        const auto optional = [&](const char* key, std::optional<double>& value) {
            if (ranges->contains(key) && !(*ranges)[key].is_null())
                in.number(*ranges, key, value.emplace(), "ranges");
        };
        in.integer(*ranges, "start", out.start, "ranges");
        in.integer(*ranges, "end", out.end, "ranges");
        in.integer(*ranges, "splits", out.splits, "ranges");
        in.integer(*ranges, "merges", out.merges, "ranges");
        in.integer(*ranges, "moves", out.moves, "ranges");
        in.number(*ranges, "bytes_moved", out.bytesMoved, "ranges");
        const Json* keys = in.array(*ranges, "unsplittable", "ranges");
        for (size_t i = 0; keys && i < keys->size(); ++i) {
            const std::string at = FieldReader::itemPath("ranges", "unsplittable", i);
            UnsplittableRange& key = out.unsplittable.emplace_back();
            std::string node;
            in.integer((*keys)[i], "key", key.key, at);
            in.number((*keys)[i], "rate", key.rate, at);
            in.text((*keys)[i], "node", node, at);
            key.node = nodeIndex(nodes, node, -1);
        }
        optional("balanced_at_s", out.balancedAtS);
        in.integer(*ranges, "max_ranges_per_node", out.maxRangesPerNode, "ranges");
        in.integer(*ranges, "min_ranges_per_node", out.minRangesPerNode, "ranges");
        in.integer(*ranges, "load_splits", out.loadSplits, "ranges");
        optional("first_load_split_s", out.firstLoadSplitS);
        optional("last_load_split_s", out.lastLoadSplitS);
        in.integer(*ranges, "load_split_nodes", out.loadSplitNodes, "ranges");
        in.number(*ranges, "node_max_qps", out.nodeMaxQps, "ranges");
        in.integer(*ranges, "leader_transfers", out.leaderTransfers, "ranges"); // absent before hot scheduling
    }

    void readAvailability(FieldReader& in, const Json& json, RunResult& result)
    {
        const Json* availability = in.object(json, "availability", "");
        if (!availability)
            return;
        AvailabilitySummary& out = result.availability;
        in.number(*availability, "failed_requests", out.failedRequests, "availability");
        in.number(*availability, "failed_fraction", out.failedFraction, "availability");
        in.number(*availability, "affected_users_fraction", out.affectedUsersFraction, "availability");
        in.number(*availability, "unavailable_seconds", out.unavailableSeconds, "availability");
    }

    void readWarnings(FieldReader& in, const Json& json, RunResult& result)
    {
        const Json* warnings = in.array(json, "warnings", "");
        for (size_t i = 0; warnings && i < warnings->size(); ++i) {
            const Json& warning = (*warnings)[i];
            if (!warning.is_string())
                return in.wrongKind(FieldReader::itemPath("", "warnings", i), "a string", warning);
            result.warnings.push_back(warning.get<std::string>());
        }
    }

    // Line and column (1-based) of a byte offset, for a parse error a person can find in an editor.
    std::pair<size_t, size_t> lineAndColumn(std::string_view text, size_t offset)
    {
        offset = std::min(offset, text.size());
        size_t line = 1;
        size_t lineStart = 0;
        for (size_t i = 0; i < offset; ++i)
            if (text[i] == '\n') {
                ++line;
                lineStart = i + 1;
            }
        return { line, offset - lineStart + 1 };
    }

} // namespace

Result<RunResult> readSummaryJson(std::string_view text, std::string_view source)
{
    Json json;
    try {
        json = Json::parse(text);
    } catch (const Json::parse_error& error) {
        // nlohmann counts the byte it stopped at from 1.
        const auto [line, column] = lineAndColumn(text, error.byte > 0 ? error.byte - 1 : 0);
        std::string what = error.what();
        if (const auto colon = what.find("parse error"); colon != std::string::npos)
            what = what.substr(colon);
        return fail(fmt::format("{}:{}:{}: not a summary.json: {}", source, line, column, what));
    }
    if (!json.is_object())
        return fail(fmt::format("{}: not a summary.json: expected an object, found {}", source, json.type_name()));

    FieldReader in;
    RunResult result;
    in.text(json, "scenario", result.scenario, "");
    in.integer(json, "seed", result.seed, "");
    std::string engine(engineModeName(result.engine));
    in.text(json, "engine", engine, "");
    in.integer(json, "ticks", result.ticks, "");
    in.number(json, "tick_seconds", result.tickSeconds, "");
    std::string start;
    in.text(json, "start", start, "");
    in.number(json, "requests", result.requests, "");
    in.number(json, "served_requests", result.servedRequests, "");
    in.number(json, "shed_requests", result.shedRequests, "");
    in.number(json, "queued_requests", result.queuedRequests, "");
    in.number(json, "failed_requests", result.failedRequests, "");
    in.flag(json, "cancelled", result.cancelled, "");
    readService(in, json, result);
    readLatency(in, json, result);
    readCost(in, json, result);
    readNodes(in, json, result);
    const std::map<std::string, int> nodes = nodeIndexes(result);
    readShards(in, json, nodes, result);
    readTables(in, json, result);
    readOperations(in, json, result);
    in.number(json, "client_requests", result.clientRequests, "");
    readQueries(in, json, result);
    readImbalance(in, json, "imbalance", result.imbalance);
    readPeak(in, json, result);
    readExpectations(in, json, result);
    readMigrations(in, json, nodes, result);
    readAvailability(in, json, result);
    readFailovers(in, json, nodes, result);
    readRanges(in, json, nodes, result);
    readWarnings(in, json, result);
    if (!in.error().empty())
        return fail(fmt::format("{}: {}", source, in.error()));

    const std::optional<EngineMode> mode = kEngineModeNames.parse(engine);
    if (!mode)
        return fail(fmt::format("{}: engine: expected \"auto\", \"sampled\" or \"expected\", found \"{}\"", source, engine));
    result.engine = *mode;
    if (!start.empty()) {
        auto clock = parseTimeOfDay(start);
        if (!clock)
            return fail(fmt::format("{}: start: {}", source, clock.error()));
        result.start = *clock;
    }
    return result;
}

} // namespace shardsim
