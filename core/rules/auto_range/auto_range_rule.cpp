// `auto-range:preset=NAME[,PARAM=VALUE]...[,bounds=B1|B2|...]`: ranges that split, merge and move as one real system
// does. Outside a run it is `range` over its current bounds; in a run the engine re-cuts the bounds as the settings
// say and routes with withBounds().

#include "shardsim/rules/auto_range_rule.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules/arithmetic/range_bounds.h"
#include "rules/auto_range/auto_range_params.h"
#include "rules/rule_makers.h"
#include "shardsim/common/units.h"

namespace shardsim {

namespace rules {

    namespace {

        class AutoRangeRuleImpl final : public AutoRangeRule {
        public:
            AutoRangeRuleImpl(AutoRangeSettings settings, std::vector<int64_t> bounds)
                : m_settings(std::move(settings))
                , m_bounds(std::move(bounds))
            {
            }

            const AutoRangeSettings& settings() const override { return m_settings; }
            const std::vector<int64_t>& bounds() const override { return m_bounds.values(); }

            std::shared_ptr<const AutoRangeRule> withBounds(std::vector<int64_t> bounds) const override
            {
                return std::make_shared<AutoRangeRuleImpl>(m_settings, std::move(bounds));
            }

            Result<RouteResult> route(const Key& key, Explanation* explain) const override
            {
                auto routed = m_bounds.route(key, explain, "auto-range");
                if (routed && explain)
                    explain->push_back(fmt::format("these are the bounds at the start; in a run the ranges split, "
                                                   "merge and move as {} does ({})",
                        m_settings.version, splitWords()));
                return routed;
            }

            int shardCount() const override { return m_bounds.rangeCount(); }
            std::string shardName(int index) const override { return m_bounds.rangeName(index); }

            std::string spec() const override
            {
                std::string out = "auto-range:preset=" + m_settings.preset;
                const auto defaults = autoRangePreset(m_settings.preset);
                if (defaults)
                    out += autoRangeOverrideText(m_settings, *defaults);
                if (!m_bounds.values().empty())
                    out += ",bounds=" + m_bounds.listText();
                return out;
            }

            int shardOfInteger(int64_t key) const override { return m_bounds.rangeOf(key); }
            bool countsRangesExactly() const override { return true; }
            double addRangeShares(int64_t lo, int64_t hi, double mass, std::span<double> shares) const override
            {
                return m_bounds.addRangeShares(lo, hi, mass, shares);
            }
            std::vector<int64_t> rangeBoundaries() const override { return m_bounds.values(); }

        private:
            // "a range splits above 384MiB, or above 3K read requests/s ... for 10 windows of 1s".
            std::string splitWords() const
            {
                std::string size;
                switch (m_settings.splitPolicy) {
                case SplitSizePolicy::Fixed:
                    size = m_settings.splitBytes > 0
                        ? fmt::format("a range splits above {}", autoRangeSizeText(m_settings.splitBytes))
                        : "no range splits by size";
                    break;
                case SplitSizePolicy::HBaseStepping:
                    size = fmt::format("a range splits above {} while it is its table's only one on the node, "
                                       "then above {}",
                        autoRangeSizeText(2 * m_settings.flushBytes), autoRangeSizeText(m_settings.maxFileBytes));
                    break;
                case SplitSizePolicy::YugabytePhases:
                    size = fmt::format("a range splits above {} below {} ranges per node, above {} below {}, then "
                                       "above {}",
                        autoRangeSizeText(m_settings.lowPhaseBytes), m_settings.lowPhaseRangesPerNode,
                        autoRangeSizeText(m_settings.highPhaseBytes), m_settings.highPhaseRangesPerNode,
                        autoRangeSizeText(m_settings.forceSplitBytes));
                    break;
                case SplitSizePolicy::FoundationDbSqrt:
                    size = "a range splits above a size that grows with the square root of the table's bytes";
                    break;
                }
                size += loadWords();
                if (m_settings.moveBytes > 0)
                    size += fmt::format("; a move cuts {} off a bigger range", autoRangeSizeText(m_settings.moveBytes));
                return size;
            }

            // ", or above 3K read requests/s or 30MiB/s read for 10 windows of 1s"; empty without a load split.
            std::string loadWords() const
            {
                const AutoRangeSettings& s = m_settings;
                const std::string kind = s.splitLoad == SplitLoad::Reads ? "read"
                    : s.splitLoad == SplitLoad::Writes                   ? "written"
                                                                         : "";
                std::vector<std::string> thresholds;
                if (s.splitQps > 0)
                    thresholds.push_back(
                        fmt::format("{} {}requests/s", units::formatCount(s.splitQps), kind.empty() ? "" : kind + " "));
                if (s.splitBytesPerSecond > 0)
                    thresholds.push_back(fmt::format(
                        "{}/s{}", autoRangeSizeText(s.splitBytesPerSecond), kind.empty() ? "" : " " + kind));
                if (thresholds.empty())
                    return "";
                return fmt::format(", or above {} for {} window{} of {}", fmt::join(thresholds, " or "), s.splitWindows,
                    s.splitWindows == 1 ? "" : "s", units::formatDuration(s.loadWindowSeconds));
            }

            AutoRangeSettings m_settings;
            RangeBounds m_bounds;
        };

    } // namespace

    ShardRulePtr makeAutoRangeRule(RuleParams& params, const RuleContext&)
    {
        const std::string presetName = params.text("preset", std::nullopt);
        Result<AutoRangeSettings> preset = AutoRangeSettings {};
        if (!params.has("preset"))
            params.addError(fmt::format("preset is one of {}", fmt::join(autoRangePresetNames(), ", ")));
        else if (preset = autoRangePreset(presetName); !preset)
            params.addError(fmt::format("parameter 'preset' of rule 'auto-range': {}", preset.error()));
        // The overrides are read whatever the preset, so that every mistake is reported at once.
        AutoRangeSettings settings = preset ? *preset : AutoRangeSettings {};
        readAutoRangeOverrides(params, settings);
        const auto bounds = parseRangeBounds(params, params.list("bounds", false));
        if (!params.finish().empty() || !bounds)
            return nullptr;
        for (const std::string& problem : autoRangeSettingsProblems(settings))
            params.addError(fmt::format("rule 'auto-range': {}", problem));
        if (!params.finish().empty())
            return nullptr;
        return std::make_shared<AutoRangeRuleImpl>(std::move(settings), std::move(*bounds));
    }

} // namespace rules

const AutoRangeRule* asAutoRange(const ShardRule& rule) { return dynamic_cast<const AutoRangeRule*>(&rule); }

} // namespace shardsim
