#include "plan_verification.h"

#include <algorithm>

#include <fmt/format.h>

#include "layout_search.h"
#include "period_scenario.h"
#include "shardsim/engine/simulation.h"

namespace shardsim::planner {

namespace {

    LimitCheck check(const char* name, double value, double bound)
    {
        LimitCheck limit;
        limit.limit = name;
        limit.value = value;
        limit.bound = bound;
        limit.margin = bound > 0 ? (bound - value) / bound : 0;
        limit.ok = value <= bound * (1 + kLimitTolerance);
        return limit;
    }

    std::string formatValue(const LimitCheck& limit)
    {
        if (limit.limit == "utilization" || limit.limit == "storage")
            return fmt::format("{:.1f}% > {:.1f}%", limit.value * 100, limit.bound * 100);
        if (limit.limit == "p99_latency_ms")
            return fmt::format("{:.2f} ms > {:.2f} ms", limit.value, limit.bound);
        return fmt::format("{:.0f} > {:.0f}", limit.value, limit.bound);
    }

    struct Layout {
        std::string cluster; // "healthy", "survivors"
        int nodes = 0;
        RuleSpec rule;
    };

    class Verifier {
    public:
        explicit Verifier(const LayoutToVerify& layout)
            : m_layout(layout)
            , m_base(grownScenario(*layout.scenario, layout.periodTime))
        {
        }

        // The whole scenario, expected engine; the sampled runs' ticks are sized from its busiest tick.
        bool runExpected(const Layout& layout)
        {
            const ScenarioConfig config = scenarioFor(m_base, layout);
            RunOptions options;
            options.engine = EngineMode::Expected;
            auto result = run(config, options);
            if (!result)
                return false;
            for (const ClusterTick& tick : result->cluster)
                m_peakTickRequests = std::max(m_peakTickRequests, tick.qps * config.tick);
            record(options.engine, std::nullopt, layout, config, *result);
            return true;
        }

        // The ticks around the rate's peak that fit kSampledRequestBudget, sampled engine, with one seed.
        bool runSampled(const Layout& layout, uint64_t seed)
        {
            const double perTick = std::max(m_peakTickRequests, 1.0);
            const int ticks
                = static_cast<int>(std::clamp(std::floor(kSampledRequestBudget / perTick), 1.0, double(kWindowTicks)));
            PeakWindow peak = findPeakWindow(m_base, ticks);
            if (m_layout.family->fixedRule) // auto-range: from the start, as it was sized (its ranges follow the load)
                peak = fromScenarioStart(peak);
            const ScenarioConfig window = periodScenario(*m_layout.scenario, m_layout.periodTime, peak);
            const ScenarioConfig config = scenarioFor(window, layout);
            RunOptions options;
            options.engine = EngineMode::Sampled;
            options.seed = seed;
            options.threads = 2; // the results do not depend on it
            auto result = run(config, options);
            if (!result)
                return false;
            record(options.engine, seed, layout, config, *result);
            return true;
        }

        VerificationOutcome& outcome() { return m_outcome; }

    private:
        ScenarioConfig scenarioFor(const ScenarioConfig& base, const Layout& layout) const
        {
            return layoutScenario(base, m_layout.type, layout.nodes, layout.rule, m_layout.limits.maxRowsPerTable);
        }

        std::optional<RunResult> run(const ScenarioConfig& config, RunOptions options)
        {
            options.heatmapKeyBuckets = 1;
            options.cancel = m_layout.cancel;
            auto result = runSimulation(config, options);
            if (!result || result->cancelled) {
                m_outcome.error = result ? kRunCancelled : result.error();
                return std::nullopt;
            }
            return std::move(*result);
        }

        void record(EngineMode engine, std::optional<uint64_t> seed, const Layout& layout, const ScenarioConfig& config,
            const RunResult& result)
        {
            const PlanLimits& limits = m_layout.limits;
            const LayoutRun measured
                = measureLayout(result, config, *m_layout.family, m_layout.tablesPerDatabase, limits);
            VerificationRun run;
            run.period = m_layout.period;
            run.time = m_layout.periodTime;
            run.engine = engineModeName(engine);
            run.seed = seed;
            run.cluster = layout.cluster;
            run.nodes = layout.nodes;
            run.rule = measured.spec;
            run.seconds = config.duration;
            run.failedRequests = measured.failedRequests;
            run.limits.push_back(check("utilization", measured.utilization, limits.maxUtilization));
            if (limits.maxP99Latency)
                run.limits.push_back(check("p99_latency_ms", measured.p99Ms, *limits.maxP99Latency * 1e3));
            run.limits.push_back(check("storage", measured.storage, limits.maxStorage));
            run.limits.push_back(check("rows_per_table", measured.maxRowsPerTable, double(limits.maxRowsPerTable)));
            run.ok = run.failedRequests == 0
                && std::all_of(run.limits.begin(), run.limits.end(), [](const LimitCheck& l) { return l.ok; });
            m_outcome.worstRatio = std::max(m_outcome.worstRatio, measured.worstRatio());
            if (!run.ok && m_outcome.failure.empty())
                m_outcome.failure = describeFailure(run);
            m_outcome.runs.push_back(std::move(run));
        }

        static std::string describeFailure(const VerificationRun& run)
        {
            const std::string who = run.seed ? fmt::format("{} seed {}", run.engine, *run.seed) : run.engine;
            const std::string where = run.time > 0 ? fmt::format("{} on {} nodes in {}", who, run.nodes, run.period)
                                                   : fmt::format("{} on {} nodes", who, run.nodes);
            if (run.failedRequests > 0)
                return fmt::format("{}: {:.0f} requests refused by the rule", where, run.failedRequests);
            const auto broken
                = std::find_if(run.limits.begin(), run.limits.end(), [](const LimitCheck& l) { return !l.ok; });
            return fmt::format("{}: {} {}", where, broken->limit, formatValue(*broken));
        }

        const LayoutToVerify& m_layout;
        ScenarioConfig m_base;
        double m_peakTickRequests = 0;
        VerificationOutcome m_outcome;
    };

} // namespace

VerificationOutcome verifyLayout(const LayoutToVerify& layout)
{
    std::vector<Layout> layouts;
    auto healthy = parseRuleSpec(layout.rule);
    if (!healthy) {
        VerificationOutcome outcome;
        outcome.error = healthy.error();
        return outcome;
    }
    layouts.push_back({ "healthy", layout.nodes, *healthy });
    const int survivors = layout.nodes - layout.limits.tolerateFailures;
    if (layout.limits.tolerateFailures > 0)
        layouts.push_back({ "survivors", survivors,
            ruleSpecFor(*layout.family, survivors, layout.family->tablesInRule ? layout.tablesPerDatabase : 1,
                layout.keyCount) });

    Verifier verifier(layout);
    for (const Layout& each : layouts) {
        if (!verifier.runExpected(each))
            return std::move(verifier.outcome());
        for (int i = 0; i < kVerificationSeeds; ++i)
            if (!verifier.runSampled(each, layout.scenario->seed + uint64_t(i)))
                return std::move(verifier.outcome());
    }
    VerificationOutcome& outcome = verifier.outcome();
    outcome.ok = std::all_of(outcome.runs.begin(), outcome.runs.end(), [](const VerificationRun& r) { return r.ok; });
    return std::move(outcome);
}

} // namespace shardsim::planner
