// Hostile and broken input never crashes, hangs or throws: it yields diagnostics with sane places.

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "shardsim/scenario/input_limits.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    std::string readFile(const std::string& path)
    {
        std::ifstream in(path, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

    const std::string kExample = readFile(std::string(SHARDSIM_RESOURCES) + "/scenarios/double-11-orders.yaml");
    const std::string kMinimal = readFile(std::string(SHARDSIM_TEST_DATA) + "/scenarios/valid/minimal.yaml");

    // Reads `text` and checks what every answer must satisfy.
    ScenarioLoad readChecked(const std::string& text, const std::vector<std::string>& overrides = {})
    {
        ScenarioLoad load;
        EXPECT_NO_THROW(load = loadScenarioText(text, "input.yaml", "", ScenarioReadOptions { overrides }));
        EXPECT_EQ(load.ok(), load.diagnostics.empty());
        const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
        for (const auto& diagnostic : load.diagnostics) {
            EXPECT_GE(diagnostic.line, 0);
            EXPECT_LE(diagnostic.line, lines) << diagnostic.format();
            EXPECT_FALSE(diagnostic.message.empty());
            EXPECT_LE(diagnostic.message.size(), 2'000u) << diagnostic.format().substr(0, 200);
        }
        EXPECT_LE(load.diagnostics.size(), input_limits::kMaxDiagnostics + 1);
        return load;
    }

    bool mentions(const ScenarioLoad& load, const std::string& fragment)
    {
        return load.errorText().find(fragment) != std::string::npos;
    }

    std::string withLine(const std::string& base, const std::string& from, const std::string& to)
    {
        std::string text = base;
        const std::size_t at = text.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        if (at != std::string::npos)
            text.replace(at, from.size(), to);
        return text;
    }

    TEST(ScenarioRobustness, DegenerateDocuments)
    {
        for (const char* text : { "", " ", "\n\n\n", "~", "null", "---", "...", "--- ~\n...\n", "[]", "{}", "0", "\"\"",
                 "- ", ":", "? ", "&a", "*a", "!!binary AAAA", "%YAML 1.2\n---\n", "\xEF\xBB\xBF",
                 // yaml-cpp reports a stray ',' after a document as endless empty documents.
                 ",", "[a],", "{a: 1},", "a: 1\n---\nb: 2\n" }) {
            ScenarioLoad load = readChecked(text);
            EXPECT_FALSE(load.ok()) << text;
        }
    }

    TEST(ScenarioRobustness, RandomBytes)
    {
        std::mt19937 random(20'241'111);
        for (int round = 0; round < 300; ++round) {
            std::string text(random() % 400, '\0');
            for (char& c : text)
                c = static_cast<char>(random() % 256);
            EXPECT_FALSE(readChecked(text).ok());
        }
    }

    TEST(ScenarioRobustness, EveryPrefixOfTheExample)
    {
        int accepted = 0;
        for (std::size_t length = 0; length <= kExample.size(); length += 3)
            accepted += readChecked(kExample.substr(0, length)).ok() ? 1 : 0;
        // Only prefixes that still hold every required section (cut in the last comment or expect) pass.
        EXPECT_GT(accepted, 0);
    }

    TEST(ScenarioRobustness, MutatedExample)
    {
        std::mt19937 random(7);
        const std::string alphabet = " \n\t:-[]{},&*!|>'\"#%@`0123456789.eEKMBx/sabc_";
        for (int round = 0; round < 400; ++round) {
            std::string text = kExample;
            for (int edit = 0; edit < 1 + static_cast<int>(random() % 4); ++edit) {
                const std::size_t at = random() % text.size();
                switch (random() % 3) {
                case 0:
                    text[at] = alphabet[random() % alphabet.size()];
                    break;
                case 1:
                    text.erase(at, 1 + random() % 8);
                    break;
                default:
                    text.insert(at, 1, alphabet[random() % alphabet.size()]);
                }
            }
            readChecked(text);
        }
    }

    TEST(ScenarioRobustness, NotANumber)
    {
        for (const char* value : { ".nan", ".NaN", "nan", "NaN", ".inf", "-.inf", "inf", "1e999", "0x10", "--1" }) {
            ScenarioLoad load = readChecked(withLine(kMinimal, "nodes: 4", std::string("nodes: ") + value));
            EXPECT_TRUE(mentions(load, "cluster.nodes:")) << value << "\n" << load.errorText();
            load = readChecked(kMinimal + "  keys: { distribution: zipf, theta: " + value + " }\n");
            EXPECT_TRUE(mentions(load, "workload.keys.theta:")) << value << "\n" << load.errorText();
        }
    }

    TEST(ScenarioRobustness, AbsurdNumbers)
    {
        const std::vector<std::pair<std::string, std::string>> cases = {
            { "nodes: 4", "nodes: 1e300" },
            { "rows: 1M", "rows: 99999999999999999999" },
            { "duration: 1h", "duration: 1e300s" },
            { "duration: 1h", "duration: 0s" },
            { "duration: 1h", "duration: 1h\ntick: 0ms" },
            { "duration: 1h", "duration: 1h\ntick: 2h" },
            { "duration: 1h", "duration: 1h\nseed: -1" },
            { "rate: 1K/s", "rate: 1e300/s" },
            { "rate: 1K/s", "rate: -5/s" },
            { "nodes: 4", "nodes: 4\n  node: { storage: 1e400B }" },
            { "nodes: 4", "nodes: 4\n  replication: 5" },
            { "rule: mod:n=4", "rule: mod:n=99999999999999999999" },
        };
        for (const auto& [from, to] : cases) {
            ScenarioLoad load = readChecked(withLine(kMinimal, from, to));
            EXPECT_FALSE(load.ok()) << to;
        }
    }

    TEST(ScenarioRobustness, TooLarge)
    {
        std::string huge = kMinimal;
        huge.resize(input_limits::kMaxFileBytes + 1, '#');
        ScenarioLoad load = readChecked(huge);
        ASSERT_EQ(load.diagnostics.size(), 1u);
        EXPECT_EQ(load.diagnostics[0].line, 0);
        EXPECT_TRUE(mentions(load, "16 MiB")) << load.errorText();
    }

    TEST(ScenarioRobustness, AliasBombs)
    {
        // Wide: each level repeats the previous one 100 times.
        std::string wide = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
        for (int level = 1; level < 8; ++level) {
            wide += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
            for (int i = 0; i < 100; ++i)
                wide += (i ? ", *a" : "*a") + std::to_string(level - 1);
            wide += "]\n";
        }
        EXPECT_TRUE(mentions(readChecked(wide), "expands to more than"));
        // Self-referencing anchors must not loop.
        readChecked("a: &a [*a]\n");
        readChecked("a: &a { b: *a }\n");
        readChecked(kMinimal + "x: &x [*x, *x]\n");
    }

    TEST(ScenarioRobustness, DeepNesting)
    {
        for (const std::string& text : { std::string(100'000, '['), std::string(100'000, '{'),
                 [] {
                     std::string s;
                     for (int i = 0; i < 50'000; ++i)
                         s += "- ";
                     return s + "x\n";
                 }(),
                 [] {
                     std::string s;
                     for (int i = 0; i < 200; ++i)
                         s += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
                     return s;
                 }() }) {
            ScenarioLoad load = readChecked(text);
            EXPECT_FALSE(load.ok());
        }
        ScenarioLoad load
            = readChecked(withLine(kMinimal, "rate: 1K/s", "rate: " + std::string(70, '[') + std::string(70, ']')));
        EXPECT_TRUE(mentions(load, "nested deeper than 64 levels")) << load.errorText();
    }

    TEST(ScenarioRobustness, OddYaml)
    {
        EXPECT_TRUE(mentions(readChecked(kMinimal + "? [a, b]\n: c\n"), "a key must be a plain name"));
        EXPECT_TRUE(mentions(readChecked(kMinimal + ": c\n"), "error"));
        readChecked(kMinimal + "description: !!binary aGVsbG8=\n");
        readChecked(kMinimal + "description: !custom { a: 1 }\n");
        readChecked("name: x\n\tduration: 1h\n");
        readChecked("name: \"unterminated\n");
        readChecked("name: 'it''s'\n" + kMinimal.substr(kMinimal.find("duration")));
        readChecked(kMinimal + "description: |\n  several\n  lines\n");
        readChecked(kMinimal + "<<: { seed: 3 }\n");
        readChecked("name: " + std::string(1'000'000, 'x') + "\n");
    }

    TEST(ScenarioRobustness, LongNodeReferences)
    {
        for (const char* node :
            { "node-99999999999999999999", "99999999999999999999", "node-", "node-3x", "-1", "0" }) {
            ScenarioLoad load = readChecked(withLine(
                kMinimal, "rate: 1K/s", std::string("rate: 1K/s\nevents:\n  - { at: 1m, fail_node: ") + node + " }"));
            EXPECT_TRUE(mentions(load, "events[0].fail_node:")) << node << "\n" << load.errorText();
        }
    }

    TEST(ScenarioRobustness, ShortAndLongRuns)
    {
        // Shorter than the default tick: the tick shrinks to the run.
        ScenarioLoad load = readChecked(withLine(kMinimal, "duration: 1h", "duration: 500ms"));
        ASSERT_TRUE(load.ok()) << load.errorText();
        EXPECT_DOUBLE_EQ(load.config->tick, 0.5);
        EXPECT_EQ(load.config->tickCount(), 1);
        // Longer than 10^7 default ticks: the error is at the duration and says what to do.
        load = readChecked(withLine(kMinimal, "duration: 1h", "duration: 1y"));
        ASSERT_EQ(load.diagnostics.size(), 1u) << load.errorText();
        EXPECT_EQ(load.diagnostics[0].path, "duration");
        EXPECT_TRUE(mentions(load, "use a longer tick")) << load.errorText();
        load = readChecked(withLine(kMinimal, "duration: 1h", "duration: 1y\ntick: 1h"));
        EXPECT_TRUE(load.ok()) << load.errorText();
    }

    TEST(ScenarioRobustness, ErrorFloodIsCapped)
    {
        std::string text = kMinimal;
        for (int i = 0; i < 500; ++i)
            text += "unknown_" + std::to_string(i) + ": 1\n";
        ScenarioLoad load = readChecked(text);
        ASSERT_EQ(load.diagnostics.size(), input_limits::kMaxDiagnostics + 1);
        EXPECT_NE(load.diagnostics.back().message.find("400 more errors not shown"), std::string::npos)
            << load.diagnostics.back().message;
    }

    TEST(ScenarioRobustness, LimitsAreNamed)
    {
        ScenarioLoad load
            = readChecked(withLine(kMinimal, "nodes: 4", "nodes: 4\nevents:\n  - { at: 1m, add_nodes: 99999 }"));
        EXPECT_TRUE(mentions(load, "more than 100000 is the node limit")) << load.errorText();
        load = readChecked(withLine(kMinimal, "duration: 1h", "duration: 200y"));
        EXPECT_TRUE(mentions(load, "the limit of 100 years")) << load.errorText();
    }

} // namespace
} // namespace shardsim
