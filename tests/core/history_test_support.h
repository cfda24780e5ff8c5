#pragma once
// Shared by the run history tests: a scratch directory and runs recorded the way the engine drives sinks.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

#include "shardsim/history/history_sink.h"
#include "shardsim/history/run_history.h"

namespace shardsim::testing {

inline std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline bool mentions(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// A history the test needs; a failure to open throws, which fails the test that needed it, not the others.
inline RunHistory mustOpen(const std::filesystem::path& path)
{
    auto history = RunHistory::open(path);
    if (!history)
        throw std::runtime_error(history.error());
    return std::move(history).value();
}

class ScratchDir {
public:
    ScratchDir()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "shardsim-history-XXXXXX").string();
        if (mkdtemp(pattern.data()))
            m_path = pattern;
    }
    ~ScratchDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

struct SyntheticRun {
    std::string scenario = "orders";
    uint64_t seed = 1;
    int64_t ticks = 10;
    int nodes = 3;
    std::string sourceText = "name: orders\nduration: 10s\n";
    std::vector<std::string> overrides {};
    int failedExpectations = 0;
};

// Values that differ per tick and node, so a row stored at the wrong place shows.
inline NodeTick syntheticTick(int64_t tick, int node)
{
    NodeTick values;
    values.qps = 100.0 * (node + 1) + static_cast<double>(tick);
    values.utilization = values.qps / 1'000;
    values.meanLatencyMs = 1 + 0.25 * static_cast<double>(tick);
    values.p99LatencyMs = 2 + 0.5 * static_cast<double>(tick);
    values.shedQps = node == 0 ? 1.5 : 0;
    values.servedQps = values.qps - values.shedQps - 0.25;
    values.queued = 0.25 * static_cast<double>(node);
    values.p50LatencyMs = 1 + 0.125 * static_cast<double>(tick + node);
    values.p95LatencyMs = values.p50LatencyMs + 1;
    values.p999LatencyMs = values.p99LatencyMs + 3 + static_cast<double>(node);
    values.rows = static_cast<double>(tick * 10 + node);
    values.bytes = values.rows * 128;
    return values;
}

inline ScenarioConfig scenarioOf(const SyntheticRun& run)
{
    ScenarioConfig config;
    config.name = run.scenario;
    config.seed = run.seed;
    config.sourceText = run.sourceText;
    config.sourceFile = run.scenario + ".yaml";
    config.overrides = run.overrides;
    return config;
}

inline std::string syntheticSummary(const RunResult& result)
{
    return nlohmann::json { { "scenario", result.scenario }, { "requests", result.requests } }.dump();
}

inline std::vector<NodeSummary> nodeSummaries(int nodes)
{
    std::vector<NodeSummary> summaries(static_cast<size_t>(nodes));
    for (int n = 0; n < nodes; ++n) {
        summaries[static_cast<size_t>(n)].name = "node-" + std::to_string(n + 1);
        summaries[static_cast<size_t>(n)].region = n % 2 ? "eu" : "us";
    }
    return summaries;
}

// Drives a sink through onStart and every tick, as Simulation::step does; finishing is left to the caller.
template <typename TickValues> void startAndTick(MetricsSink& sink, const SyntheticRun& run, TickValues values)
{
    const std::vector<NodeSummary> nodes = nodeSummaries(run.nodes);
    sink.onStart(RunStart { run.scenario, run.seed, EngineMode::Expected, run.ticks, 1.0, {}, nodes });
    std::vector<NodeTick> tickValues(static_cast<size_t>(run.nodes));
    for (int64_t tick = 0; tick < run.ticks; ++tick) {
        for (int n = 0; n < run.nodes; ++n)
            tickValues[static_cast<size_t>(n)] = values(tick, n);
        sink.onTick(tick, ClusterTick {}, tickValues);
    }
}

inline RunResult resultOf(const SyntheticRun& run)
{
    RunResult result;
    result.scenario = run.scenario;
    result.seed = run.seed;
    result.engine = EngineMode::Expected;
    result.ticks = run.ticks;
    result.tickSeconds = 1;
    result.requests = 1'000.0 * static_cast<double>(run.ticks);
    result.nodes = nodeSummaries(run.nodes);
    for (int e = 0; e < 2; ++e) {
        ExpectationResult expectation;
        expectation.metric = "imbalance.max_over_mean";
        expectation.bound = "<= 3";
        expectation.ok = e >= run.failedExpectations;
        result.expectations.push_back(expectation);
    }
    return result;
}

// Records a whole run; returns its id, or 0 with a test failure.
template <typename TickValues> int64_t recordRun(RunHistory& history, const SyntheticRun& run, TickValues values)
{
    HistorySink sink(history, scenarioOf(run), syntheticSummary);
    startAndTick(sink, run, values);
    sink.onFinish(resultOf(run));
    EXPECT_TRUE(sink.error().empty()) << sink.error();
    EXPECT_TRUE(sink.runId().has_value());
    return sink.runId().value_or(0);
}

inline int64_t recordRun(RunHistory& history, const SyntheticRun& run)
{
    return recordRun(history, run, syntheticTick);
}

// Straight from SQLite, bypassing RunHistory, as an outside tool would see the file: the first column of
// the first row, "" when there is no row, "error: ..." when SQLite fails.
inline std::string querySqlite(const std::filesystem::path& path, const std::string& sql)
{
    sqlite3* db = nullptr;
    std::string value;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
        value = std::string("error: ") + sqlite3_errmsg(db);
    } else {
        sqlite3_busy_timeout(db, 10'000);
        sqlite3_stmt* statement = nullptr;
        const int code = sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK
            ? sqlite3_step(statement)
            : SQLITE_ERROR;
        if (code == SQLITE_ROW) {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
            value = text ? text : "NULL";
        } else if (code != SQLITE_DONE) {
            value = std::string("error: ") + sqlite3_errmsg(db);
        }
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return value;
}

// Overwrites `pages` pages of 4 KiB (SQLite's page size) in the middle of the file with a pattern, as a failing
// disk or a stray write would.
inline void overwriteMiddle(const std::filesystem::path& path, int pages = 3)
{
    constexpr std::uintmax_t kPage = 4096;
    const std::uintmax_t offset = std::filesystem::file_size(path) / 2 / kPage * kPage;
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(offset));
    const std::string pattern(static_cast<size_t>(pages) * kPage, '\xa5');
    file.write(pattern.data(), static_cast<std::streamsize>(pattern.size()));
}

// Takes away the right to write a file or directory, as long as it lives: its permissions for a user, and for
// root, whom permissions do not stop, the immutable attribute (`chattr +i`). ok() is false where neither works.
class WriteProtection {
public:
    explicit WriteProtection(std::filesystem::path path)
        : m_path(std::move(path))
    {
        if (geteuid() != 0) {
            m_permissions = std::filesystem::status(m_path).permissions();
            using std::filesystem::perms;
            std::filesystem::permissions(m_path, perms::owner_write | perms::group_write | perms::others_write,
                std::filesystem::perm_options::remove);
            m_ok = true;
        } else {
            m_immutable = m_ok = std::system(("chattr +i '" + m_path.string() + "' 2>/dev/null").c_str()) == 0;
        }
    }
    ~WriteProtection()
    {
        if (m_immutable)
            std::system(("chattr -i '" + m_path.string() + "'").c_str());
        else if (m_ok)
            std::filesystem::permissions(m_path, m_permissions);
    }
    WriteProtection(const WriteProtection&) = delete;
    WriteProtection& operator=(const WriteProtection&) = delete;

    bool ok() const { return m_ok; }
    static constexpr const char* kUnavailable
        = "running as root, whom permissions do not stop, and `chattr +i` does not work here";

private:
    std::filesystem::path m_path;
    std::filesystem::perms m_permissions {};
    bool m_ok = false;
    bool m_immutable = false;
};

} // namespace shardsim::testing
