// A run history that is damaged, read-only or locked: refused with a message that says which file, what is
// wrong and what to do, and read when it can be read. Never a run lost without a word, never part of a file
// given as the whole of it.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "history_test_support.h"
#include "shardsim/history/history_recovery.h"

namespace shardsim {
namespace {

    using namespace shardsim::testing;



    int64_t recordOne(const std::filesystem::path& path)
    {
        RunHistory history = mustOpen(path);
        return recordRun(history, SyntheticRun {});
    }

    // Eight runs of 200 ticks on 8 nodes, about 1 MB: the middle of the file is node ticks.
    std::vector<int64_t> recordEightRuns(const std::filesystem::path& path)
    {
        RunHistory history = mustOpen(path);
        std::vector<int64_t> ids;
        for (uint64_t seed = 1; seed <= 8; ++seed)
            ids.push_back(recordRun(history, SyntheticRun { .seed = seed, .ticks = 200, .nodes = 8 }));
        return ids;
    }

    void expectDamaged(const Result<RunHistory>& opened, const std::filesystem::path& path)
    {
        ASSERT_FALSE(opened);
        EXPECT_TRUE(mentions(opened.error(), "run history " + path.string() + ": the file is damaged"))
            << opened.error();
        EXPECT_TRUE(mentions(opened.error(), "'shardsim-cli history recover --history " + path.string() + " --to "))
            << opened.error();
        EXPECT_FALSE(mentions(opened.error(), "migration")) << opened.error();
    }

    TEST(HistoryDamage, PagesOverwrittenInTheMiddleAreFoundWhetherTheFileIsOpenedToWriteOrToRead)
    {
        ScratchDir dir;
        const auto path = dir / "history.sqlite";
        recordEightRuns(path);
        overwriteMiddle(path);
        const std::string damaged = readFile(path);
        expectDamaged(RunHistory::open(path), path);
        expectDamaged(RunHistory::openReadOnly(path), path);
        EXPECT_EQ(readFile(path), damaged) << "a damaged file is left as it was";
    }

    TEST(HistoryDamage, AnEmptyOrInvalidSchemaVersionTableIsCalledDamagedNotAFailedMigration)
    {
        for (const std::string edit : { "DELETE FROM schema_version", "UPDATE schema_version SET version = 'two'",
                 "INSERT INTO schema_version VALUES (2)", "UPDATE schema_version SET version = 0" }) {
            SCOPED_TRACE(edit);
            ScratchDir dir;
            const auto path = dir / "history.sqlite";
            {
                RunHistory history = mustOpen(path);
                recordRun(history, SyntheticRun {});
            }
            ASSERT_EQ(querySqlite(path, edit), "");
            const std::string edited = readFile(path);
            expectDamaged(RunHistory::open(path), path);
            expectDamaged(RunHistory::openReadOnly(path), path);
            EXPECT_TRUE(mentions(RunHistory::open(path).error(), "schema_version table"));
            EXPECT_EQ(readFile(path), edited);

            auto recovered = recoverHistory(path, dir / "recovered.sqlite");
            ASSERT_TRUE(recovered) << recovered.error();
            EXPECT_EQ(recovered->copied.size(), 1u);
        }
    }

    TEST(HistoryRecovery, CopiesEveryRunThatReadsBackWholeKeepingItsIdAndLeavesTheDamagedFileAlone)
    {
        ScratchDir dir;
        const auto path = dir / "history.sqlite";
        const std::vector<int64_t> ids = recordEightRuns(path);
        overwriteMiddle(path);
        const std::string damaged = readFile(path);

        const auto target = dir / "recovered.sqlite";
        auto recovered = recoverHistory(path, target);
        ASSERT_TRUE(recovered) << recovered.error();
        EXPECT_EQ(readFile(path), damaged);
        EXPECT_FALSE(recovered->copied.empty());
        EXPECT_FALSE(recovered->lost.empty()) << "three pages of node ticks were overwritten";
        EXPECT_TRUE(recovered->everyRunListed) << "the runs table is at the start of the file";
        std::vector<int64_t> accounted = recovered->copied;
        for (const LostRun& lost : recovered->lost) {
            accounted.push_back(lost.id);
            EXPECT_FALSE(lost.reason.empty());
        }
        std::sort(accounted.begin(), accounted.end());
        EXPECT_EQ(accounted, ids);

        RunHistory fresh = mustOpen(target);
        std::vector<int64_t> stored;
        const auto listed = fresh.list();
        ASSERT_TRUE(listed) << listed.error();
        for (const RunRecord& run : *listed)
            stored.push_back(run.id);
        std::sort(stored.begin(), stored.end());
        EXPECT_EQ(stored, recovered->copied);
        for (const int64_t id : recovered->copied) {
            const auto ticks = fresh.nodeTicks(id);
            ASSERT_TRUE(ticks) << ticks.error();
            ASSERT_EQ(ticks->size(), 1600u) << "run " << id;
            for (const StoredNodeTick& row : *ticks)
                ASSERT_EQ(row.values.qps, syntheticTick(row.tick, row.node).qps) << "run " << id;
            EXPECT_EQ(fresh.get(id)->value().record.seed, static_cast<uint64_t>(id)) << "the seeds were 1..8";
        }
        EXPECT_GT(recordRun(fresh, SyntheticRun {}), ids.back()) << "ids are never reused";
    }

    TEST(HistoryRecovery, AnIntactFileIsCopiedWholeAndNoIdItEverGaveIsGivenAgain)
    {
        ScratchDir dir;
        const auto path = dir / "history.sqlite";
        int64_t kept = 0;
        int64_t deleted = 0;
        {
            RunHistory history = mustOpen(path);
            kept = recordRun(history, SyntheticRun { .scenario = "kept", .overrides = { "cluster.nodes=3" } });
            deleted = recordRun(history, SyntheticRun {});
            ASSERT_TRUE(*history.remove(deleted));
        }
        const auto target = dir / "copy.sqlite";
        auto recovered = recoverHistory(path, target);
        ASSERT_TRUE(recovered) << recovered.error();
        EXPECT_EQ(recovered->copied, std::vector<int64_t> { kept });
        EXPECT_TRUE(recovered->lost.empty());

        RunHistory copy = mustOpen(target);
        const auto run = copy.get(kept);
        ASSERT_TRUE(run && *run);
        EXPECT_EQ((*run)->record.scenario, "kept");
        EXPECT_EQ((*run)->overrides, std::vector<std::string> { "cluster.nodes=3" });
        EXPECT_EQ(copy.nodeTicks(kept)->size(), 30u);
        EXPECT_GT(recordRun(copy, SyntheticRun {}), deleted);

        auto again = recoverHistory(path, target);
        ASSERT_FALSE(again);
        EXPECT_TRUE(mentions(again.error(), target.string() + " already exists")) << again.error();
    }

    TEST(HistoryReadOnly, AWriteProtectedFileIsReadWithoutWritingAnythingAndRefusedForRecording)
    {
        ScratchDir dir;
        const auto path = dir / "history.sqlite";
        const int64_t id = recordOne(path);
        const std::string before = readFile(path);
        WriteProtection protection(path);
        if (!protection.ok())
            GTEST_SKIP() << WriteProtection::kUnavailable;

        auto writable = RunHistory::open(path);
        ASSERT_FALSE(writable);
        EXPECT_TRUE(mentions(writable.error(), path.string() + ": is read-only")) << writable.error();
        auto readable = RunHistory::openReadOnly(path);
        ASSERT_TRUE(readable) << readable.error();
        ASSERT_EQ(readable->list()->size(), 1u);
        EXPECT_EQ(readable->nodeTicks(id)->size(), 30u);
        EXPECT_EQ(readFile(path), before);
        EXPECT_FALSE(std::filesystem::exists(dir / "history.sqlite-wal"));
        EXPECT_FALSE(std::filesystem::exists(dir / "history.sqlite-shm"));
    }

    TEST(HistoryReadOnly, AFileInAWriteProtectedDirectoryIsReadAndRecordingSaysWhyNot)
    {
        ScratchDir dir;
        const auto folder = dir / "shared";
        const auto path = folder / "history.sqlite";
        const int64_t id = recordOne(path);
        WriteProtection protection(folder);
        if (!protection.ok())
            GTEST_SKIP() << WriteProtection::kUnavailable;

        auto writable = RunHistory::open(path);
        ASSERT_FALSE(writable);
        EXPECT_TRUE(mentions(writable.error(), "its directory " + folder.string() + " is not writable"))
            << writable.error();
        auto readable = RunHistory::openReadOnly(path);
        ASSERT_TRUE(readable) << readable.error();
        EXPECT_EQ(readable->list()->size(), 1u);
        EXPECT_EQ(readable->get(id)->value().record.scenario, "orders");
    }

    TEST(HistoryLocking, ACommitThatWaitsPastTheBusyTimeoutIsReportedAndStoresNothing)
    {
        ScratchDir dir;
        const auto path = dir / "history.sqlite";
        RunHistory history = mustOpen(path);
        history.setBusyTimeout(100);

        // Another process holds the write lock for longer than the recording waits.
        sqlite3* other = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
        HistorySink sink(history, scenarioOf(SyntheticRun {}), syntheticSummary);
        startAndTick(sink, SyntheticRun {}, syntheticTick);
        sink.onFinish(resultOf(SyntheticRun {}));
        sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(other);

        EXPECT_FALSE(sink.runId());
        EXPECT_TRUE(mentions(sink.error(), "run history " + path.string() + ": the run was not recorded"))
            << sink.error();
        EXPECT_TRUE(mentions(sink.error(), "database is locked: another process kept it locked")) << sink.error();
        EXPECT_TRUE(history.list()->empty());
    }

    // The front ends refuse a run with a NaN as a wrong answer; the history must not keep it as one either.
    TEST(HistoryNonFinite, ARunWithANonFiniteResultIsNotRecordedAndTheSinkSaysWhich)
    {
        ScratchDir dir;
        RunHistory history = mustOpen(dir / "history.sqlite");
        const SyntheticRun run;
        HistorySink sink(history, scenarioOf(run), syntheticSummary);
        startAndTick(sink, run, syntheticTick);
        RunResult result = resultOf(run);
        result.nodes[1].p99LatencyMs = std::nan("");
        sink.onFinish(result);
        EXPECT_FALSE(sink.runId().has_value());
        EXPECT_TRUE(mentions(sink.error(), "nodes[1].p99_latency_ms")) << sink.error();
        EXPECT_TRUE(history.list()->empty());
    }

} // namespace
} // namespace shardsim
