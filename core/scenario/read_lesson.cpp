// The `lesson` section: steps for the desktop app's lesson mode.

#include <cmath>
#include <fmt/format.h>

#include "section_readers.h"
#include "shardsim/scenario/input_limits.h"

namespace shardsim {

std::optional<int64_t> LessonStep::stopTick(double tickSeconds) const
{
    if (tick)
        return *tick;
    if (at && tickSeconds > 0)
        return static_cast<int64_t>(std::floor(*at / tickSeconds));
    return std::nullopt;
}

} // namespace shardsim

namespace shardsim::scenario {

void readLesson(ReadContext& context, const TreeNode* node, const ScenarioConfig& scenario,
    std::vector<LessonStep>& out, const ReadState& state)
{
    if (!node || node->isNull())
        return;
    const std::string path = "lesson";
    if (!node->isSequence()) {
        context.error(*node, path,
            "expected a list of steps like [{ text: \"Look at node-5\", view: load, at: 1h }], got "
                + node->describe());
        return;
    }
    if (node->children.size() > input_limits::kMaxLessonSteps) {
        context.error(*node, path,
            fmt::format(
                "has {} steps; at most {} are supported", node->children.size(), input_limits::kMaxLessonSteps));
        return;
    }
    const int64_t ticks = state.durationKnown ? scenario.tickCount() : 0;
    for (std::size_t i = 0; i < node->children.size(); ++i) {
        const TreeNode& item = node->children[i];
        MapReader map(context, &item, fmt::format("{}[{}]", path, i), { "text", "view", "at", "tick" });
        if (!map.present())
            continue;
        LessonStep step;
        step.line = item.line;
        if (const TreeNode* value = map.require("text", "what the step explains, e.g. text: Look at node-5")) {
            if (auto text = readText(context, *value, map.pathOf("text"))) {
                if (text->empty())
                    context.error(*value, map.pathOf("text"), "must not be empty");
                else if (text->size() > input_limits::kMaxLessonText)
                    context.error(*value, map.pathOf("text"),
                        fmt::format(
                            "is {} characters; at most {} are supported", text->size(), input_limits::kMaxLessonText));
                else
                    step.text = *text;
            }
        }
        if (const TreeNode* value = map.get("view")) {
            if (auto view = readName(context, *value, map.pathOf("view")))
                step.view = *view;
        }
        const TreeNode* at = map.get("at");
        const TreeNode* tick = map.get("tick");
        if (at && tick) {
            context.errorAtKey(*tick, map.path(), "'tick' cannot be combined with 'at'; give one moment");
        } else if (at) {
            step.at = readDuration(context, *at, map.pathOf("at"), 0,
                state.durationKnown ? scenario.duration : input_limits::kMaxDuration,
                state.durationKnown ? "the scenario's duration" : "");
        } else if (tick) {
            const int64_t last = ticks > 0 ? ticks - 1 : static_cast<int64_t>(input_limits::kMaxTicks) - 1;
            step.tick = readCount(context, *tick, map.pathOf("tick"), 0, last, ticks > 0 ? "the last tick" : "");
        }
        map.finish();
        out.push_back(std::move(step));
    }
}

} // namespace shardsim::scenario
