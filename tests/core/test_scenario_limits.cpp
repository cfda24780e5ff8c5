// Every number the reader accepts keeps what is derived from it finite: rates over the whole run, table sizes,
// names that reach a terminal, and input files that are not files.

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "shardsim/common/input_file.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    // A valid scenario around `workload:`'s rate and the table, so each test changes one thing.
    std::string scenario(const std::string& timing, const std::string& rate, const std::string& table = "rows: 1M")
    {
        return "name: limits\n" + timing
            + "\n"
              "cluster: { nodes: 4 }\n"
              "data:\n"
              "  tables:\n"
              "    - { name: t_user, key: uid, "
            + table
            + " }\n"
              "sharding: { rule: mod:n=4 }\n"
              "workload:\n"
              "  rate: "
            + rate + "\n";
    }

    ScenarioLoad read(const std::string& text, const std::vector<std::string>& overrides = {})
    {
        return loadScenarioText(text, "limits.yaml", "", ScenarioReadOptions { overrides });
    }

    // The one diagnostic of a load, formatted as the CLI prints it.
    std::string onlyError(const ScenarioLoad& load)
    {
        EXPECT_EQ(load.diagnostics.size(), 1u) << load.errorText();
        return load.diagnostics.empty() ? std::string() : load.diagnostics.front().format();
    }

    TEST(ScenarioLimits, GrowthThatTakesTheRatePastTheLimitIsAnError)
    {
        // The case: 10^12/s growing 1001-fold a year for a century printed "requests -nan" and exited 0.
        const ScenarioLoad load
            = read(scenario("duration: 100y\ntick: 30d", "{ shape: constant, base: 1T/s, growth: 100000%/year }"));
        const std::string error = onlyError(load);
        EXPECT_NE(error.find("limits.yaml:10:48: error: workload.rate.growth: 100000%/year over 36500d multiplies "
                             "the rate by 10^300"),
            std::string::npos)
            << error;
        EXPECT_NE(error.find("the limit of 10^12 requests/s (1T/s)"), std::string::npos) << error;
        EXPECT_EQ(error.find("nan"), std::string::npos) << error;
        EXPECT_EQ(error.find("inf"), std::string::npos) << error;
    }

    TEST(ScenarioLimits, APeakPastTheLimitIsAnErrorAtThePeak)
    {
        const ScenarioLoad load = read(scenario("duration: 1d", "{ shape: double-11, base: 1T/s, peak: 1000000x }"));
        const std::string error = onlyError(load);
        EXPECT_NE(error.find("limits.yaml:9:47: error: workload.rate.peak: 1000000x times the base of 1T/s peaks at "
                             "10^18/s"),
            std::string::npos)
            << error;
        EXPECT_NE(error.find("10^12 requests/s"), std::string::npos) << error;
    }

    TEST(ScenarioLimits, EveryShapeIsJudgedAtItsPeakTimesItsGrowth)
    {
        // Just past the limit at the end of the run, each shape's own way; just under it is fine.
        const std::string year = "duration: 1y\ntick: 1h";
        EXPECT_FALSE(read(scenario(year, "{ shape: constant, base: 600B/s, growth: 100%/year }")).ok());
        EXPECT_TRUE(read(scenario(year, "{ shape: constant, base: 400B/s, growth: 100%/year }")).ok());
        EXPECT_FALSE(read(scenario(year, "{ shape: diurnal, base: 100B/s, peak: 6x, growth: 100%/year }")).ok());
        EXPECT_TRUE(read(scenario(year, "{ shape: diurnal, base: 100B/s, peak: 4x, growth: 100%/year }")).ok());
        EXPECT_FALSE(read(scenario(year, "{ shape: double-11, base: 100B/s, peak: 11x }")).ok());
        EXPECT_TRUE(read(scenario(year, "{ shape: double-11, base: 100B/s, peak: 10x }")).ok());
        EXPECT_FALSE(read(scenario(year, "{ shape: points, points: [[0s, 1K/s], [1h, 600B/s]], growth: 100%/year }"))
                         .ok());
        EXPECT_TRUE(read(scenario(year, "{ shape: points, points: [[0s, 1K/s], [1h, 400B/s]], growth: 100%/year }"))
                        .ok());
        // A shrinking rate peaks at the start.
        EXPECT_TRUE(read(scenario(year, "{ shape: constant, base: 1T/s, growth: -50%/year }")).ok());
    }

    TEST(ScenarioLimits, StackedShapesAreJudgedTogether)
    {
        const ScenarioLoad load = read(scenario("duration: 1d", "[ 600B/s, { shape: diurnal, base: 300B/s } ]"));
        const std::string error = onlyError(load);
        EXPECT_NE(error.find("limits.yaml:9:9: error: workload.rate: the stacked shapes reach 1.2T/s together"),
            std::string::npos)
            << error;
    }

    TEST(ScenarioLimits, OverridesMeetTheSameLimits)
    {
        const std::string text = scenario("duration: 1d", "{ shape: double-11, base: 1B/s }");
        ASSERT_TRUE(read(text).ok()) << read(text).errorText();
        const std::string error = onlyError(read(text, { "workload.rate.peak=2000x" }));
        EXPECT_NE(error.find("override 'workload.rate.peak=2000x': error: workload.rate.peak"), std::string::npos)
            << error;
        EXPECT_NE(error.find("10^12 requests/s"), std::string::npos) << error;
        // A longer run makes the same growth too much.
        const std::string growing = scenario("duration: 1d", "{ shape: constant, base: 1B/s, growth: 1000%/year }");
        ASSERT_TRUE(read(growing).ok());
        EXPECT_FALSE(read(growing, { "duration=5y", "tick=1d" }).ok());
    }

    TEST(ScenarioLimits, TableSizesStayWithinTheLimits)
    {
        const std::string error = onlyError(read(scenario("duration: 1h", "1K/s", "rows: 1000T, row_size: 1MB")));
        EXPECT_NE(error.find("error: data.tables[0].row_size: 1000000000000000 rows of 1 MB are 1000 EB"),
            std::string::npos)
            << error;
        EXPECT_NE(error.find("more than the limit of 1 EB per table"), std::string::npos) << error;

        const std::string grown
            = onlyError(read(scenario("duration: 100y\ntick: 1d", "1K/s", "rows: 1M, growth: 1T/s")));
        EXPECT_NE(grown.find("error: data.tables[0].growth: 1T/s over 36500d takes the table to"), std::string::npos)
            << grown;
        EXPECT_NE(grown.find("the limit of 10^15 rows per table"), std::string::npos) << grown;
    }

    TEST(ScenarioLimits, AnEmptyTableIsAnError)
    {
        // With no row, every read would land on the shard of key 0.
        const std::string error = onlyError(read(scenario("duration: 1h", "1K/s", "rows: 0")));
        EXPECT_NE(error.find("data.tables[0].rows: must be at least 1 (got 0)"), std::string::npos) << error;
    }

    TEST(ScenarioLimits, AnExpectationThresholdMustBeAFiniteNumber)
    {
        for (const std::string value : { ".nan", ".inf", "-.inf", ".NaN" }) {
            const std::string text = scenario("duration: 1h", "1K/s")
                + "expect:\n  - { metric: imbalance.max_over_mean, equals: " + value + " }\n";
            const std::string error = onlyError(read(text));
            EXPECT_NE(error.find("expect[0].equals: expected a finite number like 0.99, a percentage like 5% or a "
                                 "count like 1M, got '"
                    + value + "'"),
                std::string::npos)
                << error;
        }
    }

    TEST(ScenarioLimits, NamesAndLabelsHoldNoControlCharacters)
    {
        // An escape sequence in the scenario's name would reach every report and the terminal.
        const std::string base = scenario("duration: 1h", "1K/s");
        std::string escaped = base;
        escaped.replace(escaped.find("name: limits"), 12, "name: \"lim\\e[2Jits\"");
        std::string error = onlyError(read(escaped));
        EXPECT_NE(error.find("limits.yaml:1:7: error: name: holds the control or invisible character U+001B"),
            std::string::npos)
            << error;
        EXPECT_EQ(error.find('\x1b'), std::string::npos) << "the message itself must not carry it";

        std::string table = base;
        table.replace(table.find("t_user"), 6, "\"t_\\u202Euser\""); // a right-to-left override
        error = onlyError(read(table));
        EXPECT_NE(error.find("data.tables[0].name: 't_\\u{202e}user' is not a valid name"), std::string::npos)
            << error;

        std::string c1 = base;
        c1.replace(c1.find("t_user"), 6, "\"t_\\x9buser\""); // the one-byte CSI of C1
        EXPECT_FALSE(read(c1).ok());

        std::string description = base + "description: \"one\\tline\\n\\x07\"\n";
        error = onlyError(read(description));
        EXPECT_NE(error.find("description: holds the control or invisible character U+0007"), std::string::npos)
            << error;
        // Tabs and line breaks are a description's own; non-ASCII letters are a name's.
        EXPECT_TRUE(read(base + "description: \"one\\tline\\ntwo\"\n").ok());
        std::string accented = base;
        accented.replace(accented.find("t_user"), 6, "t_usér");
        EXPECT_TRUE(read(accented).ok()) << read(accented).errorText();
    }

    class InputFiles : public ::testing::Test {
    protected:
        void SetUp() override
        {
            m_dir = std::filesystem::temp_directory_path()
                / ("shardsim-input-" + std::to_string(::getpid()) + "-"
                    + ::testing::UnitTest::GetInstance()->current_test_info()->name());
            std::filesystem::remove_all(m_dir);
            std::filesystem::create_directories(m_dir / "a-directory.yaml");
            ASSERT_EQ(::mkfifo((m_dir / "fifo.yaml").c_str(), 0600), 0);
        }
        void TearDown() override { std::filesystem::remove_all(m_dir); }

        std::string path(const std::string& name) const { return (m_dir / name).string(); }

        std::filesystem::path m_dir;
    };

    TEST_F(InputFiles, SayWhatAPathIsInsteadOfAFile)
    {
        EXPECT_EQ(inputFileProblem(path("missing.yaml")), "does not exist");
        EXPECT_EQ(inputFileProblem(path("a-directory.yaml")), "is a directory");
        EXPECT_EQ(inputFileProblem(path("fifo.yaml")), "is not a regular file (it is a FIFO)");
        EXPECT_EQ(inputFileProblem("/dev/zero"), "is not a regular file (it is a character device)");
    }

    TEST_F(InputFiles, AScenarioThatIsNotAFileIsRefusedAtOnce)
    {
        // A FIFO with no writer would block an open() forever: this test returning is the proof it is not opened.
        EXPECT_EQ(onlyError(loadScenarioFile(path("fifo.yaml"))),
            path("fifo.yaml") + ": error: cannot open the file: it is not a regular file (it is a FIFO)");
        EXPECT_EQ(onlyError(loadScenarioFile(path("a-directory.yaml"))),
            path("a-directory.yaml") + ": error: cannot open the file: it is a directory");
        EXPECT_EQ(onlyError(loadScenarioFile("/dev/zero")),
            "/dev/zero: error: cannot open the file: it is not a regular file (it is a character device)");
    }

    TEST_F(InputFiles, ABinaryFileIsDescribedBeforeItIsParsed)
    {
        std::ofstream(path("binary.yaml"), std::ios::binary) << "name: x\nduration: 1h\n\x7f" << std::string(1, '\0')
                                                             << "ELF\xff\xfe";
        const ScenarioFileText file = readScenarioFileText(path("binary.yaml"));
        ASSERT_FALSE(file.ok());
        EXPECT_TRUE(file.text.empty()) << "no byte of it is handed on";
        EXPECT_EQ(file.diagnostics.front().format(), path("binary.yaml") + ":3: error: not a text file: found a NUL byte");
        EXPECT_EQ(onlyError(loadScenarioFile(path("binary.yaml"))), file.diagnostics.front().format());
    }

    TEST_F(InputFiles, TraceAndSampleFilesThatAreNotFilesSaySo)
    {
        for (const auto& [distribution, file, what] :
            { std::tuple { "trace", "/dev/zero", "/dev/zero is not a regular file (it is a character device)" },
                std::tuple { "trace", "a-directory.yaml", "a-directory.yaml is a directory" },
                std::tuple { "sample", "fifo.yaml", "fifo.yaml is not a regular file (it is a FIFO)" } }) {
            const std::string text = scenario("duration: 1h", "1K/s") + "  keys: { distribution: " + distribution
                + ", file: " + file + " }\n";
            const ScenarioLoad load = loadScenarioText(text, "limits.yaml", m_dir.string());
            const std::string error = onlyError(load);
            EXPECT_NE(error.find("limits.yaml:10:"), std::string::npos) << error;
            EXPECT_NE(error.find(std::string("workload.keys.file: ") + (file[0] == '/' ? "" : m_dir.string() + "/") + what),
                std::string::npos)
                << error;
            EXPECT_EQ(error.find("no such file"), std::string::npos) << error;
        }
    }

} // namespace
} // namespace shardsim

namespace shardsim {
namespace {

    TEST(ScenarioLimits, APastedLineOfBracketsIsRefusedAtItsDepthLimit)
    {
        // Found before the YAML parser tokenises 200,000 brackets; the place is the 65th opening one.
        const ScenarioLoad load = read(std::string(200'000, '['));
        ASSERT_FALSE(load.ok());
        EXPECT_EQ(load.diagnostics.front().format(), "limits.yaml:1:65: error: nested deeper than 64 levels; that is the limit");
        // Brackets in scalars, quotes and comments are not collections: a valid file stays valid.
        const std::string text = scenario("duration: 1h", "1K/s") + "description: '" + std::string(100, '[') + "'\n# "
            + std::string(100, '{') + "\nseed: 7 # [[[[\n";
        EXPECT_TRUE(read(text).ok()) << read(text).errorText();
    }

} // namespace
} // namespace shardsim
