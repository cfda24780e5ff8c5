// The `lesson:` section: steps read into typed values, every mistake reported at its line and field,
// and the library's lessons valid.

#include <gtest/gtest.h>

#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    const std::string kHead = "name: lesson\nduration: 1h\ntick: 1m\n"
                              "cluster: { nodes: 2 }\n"
                              "data: { tables: [ { name: t, rows: 1000 } ] }\n"
                              "sharding: { rule: \"mod:n=2\" }\n"
                              "workload: { rate: 1K/s }\n"; // 7 lines

    ScenarioLoad read(const std::string& lesson) { return loadScenarioText(kHead + lesson, "lesson.yaml", {}); }

    TEST(Lesson, StepsKeepTheirTextViewAndMoment)
    {
        const ScenarioLoad load = read("lesson:\n"
                                       "  - { text: Look at the nodes, view: cluster }\n"
                                       "  - { text: The peak, view: load, at: 30m }\n"
                                       "  - text: >-\n"
                                       "      A folded\n"
                                       "      paragraph\n"
                                       "    tick: 59\n");
        ASSERT_TRUE(load.ok()) << load.errorText();
        const auto& steps = load.config->lesson;
        ASSERT_EQ(steps.size(), 3u);
        EXPECT_EQ(steps[0].text, "Look at the nodes");
        EXPECT_EQ(steps[0].view, "cluster");
        EXPECT_FALSE(steps[0].stopTick(60));
        EXPECT_EQ(steps[0].line, 9);
        EXPECT_EQ(steps[1].at, 1800.0);
        EXPECT_EQ(steps[1].stopTick(60), 30); // 30 min in 1 min ticks
        EXPECT_EQ(steps[2].text, "A folded paragraph");
        EXPECT_TRUE(steps[2].view.empty());
        EXPECT_EQ(steps[2].stopTick(60), 59);
    }

    TEST(Lesson, WithoutALessonThereAreNoSteps)
    {
        const ScenarioLoad load = read("");
        ASSERT_TRUE(load.ok()) << load.errorText();
        EXPECT_TRUE(load.config->lesson.empty());
    }

    TEST(Lesson, MistakesAreReportedAtTheirLineAndField)
    {
        const ScenarioLoad load = read("lesson:\n"
                                       "  - { txt: Misspelt }\n" // line 9
                                       "  - { text: Both, at: 1m, tick: 3 }\n" // line 10
                                       "  - { text: Too late, at: 2h }\n" // line 11
                                       "  - { text: No such tick, tick: 60 }\n" // line 12
                                       "  - { text: \"\" }\n"); // line 13
        ASSERT_FALSE(load.ok());
        const std::string errors = load.errorText();
        EXPECT_NE(errors.find("lesson.yaml:9:7: error: lesson[0]: unknown key 'txt'; did you mean 'text'?"),
            std::string::npos)
            << errors;
        EXPECT_NE(errors.find("lesson.yaml:9:5: error: lesson[0]: missing required key 'text'"), std::string::npos)
            << errors;
        EXPECT_NE(errors.find("lesson.yaml:10:"), std::string::npos) << errors;
        EXPECT_NE(errors.find("'tick' cannot be combined with 'at'"), std::string::npos) << errors;
        EXPECT_NE(errors.find("lesson.yaml:11:"), std::string::npos) << errors;
        EXPECT_NE(errors.find("lesson[2].at: must be at most"), std::string::npos) << errors;
        EXPECT_NE(errors.find("lesson.yaml:12:"), std::string::npos) << errors;
        EXPECT_NE(errors.find("lesson[3].tick: must be at most 59, the last tick (got 60)"), std::string::npos)
            << errors;
        EXPECT_NE(errors.find("lesson[4].text: must not be empty"), std::string::npos) << errors;
    }

    TEST(Lesson, ASectionThatIsNotAListIsAnError)
    {
        const ScenarioLoad load = read("lesson: Look at the nodes\n");
        ASSERT_FALSE(load.ok());
        EXPECT_NE(load.errorText().find("lesson.yaml:8:9: error: lesson: expected a list of steps"), std::string::npos)
            << load.errorText();
    }

    TEST(Lesson, TheLibrarysLessonsAreValid)
    {
        const ScenarioLoad load = loadScenarioFile(std::string(SHARDSIM_SCENARIOS) + "/rules/range-newest-users.yaml");
        ASSERT_TRUE(load.ok()) << load.errorText();
        ASSERT_GE(load.config->lesson.size(), 3u);
        for (const LessonStep& step : load.config->lesson)
            EXPECT_FALSE(step.text.empty());
    }

} // namespace
} // namespace shardsim
