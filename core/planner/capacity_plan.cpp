#include "shardsim/planner/capacity_plan.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <tuple>

#include <fmt/format.h>

#include "layout_search.h"
#include "period_scenario.h"
#include "plan_periods.h"
#include "plan_reshard.h"
#include "plan_verification.h"
#include "shardsim/common/units.h"
#include "shardsim/engine/cluster_cost.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/rules/rule_families.h"
#include "shardsim/rules/rule_factory.h"

namespace shardsim {

namespace {

    using namespace planner;

    // One candidate: a rule family on a node type, sized period by period.
    struct Candidate {
        const RuleFamily* family = nullptr;
        NodeTypeConfig type;
        bool feasible = true;
        std::string reason;
        std::string infeasibleConstraint;
        std::vector<PlanPeriod> timeline;
        std::vector<PlanReshard> reshards;
        double horizonCost = 0;
        double nodePeriods = 0;
        double movedBytes = 0;
        // False when sizing stopped because the candidate could no longer beat the best one sized so far: the cost and
        // node-periods above are then lower bounds, and `reason` says where it stopped.
        bool complete = true;
        // The fewest nodes each period may have (empty: no minimum): a period whose layout failed its verification
        // raises its own, and so the later periods' (no period shrinks the cluster).
        std::vector<int> minimums;
    };

    // Counts sized periods for PlanOptions::progress: candidates x periods in all.
    class PlanProgress {
    public:
        PlanProgress(const PlanOptions& options, int total)
            : m_report(options.progress)
            , m_total(total)
        {
        }
        void advance(int periods)
        {
            m_done = std::min(m_total, m_done + periods);
            if (m_report)
                m_report(m_done, m_total);
        }

    private:
        std::function<void(int, int)> m_report;
        int m_total = 0;
        int m_done = 0;
    };

    std::vector<RuleFamily> candidateFamilies(const ScenarioConfig& scenario, const PlanConfig& plan)
    {
        std::vector<RuleFamily> families;
        if (!plan.rules.empty()) {
            for (const std::string& name : plan.rules)
                if (auto family = plannedRuleFamily(name))
                    families.push_back(std::move(*family));
            return families;
        }
        // The scenario's own auto-range rule first: among equally good rules, the one it runs wins.
        if (auto own = autoRangeFamily(scenario.sharding.rule))
            families.push_back(std::move(*own));
        // Random 128-bit ids have no order or arithmetic the integer rules could use.
        const bool integerKeys = std::none_of(scenario.data.tables.begin(), scenario.data.tables.end(),
            [](const TableConfig& table) { return table.ids.scheme == IdScheme::Uuid; });
        for (const RuleFamily& family : ruleFamilies())
            if (integerKeys || !family.integerKeysOnly)
                families.push_back(family);
        return families;
    }

    std::vector<NodeTypeConfig> nodeTypes(const ScenarioConfig& scenario, const PlanConfig& plan)
    {
        if (!plan.nodeTypes.empty())
            return plan.nodeTypes;
        NodeTypeConfig type;
        type.name = "node";
        type.maxQps = scenario.cluster.node.maxQps;
        type.storage = scenario.cluster.node.storage;
        type.costPerMonth = scenario.cluster.node.costPerMonth;
        type.baseLatency = scenario.cluster.node.baseLatency;
        type.concurrency = scenario.cluster.node.concurrency;
        type.queueTimeout = scenario.cluster.node.queueTimeout;
        return { type };
    }

    LayoutSearch searchFor(const Period& period, const RuleFamily& family, const NodeTypeConfig& type,
        const PlanConfig& plan, int& simulations, const std::atomic<bool>* cancel)
    {
        LayoutSearch search;
        // Ranges that split and move by load need the rates before the peak to have done so by then.
        search.period = family.fixedRule ? &period.fromStart : &period.scenario;
        search.family = &family;
        search.type = type;
        search.limits = plan.limits;
        search.maxNodes = plan.maxNodes;
        search.simulations = &simulations;
        search.hottestKeyShare = period.hottestKeyShare;
        search.hottestKey = period.hottestKey;
        search.cancel = cancel;
        return search;
    }

    // Each period's even-spread bound for one node type, without a floor: nothing simulated.
    std::vector<EvenSpreadBound> evenSpreadBounds(const RuleFamily& family, const NodeTypeConfig& type,
        const std::vector<Period>& periods, const PlanConfig& plan, int& simulations)
    {
        std::vector<EvenSpreadBound> bounds;
        for (const Period& period : periods)
            bounds.push_back(evenSpreadBound(searchFor(period, family, type, plan, simulations, nullptr)));
        return bounds;
    }

    // The least a candidate holding `nodes` nodes can still add from period `next` on: no period shrinks the cluster
    // and none runs below its even-spread bound, so this is at most what sizing would find. `failsAt` names the first
    // period no size can pass (its hottest key, or more than plan.max_nodes).
    struct Outlook {
        double cost = 0;
        double nodePeriods = 0;
        std::string failsAt; // empty: every remaining period may pass
        std::string infeasibleConstraint;
        std::string reason;
    };

    Outlook outlook(const Candidate& candidate, const std::vector<Period>& periods,
        const std::vector<EvenSpreadBound>& bounds, std::size_t next, int nodes, const PlanConfig& plan)
    {
        Outlook out;
        for (std::size_t k = next; k < periods.size(); ++k) {
            if (!bounds[k].infeasibleConstraint.empty()) {
                out.failsAt = periods[k].name;
                out.infeasibleConstraint = bounds[k].infeasibleConstraint;
                out.reason = bounds[k].reason;
                return out;
            }
            nodes = std::max(nodes, static_cast<int>(bounds[k].lowest));
            out.cost += monthlyCost(nodes, candidate.type.costPerMonth) * periodMonths(periods, plan);
            out.nodePeriods += nodes;
        }
        return out;
    }

    // Whether a candidate sized up to period `next` (exclusive) can no longer rank before `rival`, a candidate sized
    // over the whole horizon (the ranking of better()); if so, it is marked incomplete with what is known for sure.
    bool cannotWin(Candidate& candidate, const Candidate& rival, const std::vector<Period>& periods,
        const std::vector<EvenSpreadBound>& bounds, std::size_t next, const PlanConfig& plan)
    {
        const Outlook ahead = outlook(candidate, periods, bounds, next, candidate.timeline.back().nodes, plan);
        // Sums in the order sizing would add them, each term at most the real one: the bound holds in floating point.
        double cost = candidate.horizonCost;
        double nodePeriods = candidate.nodePeriods;
        const auto costlier = [&] {
            return cost > rival.horizonCost || (cost == rival.horizonCost && nodePeriods > rival.nodePeriods);
        };
        const std::string stopped = periods[next - 1].name;
        if (!ahead.failsAt.empty()) {
            // Certainly infeasible: it loses to a feasible rival, and to an infeasible one that is already cheaper
            // (an infeasible candidate's cost is what it spent before it failed).
            if (rival.feasible || costlier()) {
                candidate.feasible = false;
                candidate.complete = false;
                candidate.infeasibleConstraint = ahead.infeasibleConstraint;
                candidate.reason = fmt::format("from {} at the latest: {} (sized up to {})", ahead.failsAt,
                    ahead.reason, stopped);
                return true;
            }
            return false;
        }
        if (!rival.feasible)
            return false; // it may stay feasible and win
        cost += ahead.cost;
        nodePeriods += ahead.nodePeriods;
        if (!costlier())
            return false;
        candidate.complete = false;
        candidate.horizonCost = cost;
        candidate.nodePeriods = nodePeriods;
        candidate.reason = fmt::format("sized up to {}, where it could no longer win", stopped);
        return true;
    }

    // Sizes period k of a candidate sized up to k - 1 (`floor`: its nodes there, or the fewest the present may have).
    // False when the candidate ends there: infeasible, cancelled, or (with a `rival`) unable to rank before it.
    bool sizeNext(Candidate& candidate, int& floor, std::size_t k, const std::vector<Period>& periods,
        const PlanConfig& plan, int& simulations, const std::atomic<bool>* cancel, const Candidate* rival,
        const std::vector<EvenSpreadBound>& bounds, PlanProgress* progress)
    {
        const RuleFamily& family = *candidate.family;
        const NodeTypeConfig& type = candidate.type;
        const Period& period = periods[k];
        if (cancel && cancel->load()) {
            candidate.feasible = false;
            candidate.reason = "cancelled";
            return false;
        }
        if (k > 0 && rival && cannotWin(candidate, *rival, periods, bounds, k, plan)) {
            if (progress)
                progress->advance(int(periods.size() - k));
            return false;
        }
        std::map<std::tuple<int, int, int>, LayoutRun> runs;
        LayoutSearch search = searchFor(period, family, type, plan, simulations, cancel);
        search.runs = &runs;
        const PeriodSize size = sizePeriod(search, floor);
        if (progress)
            progress->advance(size.feasible ? 1 : int(periods.size() - k));
        if (!size.feasible) {
            candidate.feasible = false;
            candidate.infeasibleConstraint = size.infeasibleConstraint;
            candidate.reason = period.time == 0 ? size.reason : fmt::format("from {}: {}", period.name, size.reason);
            return false;
        }
        floor = size.nodes;
        PlanPeriod row;
        row.period = period.name;
        row.time = period.time;
        row.nodes = size.nodes;
        row.databases = size.nodes;
        row.tablesPerDatabase = size.tablesPerDatabase;
        row.maxRowsPerTable = size.healthy.maxRowsPerTable;
        // Tables once split stay split: a database that now holds fewer rows keeps its tables (the
        // split inside a database does not change the load). db-table's tables are part of its rule.
        if (!family.tablesInRule && !candidate.timeline.empty()
            && candidate.timeline.back().tablesPerDatabase > row.tablesPerDatabase) {
            row.maxRowsPerTable *= double(row.tablesPerDatabase) / candidate.timeline.back().tablesPerDatabase;
            row.tablesPerDatabase = candidate.timeline.back().tablesPerDatabase;
        }
        row.tables = row.databases * row.tablesPerDatabase;
        row.rule = size.healthy.spec;
        row.bindingConstraint = size.binding;
        if (row.bindingConstraint.empty()) {
            // At the floor: the tables if this period had to split them, else the limit closest to its bound.
            const bool tablesGrew = !candidate.timeline.empty()
                && row.tablesPerDatabase > candidate.timeline.back().tablesPerDatabase
                && row.nodes == candidate.timeline.back().nodes;
            row.bindingConstraint = tablesGrew ? "rows_per_table" : size.survivors.worstConstraint();
        }
        row.peakQps = size.healthy.peakQps;
        row.peakUtilization = size.healthy.utilization;
        row.failoverUtilization = size.survivors.utilization;
        row.storageFraction = size.survivors.storage;
        row.p99LatencyMs = size.survivors.p99Ms;
        row.latency = size.healthy.latency;
        row.rows = size.healthy.rows;
        row.bytes = size.healthy.bytes;
        row.monthlyCost = monthlyCost(size.nodes, type.costPerMonth);
        candidate.horizonCost += row.monthlyCost * periodMonths(periods, plan);
        candidate.nodePeriods += row.nodes;
        if (!candidate.timeline.empty()) {
            const PlanPeriod& before = candidate.timeline.back();
            if (before.nodes != row.nodes || before.tablesPerDatabase != row.tablesPerDatabase) {
                // The balancer moves the data there is when the nodes join, as other rules' reshards count it.
                const ScenarioConfig& data = family.fixedRule ? periods[k - 1].scenario : period.scenario;
                candidate.reshards.push_back(describeReshard(*candidate.family, before, row, data, plan));
                candidate.movedBytes += candidate.reshards.back().movedBytes;
            }
        }
        candidate.timeline.push_back(std::move(row));
        return true;
    }

    // `minimums`: the fewest nodes each period may have (Candidate::minimums). With a `rival`, sizing stops as soon as
    // the candidate cannot rank before it (docs/planner.md#candidates-that-cannot-win).
    Candidate sizeCandidate(const RuleFamily& family, const NodeTypeConfig& type, const std::vector<Period>& periods,
        const PlanConfig& plan, int& simulations, const std::atomic<bool>* cancel, const std::vector<int>& minimums = {},
        const Candidate* rival = nullptr, PlanProgress* progress = nullptr)
    {
        Candidate candidate;
        candidate.family = &family;
        candidate.type = type;
        candidate.minimums = minimums;
        int floor = 0;
        const std::vector<EvenSpreadBound> bounds
            = rival ? evenSpreadBounds(family, type, periods, plan, simulations) : std::vector<EvenSpreadBound> {};
        for (std::size_t k = 0; k < periods.size(); ++k) {
            floor = std::max(floor, k < minimums.size() ? minimums[k] : 0);
            if (!sizeNext(candidate, floor, k, periods, plan, simulations, cancel, rival, bounds, progress))
                break;
        }
        return candidate;
    }

    // Hashed rules' movement is measured on sampled keys: within 2% the amounts count as the same.
    bool similarMovement(double a, double b) { return std::abs(a - b) <= 0.02 * std::max(a, b); }

    // Cheapest over the horizon, then fewest node-periods, then least data moved, then the family order.
    bool better(const Candidate& a, const Candidate& b)
    {
        if (a.feasible != b.feasible)
            return a.feasible;
        if (a.horizonCost != b.horizonCost)
            return a.horizonCost < b.horizonCost;
        if (a.nodePeriods != b.nodePeriods)
            return a.nodePeriods < b.nodePeriods;
        if (!similarMovement(a.movedBytes, b.movedBytes))
            return a.movedBytes < b.movedBytes;
        return false; // equal: the family order decides (stable sort)
    }

    // Whether every candidate certainly fails some period, by its node type's even-spread bounds alone (its hottest key,
    // or more than plan.max_nodes): the family does not enter the bound.
    bool certainlyInfeasible(const std::vector<Candidate>& candidates, const std::vector<Period>& periods,
        const PlanConfig& plan, int& simulations)
    {
        return !candidates.empty() && std::all_of(candidates.begin(), candidates.end(), [&](const Candidate& candidate) {
            const auto bounds = evenSpreadBounds(*candidate.family, candidate.type, periods, plan, simulations);
            return std::any_of(bounds.begin(), bounds.end(),
                [](const EvenSpreadBound& bound) { return !bound.infeasibleConstraint.empty(); });
        });
    }

    // Sorts the candidates best first; one whose sizing stopped early that now ranks first (the best grew in its
    // verification) is sized over the whole horizon and the ranking made again.
    void rank(std::vector<Candidate>& candidates, const std::vector<Period>& periods, const PlanConfig& plan,
        int& simulations, const std::atomic<bool>* cancel)
    {
        std::stable_sort(candidates.begin(), candidates.end(), better);
        while (!candidates.front().complete && !(cancel && cancel->load())) {
            Candidate& first = candidates.front();
            first = sizeCandidate(*first.family, first.type, periods, plan, simulations, cancel, first.minimums);
            std::stable_sort(candidates.begin(), candidates.end(), better);
        }
    }

    std::string whyLost(const Candidate& loser, const Candidate& winner)
    {
        if (!loser.feasible)
            return loser.reason;
        if (!loser.complete && loser.horizonCost > winner.horizonCost)
            return fmt::format("costs at least {:.0f} more over the horizon ({})",
                loser.horizonCost - winner.horizonCost, loser.reason);
        if (!loser.complete)
            return fmt::format("needs more nodes over the horizon ({})", loser.reason);
        if (loser.horizonCost != winner.horizonCost)
            return fmt::format("costs {:.0f} more over the horizon", loser.horizonCost - winner.horizonCost);
        const int nowNodes = loser.timeline.front().nodes;
        const int winnerNow = winner.timeline.front().nodes;
        if (nowNodes != winnerNow)
            return fmt::format("needs {} nodes now instead of {}", nowNodes, winnerNow);
        const int lastNodes = loser.timeline.back().nodes;
        const int winnerLast = winner.timeline.back().nodes;
        if (lastNodes != winnerLast)
            return fmt::format("needs {} nodes at the horizon instead of {}", lastNodes, winnerLast);
        if (loser.nodePeriods != winner.nodePeriods)
            return "needs more nodes over the horizon";
        if (!similarMovement(loser.movedBytes, winner.movedBytes))
            return fmt::format("moves {} more data over the horizon", units::formatSize(loser.movedBytes - winner.movedBytes));
        return "as good; listed later among equal rules";
    }

    // Share of D equal databases that move when a balanced fold onto n1 nodes becomes one onto n2: each node
    // keeps as many of its databases as its new share allows (the fullest nodes keep the largest shares),
    // the rest move to the nodes below their share.
    double unfoldMovedFraction(int databases, int fromNodes, int toNodes)
    {
        auto share = [databases](int nodes, int node) { return databases / nodes + (node < databases % nodes ? 1 : 0); };
        int kept = 0;
        for (int node = 0; node < std::min(fromNodes, toNodes); ++node)
            kept += std::min(share(fromNodes, node), share(toNodes, node));
        return double(databases - kept) / double(databases);
    }

    // Logical databases created now and folded onto the nodes, unfolded as the cluster grows: whole databases
    // move instead of re-routed rows. Tries D* = the powers of two from the horizon's largest node count up to
    // kMaxPreSplitFactor times it: more databases fold more evenly onto node counts that do not divide them.
    constexpr int kMaxPreSplitFactor = 64;

    PreSplit planPreSplit(const Candidate& winner, const std::vector<Period>& periods, const PlanConfig& plan,
        int& simulations, const std::atomic<bool>* cancel)
    {
        PreSplit split;
        int most = 0;
        for (const PlanPeriod& row : winner.timeline)
            most = std::max(most, row.nodes);
        for (const PlanReshard& reshard : winner.reshards)
            split.movedBytesResharding += reshard.movedBytes;
        const PlanPeriod& first = winner.timeline.front();
        if (winner.family->fixedRule) {
            split.reason = "auto-range ranges split and move on their own as the data and the cluster grow: there is "
                           "nothing to pre-split";
            return split;
        }
        if (winner.reshards.empty() || first.nodes == most) {
            split.reason = "the node count does not change over the horizon; no pre-split is needed";
            return split;
        }
        int start = 1;
        while (start < most)
            start *= 2;
        std::string lastFailure;
        for (int databases = start; databases <= kMaxPreSplitFactor * most; databases *= 2) {
            split.databases = databases;
            split.rule = ruleSpecFor(*winner.family, databases,
                winner.family->tablesInRule ? first.tablesPerDatabase : 1, keySpace(periods.back().scenario))
                             .toString();
            split.movedBytes = 0;
            for (std::size_t i = 1; i < winner.timeline.size(); ++i) {
                const PlanPeriod& before = winner.timeline[i - 1];
                const PlanPeriod& after = winner.timeline[i];
                if (before.nodes != after.nodes)
                    split.movedBytes += unfoldMovedFraction(databases, before.nodes, after.nodes) * before.bytes
                        * periods[i].scenario.cluster.replication;
            }
            if (split.movedBytes >= split.movedBytesResharding
                || similarMovement(split.movedBytes, split.movedBytesResharding)) {
                split.recommended = false;
                split.reason = lastFailure.empty()
                    ? fmt::format("unfolding {} pre-split databases would move {}, resharding {} moves {}: reshard "
                                  "instead",
                        databases, units::formatSize(split.movedBytes), winner.family->name,
                        units::formatSize(split.movedBytesResharding))
                    : lastFailure;
                return split;
            }
            // The folded layout must keep the limits too: an uneven fold puts more databases on some nodes.
            bool kept = true;
            for (std::size_t i = 0; i < winner.timeline.size() && kept; ++i) {
                LayoutSearch search;
                search.period = &periods[i].scenario;
                search.family = winner.family;
                search.type = winner.type;
                search.limits = plan.limits;
                search.simulations = &simulations;
                search.cancel = cancel;
                const int alive = winner.timeline[i].nodes - plan.limits.tolerateFailures;
                const LayoutRun run = runLayout(search, alive, databases,
                    winner.family->tablesInRule ? winner.timeline[i].tablesPerDatabase : 1);
                if (!run.ok) {
                    kept = false;
                    lastFailure = fmt::format("{} databases folded onto {} nodes ({}) break {} ({:.0f}% of the "
                                              "limit): reshard instead",
                        databases, winner.timeline[i].nodes, winner.timeline[i].period, run.worstConstraint(),
                        run.worstRatio() * 100);
                }
            }
            if (!kept)
                continue;
            split.recommended = true;
            split.reason = fmt::format("create {} logical databases now ({}), fold them onto {} nodes and unfold "
                                       "them as the cluster grows to {}: whole databases move ({} over the horizon) "
                                       "instead of re-routed rows ({})",
                databases, split.rule, first.nodes, most, units::formatSize(split.movedBytes),
                units::formatSize(split.movedBytesResharding));
            return split;
        }
        split.recommended = false;
        split.reason = lastFailure;
        return split;
    }

    // The cluster as configured, at the present's peak: its own nodes, node and rule (placement round-robin, as the
    // planner places).
    TodayCluster todayCluster(const ScenarioConfig& scenario, const Period& now, int& simulations,
        const std::atomic<bool>* cancel)
    {
        TodayCluster today;
        today.nodes = scenario.cluster.nodes;
        today.rule = scenario.sharding.rule.toString();
        today.monthlyCost = monthlyCost(scenario.cluster.nodes, scenario.cluster.node.costPerMonth);
        // Measured as its candidate would be: auto-range from the scenario's start (docs/planner.md#auto-range).
        ScenarioConfig config = scenario.sharding.rule.name == "auto-range" ? now.fromStart : now.scenario;
        config.cluster.nodes = scenario.cluster.nodes;
        config.cluster.node = scenario.cluster.node;
        config.cluster.replication = std::min(scenario.cluster.replication, scenario.cluster.nodes);
        config.sharding.rule = scenario.sharding.rule;
        RunOptions options;
        options.engine = EngineMode::Expected;
        options.heatmapKeyBuckets = 1;
        options.cancel = cancel;
        ++simulations;
        if (auto result = runSimulation(config, options); result && !result->cancelled) {
            double busiest = 0;
            for (const ClusterTick& tick : result->cluster)
                busiest = std::max(busiest, tick.maxUtilization);
            today.peakUtilization = busiest;
        }
        return today;
    }

    // "nodes" for the scenario's own node type, "large nodes" for a plan.node_types entry.
    std::string nodesOfType(const NodeTypeConfig& type) { return type.name == "node" ? "nodes" : type.name + " nodes"; }

    // A size that fails its verification moves up by the worst ratio it showed (the load per node falls as 1/n),
    // at least one node, at most doubling the survivors: the growth step of the search.
    int sizeAfterFailure(int nodes, int failures, double worstRatio)
    {
        const double factor = std::clamp(worstRatio, 1.0, 2.0);
        return std::max(nodes + 1, static_cast<int>(std::ceil(double(nodes - failures) * factor - 1e-9)) + failures);
    }

    // Failed verifications a plan may take before it gives up: each failure sizes a candidate up.
    constexpr int kMaxVerifications = 12;

    // What one period's layout showed when run, by (period, family, node type, rule, tables per database): a candidate
    // sized up from a failed period keeps the layouts of the periods before it, and they are not run again.
    using VerifiedLayout = std::tuple<std::size_t, std::string, std::string, std::string, int>;
    using VerifiedLayouts = std::map<VerifiedLayout, VerificationOutcome>;

    // Runs the layout of every period of `candidate` (each at most once over the plan) into `verification.runs`, in
    // the timeline's order, until a period fails: its index, or none when every period passed.
    std::optional<std::size_t> verifyTimeline(const Candidate& candidate, const ScenarioConfig& scenario,
        const std::vector<Period>& periods, const PlanConfig& plan, const std::atomic<bool>* cancel,
        VerifiedLayouts& verified, PlanVerification& verification, std::string& error)
    {
        verification.runs.clear();
        for (std::size_t k = 0; k < candidate.timeline.size(); ++k) {
            const PlanPeriod& row = candidate.timeline[k];
            const VerifiedLayout key { k, candidate.family->name, candidate.type.name, row.rule, row.tablesPerDatabase };
            auto found = verified.find(key);
            if (found == verified.end()) {
                LayoutToVerify layout;
                layout.scenario = &scenario;
                layout.period = row.period;
                layout.periodTime = row.time;
                layout.family = candidate.family;
                layout.type = candidate.type;
                layout.limits = plan.limits;
                layout.nodes = row.nodes;
                layout.tablesPerDatabase = row.tablesPerDatabase;
                layout.rule = row.rule;
                layout.keyCount = keySpace(periods[k].scenario);
                layout.cancel = cancel;
                VerificationOutcome outcome = verifyLayout(layout);
                if (!outcome.error.empty()) {
                    error = outcome.error;
                    return k;
                }
                found = verified.emplace(key, std::move(outcome)).first;
            }
            const VerificationOutcome& outcome = found->second;
            verification.runs.insert(verification.runs.end(), outcome.runs.begin(), outcome.runs.end());
            if (!outcome.ok)
                return k;
        }
        return std::nullopt;
    }

    // Whether period row `other` is as close to every limit as `failed`, on as few nodes or fewer, give or take the
    // part by which `failed`'s runs broke a limit (`over`: the worst ratio of value to limit, minus 1): the sampled
    // engine's noise that broke `failed` would break it too. At least 0.1% (relative) is allowed, so that rules
    // spreading keys alike count as alike.
    bool asCloseToTheLimits(const PlanPeriod& other, const PlanPeriod& failed, double over)
    {
        const double slack = std::max(over, 1e-3);
        const auto asHigh = [slack](double value, double reference) { return value >= reference * (1 - slack); };
        return other.nodes <= failed.nodes && asHigh(other.peakUtilization, failed.peakUtilization)
            && asHigh(other.failoverUtilization, failed.failoverUtilization)
            && asHigh(other.storageFraction, failed.storageFraction) && asHigh(other.p99LatencyMs, failed.p99LatencyMs);
    }

    // After the best candidate's layout failed in period k (`failed`, now to be at least `next` nodes there): sizes up
    // alike every other candidate of its node type whose layout there is as close to the limits, instead of verifying
    // each in turn to the same failure. Returns how many.
    int sizeUpAlike(std::vector<Candidate>& candidates, std::size_t k, const PlanPeriod& failed, double over, int next,
        const std::vector<Period>& periods, const PlanConfig& plan, int& simulations, const std::atomic<bool>* cancel)
    {
        int alike = 0;
        for (std::size_t c = 1; c < candidates.size(); ++c) {
            Candidate& other = candidates[c];
            if (!other.feasible || other.type.name != candidates.front().type.name || other.timeline.size() <= k
                || !asCloseToTheLimits(other.timeline[k], failed, over))
                continue;
            other.minimums.resize(periods.size(), 0);
            other.minimums[k] = std::max(other.minimums[k], next);
            other = sizeCandidate(*other.family, other.type, periods, plan, simulations, cancel, other.minimums);
            ++alike;
        }
        return alike;
    }

    // Verifies the best candidate period by period; one whose layout fails in a period is sized again with at least
    // the size that failure asks for from that period on, and the candidates ranked again, until the best passes in
    // every period. The candidates stay sorted best first.
    PlanVerification verifyBest(std::vector<Candidate>& candidates, const ScenarioConfig& scenario,
        const std::vector<Period>& periods, const PlanConfig& plan, int& simulations, const std::atomic<bool>* cancel,
        std::string& error)
    {
        PlanVerification verification;
        VerifiedLayouts verified;
        std::string lastFailure;
        for (int failures = 0; failures < kMaxVerifications && candidates.front().feasible; ++failures) {
            Candidate& best = candidates.front();
            const std::optional<std::size_t> failed
                = verifyTimeline(best, scenario, periods, plan, cancel, verified, verification, error);
            if (!error.empty())
                return verification;
            if (!failed) {
                verification.passed = true;
                return verification;
            }
            const std::size_t k = *failed;
            const PlanPeriod row = best.timeline[k]; // a copy: `best` is sized again below
            const VerificationOutcome& outcome = verified.at(
                VerifiedLayout { k, best.family->name, best.type.name, row.rule, row.tablesPerDatabase });
            // The present is named by its size alone, as a plan of the present only has nothing else.
            const std::string in = k == 0 ? std::string() : " in " + row.period;
            const std::string name
                = fmt::format("{} on {} {}{}", best.family->name, row.nodes, nodesOfType(best.type), in);
            const int next = sizeAfterFailure(row.nodes, plan.limits.tolerateFailures, outcome.worstRatio);
            lastFailure = fmt::format("{} failed its verification ({})", name, outcome.failure);
            std::vector<int> minimums = best.minimums;
            minimums.resize(periods.size(), 0);
            minimums[k] = std::max(minimums[k], next);
            best = sizeCandidate(*best.family, best.type, periods, plan, simulations, cancel, minimums);
            std::string step = lastFailure + "; ";
            step += best.feasible ? fmt::format("sized up to {}{}", best.timeline[k].nodes, in)
                                  : fmt::format("no larger size fits ({})", best.reason);
            if (!best.feasible)
                best.reason = fmt::format("{}, and at {} nodes or more: {}", lastFailure, next, best.reason);
            const RuleFamily* resized = best.family;
            const std::string resizedType = best.type.name;
            if (const int alike
                = sizeUpAlike(candidates, k, row, outcome.worstRatio - 1, next, periods, plan, simulations, cancel);
                alike > 0)
                step += fmt::format(
                    ", and so {} other candidate{} as close to the limits there", alike, alike == 1 ? "" : "s");
            rank(candidates, periods, plan, simulations, cancel); // `best` may now name another candidate
            const Candidate& leader = candidates.front();
            if (leader.feasible && (leader.family != resized || leader.type.name != resizedType))
                step += fmt::format("; {} on {} {} is now the best candidate", leader.family->name,
                    leader.timeline.front().nodes, nodesOfType(leader.type));
            verification.steps.push_back(std::move(step));
        }
        if (candidates.front().feasible)
            verification.steps.push_back(
                fmt::format("gave up after {} failed verifications; the last: {}", kMaxVerifications, lastFailure));
        return verification;
    }

} // namespace

PlanConfig defaultPlanConfig(const ScenarioConfig& scenario)
{
    PlanConfig plan;
    plan.limits.maxUtilization = scenario.limits.maxUtilization;
    plan.limits.maxStorage = scenario.limits.maxStorageUtilization;
    plan.limits.maxRowsPerTable = scenario.limits.maxRowsPerTable;
    return plan;
}

Result<CapacityPlan> planCapacity(const ScenarioConfig& scenario, const PlanOptions& options)
{
    if (!scenario.plan) {
        ScenarioConfig present = scenario;
        present.plan = defaultPlanConfig(scenario);
        auto planned = planCapacity(present, options);
        if (planned)
            planned->notes.emplace_back(kNoPlanSectionNote);
        return planned;
    }
    if (std::string why = unplannableReason(scenario); !why.empty())
        return fail(why);
    const PlanConfig& plan = *scenario.plan;

    CapacityPlan result;
    result.limits = plan.limits;
    if (!scenario.cluster.regions.empty() || !scenario.workload.geo.empty())
        result.notes.push_back("the cluster's regions are planned as one pool of nodes; where requests come from "
                               "(geo) is not modelled by the planner");
    const double years = plan.horizon / (365.0 * 86'400);
    const std::string horizon = std::abs(years - std::round(years)) < 1e-9 && years >= 1
        ? fmt::format("{:.0f}y", years)
        : units::formatDuration(plan.horizon);
    result.horizon = plan.horizon <= 0 ? "now only" : fmt::format("{} by {}", horizon, planStepName(plan.step));
    const PeakWindow window = findPeakWindow(scenario);
    result.windowSeconds = window.length;
    const std::vector<Period> periods = makePeriods(scenario, plan, window);

    // Every candidate in the family order; once one is sized over the whole horizon, the others stop as soon as they
    // cannot rank before the best so far (only the winner's numbers must be exact; a loser says where it stopped).
    const std::vector<RuleFamily> families = candidateFamilies(scenario, plan); // outlives the candidates' pointers
    const std::vector<NodeTypeConfig> types = nodeTypes(scenario, plan);
    PlanProgress progress(options, int(families.size() * types.size() * periods.size()));
    std::vector<Candidate> candidates;
    for (const RuleFamily& family : families)
        for (const NodeTypeConfig& type : types) {
            Candidate candidate;
            candidate.family = &family;
            candidate.type = type;
            candidates.push_back(std::move(candidate));
        }
    std::optional<std::size_t> best; // the best candidate sized to its end so far
    const auto ended = [&](std::size_t i) {
        if (candidates[i].complete && (!best || better(candidates[i], candidates[*best])))
            best = i;
    };
    const auto rival = [&]() -> const Candidate* { return best && !options.exhaustive ? &candidates[*best] : nullptr; };
    if (!certainlyInfeasible(candidates, periods, plan, result.simulations)) {
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            candidates[i] = sizeCandidate(*candidates[i].family, candidates[i].type, periods, plan, result.simulations,
                options.cancel, {}, rival(), &progress);
            ended(i);
        }
    } else {
        // No candidate can pass every period, and the best infeasible one is the cheapest before it fails: size them
        // all period by period, so the first to fail bounds the others as early as possible.
        std::vector<std::vector<EvenSpreadBound>> bounds;
        for (const Candidate& candidate : candidates)
            bounds.push_back(evenSpreadBounds(*candidate.family, candidate.type, periods, plan, result.simulations));
        std::vector<int> floors(candidates.size(), 0);
        std::vector<bool> sizing(candidates.size(), true);
        for (std::size_t k = 0; k < periods.size(); ++k)
            for (std::size_t i = 0; i < candidates.size(); ++i)
                if (sizing[i]
                    && !sizeNext(candidates[i], floors[i], k, periods, plan, result.simulations, options.cancel,
                        rival(), bounds[i], &progress)) {
                    sizing[i] = false;
                    ended(i);
                }
        for (std::size_t i = 0; i < candidates.size(); ++i)
            if (sizing[i])
                ended(i);
    }
    if (options.cancel && options.cancel->load())
        return fail("cancelled");
    if (candidates.empty())
        return fail("plan.rules: no rule family to size");
    rank(candidates, periods, plan, result.simulations, options.cancel);
    result.today = todayCluster(scenario, periods.front(), result.simulations, options.cancel);
    if (options.verify) {
        std::string error;
        result.verification = verifyBest(candidates, scenario, periods, plan, result.simulations, options.cancel, error);
        if (options.cancel && options.cancel->load())
            return fail("cancelled");
        if (!error.empty())
            return fail(fmt::format("verifying the plan: {}", error));
    }
    const Candidate& winner = candidates.front();

    result.feasible = winner.feasible && (!result.verification || result.verification->passed);
    if (winner.feasible && !result.feasible) {
        // Never recommend what did not hold when run: the last failure says why.
        result.reason = fmt::format("no layout passed its verification: {}", result.verification->steps.back());
        result.recommended.bindingConstraint = winner.timeline.front().bindingConstraint;
    } else if (!winner.feasible) {
        // The same reason for every family (a hot key) is said once; else the best family's.
        const bool allHot = std::all_of(candidates.begin(), candidates.end(),
            [](const Candidate& c) { return c.infeasibleConstraint == "hot_key"; });
        result.reason = allHot ? winner.reason : fmt::format("no rule meets the limits; {}: {}", winner.family->name, winner.reason);
        result.recommended.bindingConstraint = winner.infeasibleConstraint;
    } else {
        const PlanPeriod& now = winner.timeline.front();
        result.recommended.family = winner.family->name;
        result.recommended.rule = now.rule;
        result.recommended.nodeType = winner.type.name;
        result.recommended.nodes = now.nodes;
        result.recommended.databases = now.databases;
        result.recommended.tables = now.tables;
        result.recommended.monthlyCost = now.monthlyCost;
        result.recommended.bindingConstraint = now.bindingConstraint;
        result.timeline = winner.timeline;
        result.reshards = winner.reshards;
        result.preSplit = planPreSplit(winner, periods, plan, result.simulations, options.cancel);
        if (options.cancel && options.cancel->load())
            return fail("cancelled");
    }
    for (std::size_t i = 1; i < candidates.size(); ++i) {
        const Candidate& candidate = candidates[i];
        PlanAlternative alternative;
        alternative.rule = candidate.family->name;
        alternative.nodeType = candidate.type.name;
        alternative.feasible = candidate.feasible;
        if (!candidate.timeline.empty()) {
            alternative.nodes = candidate.timeline.front().nodes;
            alternative.finalNodes = candidate.timeline.back().nodes;
            alternative.monthlyCost = candidate.timeline.front().monthlyCost;
            alternative.bindingConstraint = candidate.timeline.front().bindingConstraint;
        }
        if (!candidate.feasible)
            alternative.bindingConstraint = candidate.infeasibleConstraint;
        alternative.horizonCost = candidate.horizonCost;
        alternative.movedBytes = candidate.movedBytes;
        alternative.reason = whyLost(candidate, winner);
        if (!candidate.complete && !candidate.timeline.empty())
            alternative.sizedUntil = candidate.timeline.back().period;
        result.alternatives.push_back(std::move(alternative));
    }
    return result;
}

} // namespace shardsim
