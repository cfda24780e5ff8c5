// A process killed with SIGKILL while it records a run — while staging ticks, or half-way through the
// commit — must leave a history file that passes SQLite's integrity check and still lists every run that
// was committed before, each complete.

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <set>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "history_test_support.h"

namespace shardsim {
namespace {

    using namespace shardsim::testing;
    using Clock = std::chrono::steady_clock;

    // 125 nodes x 2,000 ticks is the most a run stores (kHistoryMaxStoredNodeTicks), so the commit that
    // moves it into the file takes long enough to be killed in the middle.
    const SyntheticRun kBigRun { .scenario = "big", .ticks = 2'000, .nodes = 125 };
    constexpr int64_t kBigRunRows = 250'000;
    static_assert(kBigRunRows == kHistoryMaxStoredNodeTicks);

    // Tells the parent where the child is: 'f' before onFinish, then 'c' and the run's id once committed.
    class ReportingSink : public HistorySink {
    public:
        ReportingSink(RunHistory& history, int pipe)
            : HistorySink(history, scenarioOf(kBigRun), syntheticSummary)
            , m_pipe(pipe)
        {
        }
        void onFinish(const RunResult& result) override
        {
            send('f', 0);
            HistorySink::onFinish(result);
            if (runId())
                send('c', *runId());
        }

    private:
        void send(char what, int64_t id)
        {
            char message[1 + sizeof id];
            message[0] = what;
            std::memcpy(message + 1, &id, sizeof id);
            if (write(m_pipe, message, sizeof message) != static_cast<ssize_t>(sizeof message))
                _exit(3);
        }
        int m_pipe;
    };

    [[noreturn]] void recordForever(const std::filesystem::path& path, int pipe)
    {
        auto history = RunHistory::open(path);
        if (!history)
            _exit(2);
        for (;;) {
            ReportingSink sink(*history, pipe);
            startAndTick(sink, kBigRun, syntheticTick);
            sink.onFinish(resultOf(kBigRun));
            if (!sink.runId())
                _exit(4);
        }
    }

    struct Message {
        char what = 0;
        int64_t id = 0;
    };

    Message receive(int pipe)
    {
        Message message;
        char buffer[1 + sizeof message.id];
        if (read(pipe, buffer, sizeof buffer) != static_cast<ssize_t>(sizeof buffer))
            return {};
        message.what = buffer[0];
        std::memcpy(&message.id, buffer + 1, sizeof message.id);
        return message;
    }

    Clock::time_point::rep modifiedNs(const std::filesystem::path& path)
    {
        struct stat status { };
        if (stat(path.c_str(), &status) != 0)
            return 0;
        return status.st_mtim.tv_sec * 1'000'000'000LL + status.st_mtim.tv_nsec;
    }

    enum class KillPoint {
        WhileStaging, // the run is still ticking: nothing of it has reached the file
        WhileCommitting, // its one transaction has started writing to the WAL
    };

    // Starts a child that records big runs, lets it commit one, kills it at `point` of the next and
    // returns the ids it reported as committed.
    std::vector<int64_t> killAChild(const std::filesystem::path& path, KillPoint point)
    {
        int pipes[2];
        if (pipe(pipes) != 0)
            throw std::runtime_error("pipe failed");
        const pid_t child = fork();
        if (child == 0) {
            close(pipes[0]);
            recordForever(path, pipes[1]);
        }
        close(pipes[1]);
        std::vector<int64_t> committed;
        for (Message message = receive(pipes[0]); message.what; message = receive(pipes[0])) {
            if (message.what == 'c') {
                committed.push_back(message.id);
                if (point == KillPoint::WhileStaging)
                    break;
            } else if (message.what == 'f' && !committed.empty()) {
                // Staging writes only to a temporary file, so the WAL changes once the commit begins.
                const auto wal = path.string() + "-wal";
                const auto before = modifiedNs(wal);
                const auto deadline = Clock::now() + std::chrono::seconds(30);
                while (modifiedNs(wal) == before && Clock::now() < deadline)
                    std::this_thread::sleep_for(std::chrono::microseconds(200));
                break;
            }
        }
        kill(child, SIGKILL);
        // A commit the child finished just before the kill may still be in the pipe.
        for (Message message = receive(pipes[0]); message.what; message = receive(pipes[0])) {
            if (message.what == 'c')
                committed.push_back(message.id);
        }
        close(pipes[0]);
        int status = 0;
        waitpid(child, &status, 0);
        EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child ended on its own: " << status;
        return committed;
    }

    void expectIntactWith(const std::filesystem::path& path, const std::vector<int64_t>& committed)
    {
        EXPECT_EQ(querySqlite(path, "PRAGMA integrity_check"), "ok");
        EXPECT_EQ(querySqlite(path, "PRAGMA foreign_key_check"), "");
        auto history = RunHistory::open(path);
        ASSERT_TRUE(history) << history.error();
        auto runs = history->list();
        ASSERT_TRUE(runs) << runs.error();
        std::set<int64_t> listed;
        for (const RunRecord& run : *runs)
            listed.insert(run.id);
        for (int64_t id : committed)
            EXPECT_TRUE(listed.count(id)) << "committed run " << id << " is missing";
        // The run being written when the kill came is either all there or not there at all.
        for (const RunRecord& run : *runs) {
            int64_t rows = 0;
            ASSERT_TRUE(history->visitNodeTicks(run.id, [&rows](const StoredNodeTick&) { ++rows; }));
            const int64_t expected = run.scenario == "small" ? 30 : kBigRunRows;
            EXPECT_EQ(rows, expected) << "run " << run.id;
        }
    }

    TEST(RunHistoryCrash, KilledWhileStagingOrCommittingEveryEarlierRunSurvives)
    {
        ScratchDir dir;
        const auto path = dir / "history.sqlite";
        std::vector<int64_t> committed;
        {
            auto history = RunHistory::open(path);
            ASSERT_TRUE(history) << history.error();
            for (int i = 0; i < 3; ++i)
                committed.push_back(recordRun(*history, SyntheticRun { .scenario = "small" }));
        } // closed before fork: a connection must not cross into a child

        for (KillPoint point : { KillPoint::WhileStaging, KillPoint::WhileCommitting, KillPoint::WhileCommitting }) {
            const std::vector<int64_t> more = killAChild(path, point);
            ASSERT_FALSE(more.empty()) << "the child committed nothing before it was killed";
            committed.insert(committed.end(), more.begin(), more.end());
            expectIntactWith(path, committed);
        }
    }

    TEST(RunHistoryCrash, AnUncommittedTransactionSpilledToTheWalIsIgnored)
    {
        ScratchDir dir;
        const auto path = dir / "history.sqlite";
        std::vector<int64_t> committed;
        {
            auto history = RunHistory::open(path);
            ASSERT_TRUE(history) << history.error();
            for (int i = 0; i < 2; ++i)
                committed.push_back(recordRun(*history, SyntheticRun { .scenario = "small" }));
        }
        int pipes[2];
        ASSERT_EQ(pipe(pipes), 0);
        const pid_t child = fork();
        if (child == 0) {
            // A writer that has put a whole run into the WAL but not committed it: a small page cache makes
            // SQLite spill the transaction's pages to the WAL before the commit.
            sqlite3* db = nullptr;
            sqlite3_open(path.c_str(), &db);
            const int status = sqlite3_exec(db,
                "PRAGMA cache_size = 16; BEGIN IMMEDIATE;"
                "INSERT INTO runs (id, started_at, finished_at, scenario_name, scenario_file, scenario_text, overrides, "
                "seed, engine, version, ticks, tick_seconds, tick_stride, nodes, requests, cancelled, expectations, "
                "expectations_failed, summary_json, cluster_tick_stride) SELECT NULL, started_at, finished_at, 'half', scenario_file, scenario_text, "
                "overrides, seed, engine, version, ticks, tick_seconds, tick_stride, nodes, requests, cancelled, "
                "expectations, expectations_failed, summary_json, cluster_tick_stride FROM runs LIMIT 1;"
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 199999) "
                "INSERT INTO node_ticks (run_id, tick, node, qps) SELECT last_insert_rowid(), i / 100, i % 100, i "
                "FROM n;",
                nullptr, nullptr, nullptr);
            const char done = status == SQLITE_OK ? 'w' : 'e';
            if (write(pipes[1], &done, 1) != 1)
                _exit(3);
            pause();
            _exit(0);
        }
        close(pipes[1]);
        char state = 0;
        ASSERT_EQ(read(pipes[0], &state, 1), 1);
        close(pipes[0]);
        struct stat wal { };
        stat((path.string() + "-wal").c_str(), &wal);
        kill(child, SIGKILL);
        waitpid(child, nullptr, 0);
        ASSERT_EQ(state, 'w') << "the child could not write its transaction";
        EXPECT_GT(wal.st_size, 1'000'000) << "the uncommitted run never reached the WAL";

        expectIntactWith(path, committed);
        auto history = RunHistory::open(path);
        ASSERT_TRUE(history) << history.error();
        EXPECT_EQ(history->list()->size(), 2u);
    }

} // namespace
} // namespace shardsim
