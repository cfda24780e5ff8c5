// Output files are whole or absent: written under a temporary name, renamed when complete; a failed write names
// the file, and leaves neither a truncated file nor the temporary one.

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/resource.h>
#include <unistd.h>

#include "shardsim/report/csv_output.h"
#include "shardsim/report/output_file.h"

namespace shardsim {
namespace {

    class ScratchDir {
    public:
        explicit ScratchDir(const std::string& name)
            : m_path(std::filesystem::temp_directory_path() / ("shardsim-" + name + "-" + std::to_string(getpid())))
        {
            std::filesystem::remove_all(m_path);
            std::filesystem::create_directories(m_path);
        }
        ~ScratchDir() { std::filesystem::remove_all(m_path); }
        std::filesystem::path operator/(const std::string& name) const { return m_path / name; }
        // Every entry's name, hidden ones included.
        std::vector<std::string> entries() const
        {
            std::vector<std::string> names;
            for (const auto& entry : std::filesystem::directory_iterator(m_path))
                names.push_back(entry.path().filename().string());
            std::sort(names.begin(), names.end());
            return names;
        }

    private:
        std::filesystem::path m_path;
    };

    std::string readFile(const std::filesystem::path& path)
    {
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

    // Files of this process may not grow beyond `bytes` while it lives: writes past it fail with EFBIG ("File too
    // large"), as a full disk fails them with ENOSPC.
    class FileSizeLimit {
    public:
        explicit FileSizeLimit(rlim_t bytes)
        {
            getrlimit(RLIMIT_FSIZE, &m_saved);
            m_signal = std::signal(SIGXFSZ, SIG_IGN);
            rlimit limit = m_saved;
            limit.rlim_cur = bytes;
            setrlimit(RLIMIT_FSIZE, &limit);
        }
        ~FileSizeLimit()
        {
            setrlimit(RLIMIT_FSIZE, &m_saved);
            std::signal(SIGXFSZ, m_signal);
        }

    private:
        rlimit m_saved {};
        void (*m_signal)(int) = nullptr;
    };

    TEST(OutputFile, IsInvisibleUntilCommittedThenWhole)
    {
        ScratchDir dir("output-commit");
        auto file = OutputFile::create((dir / "a.csv").string());
        ASSERT_TRUE(file) << file.error();
        file->write("x,y\n1,2\n");
        EXPECT_FALSE(std::filesystem::exists(dir / "a.csv")) << "nothing under the name before commit";
        ASSERT_TRUE(std::filesystem::exists(file->temporaryPath()));
        EXPECT_EQ(std::filesystem::path(file->temporaryPath()).parent_path(), (dir / "a.csv").parent_path())
            << "in the same directory, so that the rename is atomic";
        ASSERT_TRUE(file->commit());
        EXPECT_EQ(readFile(dir / "a.csv"), "x,y\n1,2\n");
        EXPECT_EQ(dir.entries(), std::vector<std::string> { "a.csv" });
    }

    TEST(OutputFile, DroppedBeforeCommitLeavesNothingAndKeepsTheOldFile)
    {
        ScratchDir dir("output-drop");
        std::ofstream(dir / "a.csv") << "old\n";
        {
            auto file = OutputFile::create((dir / "a.csv").string());
            ASSERT_TRUE(file) << file.error();
            file->write("new, but interrupted");
        }
        EXPECT_EQ(dir.entries(), std::vector<std::string> { "a.csv" });
        EXPECT_EQ(readFile(dir / "a.csv"), "old\n");
    }

    TEST(OutputFile, AFailedWriteNamesTheFileAndLeavesNoTruncatedFile)
    {
        ScratchDir dir("output-full");
        std::ofstream(dir / "nodes.csv") << "the last complete run\n";
        const std::string big(1 << 20, 'x');
        Result<bool> committed = true;
        {
            const FileSizeLimit limit(64 * 1024);
            auto file = OutputFile::create((dir / "nodes.csv").string());
            ASSERT_TRUE(file) << file.error();
            file->write(big);
            committed = file->commit();
        }
        ASSERT_FALSE(committed);
        EXPECT_EQ(committed.error(), "cannot write " + (dir / "nodes.csv").string() + ": File too large");
        EXPECT_EQ(dir.entries(), std::vector<std::string> { "nodes.csv" }) << "no temporary file left";
        EXPECT_EQ(readFile(dir / "nodes.csv"), "the last complete run\n");
    }

    TEST(OutputFile, ADirectoryInTheWayIsAnErrorNamingTheFile)
    {
        ScratchDir dir("output-dir");
        std::filesystem::create_directory(dir / "summary.json");
        auto written = writeTextFile((dir / "summary.json").string(), "{}\n");
        ASSERT_FALSE(written);
        EXPECT_EQ(written.error(), "cannot write " + (dir / "summary.json").string() + ": Is a directory");
        EXPECT_EQ(dir.entries(), std::vector<std::string> { "summary.json" });
        EXPECT_TRUE(std::filesystem::is_directory(dir / "summary.json"));
    }

    TEST(OutputFile, ADirectoryThatIsNotThereIsAnErrorNamingTheFile)
    {
        ScratchDir dir("output-missing");
        auto written = writeTextFile((dir / "gone" / "plan.json").string(), "{}\n");
        ASSERT_FALSE(written);
        EXPECT_EQ(
            written.error(), "cannot write " + (dir / "gone" / "plan.json").string() + ": No such file or directory");
    }

    TEST(NodesCsv, StreamsUnderATemporaryNameAndAppearsWhenTheRunFinishes)
    {
        ScratchDir dir("output-sink");
        auto sink = NodesCsvSink::open((dir / "nodes.csv").string());
        ASSERT_TRUE(sink) << sink.error();
        NodeSummary node;
        node.name = "node-1";
        RunStart start;
        start.nodes = std::span<const NodeSummary>(&node, 1);
        (*sink)->onStart(start);
        const NodeTick tick {};
        (*sink)->onTick(0, ClusterTick {}, std::span<const NodeTick>(&tick, 1));
        EXPECT_FALSE(std::filesystem::exists(dir / "nodes.csv"));
        (*sink)->onFinish(RunResult {});
        EXPECT_EQ((*sink)->error(), "");
        EXPECT_EQ(dir.entries(), std::vector<std::string> { "nodes.csv" });
        EXPECT_FALSE(readFile(dir / "nodes.csv").empty());

        // A run that never finishes leaves nothing.
        ScratchDir other("output-sink-dropped");
        {
            auto dropped = NodesCsvSink::open((other / "nodes.csv").string());
            ASSERT_TRUE(dropped) << dropped.error();
            (*dropped)->onStart(start);
        }
        EXPECT_TRUE(other.entries().empty());
    }

} // namespace
} // namespace shardsim
