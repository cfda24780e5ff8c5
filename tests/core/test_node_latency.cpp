// A node as M/M/c with a bounded queue (docs/engine-model.md, "Node load and latency"). The references are computed
// here, independently of the engine's functions: Erlang B by its recurrence and by its integral form, the M/M/c
// response-time distribution by its textbook closed form (Gross & Harris), inverted by bisection, and the bounded
// queue by the discrete M/M/c/K chain.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

#include "engine/latency_mixture.h"
#include "engine/mmc_response.h"
#include "engine/response_table.h"
#include "shardsim/engine/simulation.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim {
namespace {

    // ---- Independent references ---------------------------------------------------------------------------------

    // Erlang B by the recurrence B(k) = a B(k-1) / (k + a B(k-1)), B(0) = 1.
    double erlangBRecurrence(int servers, double load)
    {
        double b = 1;
        for (int k = 1; k <= servers; ++k)
            b = load * b / (k + load * b);
        return b;
    }

    // Erlang B for any real c >= 0 from 1 / B(c, a) = a * integral_0^inf e^(-a t) (1 + t)^c dt (Jagerman), by
    // Simpson's rule.
    double erlangBIntegral(double servers, double load)
    {
        const double end = 60.0 / load + 10 * servers / load;
        const int steps = 400'000;
        const double h = end / steps;
        double sum = 0;
        for (int i = 0; i <= steps; ++i) {
            const double t = i * h;
            const double f = std::exp(-load * t + servers * std::log1p(t));
            sum += (i == 0 || i == steps ? 1 : (i % 2 ? 4 : 2)) * f;
        }
        return 1 / (load * sum * h / 3);
    }

    double erlangC(double b, double rho) { return b / (1 - rho * (1 - b)); }

    // M/M/c response time, unbounded queue: P(T > t) = e^(-mu t) [1 + C (1 - e^(-mu (c - 1 - c rho) t)) /
    // (c - 1 - c rho)], and e^(-mu t) (1 + C mu t) when c - 1 - c rho = 0.
    double mmcTail(double servers, double service, double rho, double c, double t)
    {
        const double mu = 1 / service;
        const double k = servers - 1 - servers * rho;
        const double factor = std::fabs(k) < 1e-12 ? c * mu * t : c * (1 - std::exp(-mu * k * t)) / k;
        return std::exp(-mu * t) * (1 + factor);
    }

    double invert(const std::function<double(double)>& tail, double q)
    {
        double low = 0;
        double high = 1;
        while (tail(high) > 1 - q)
            high *= 2;
        for (int i = 0; i < 200; ++i) {
            const double mid = 0.5 * (low + high);
            (tail(mid) > 1 - q ? low : high) = mid;
        }
        return 0.5 * (low + high);
    }

    double mmcQuantile(double servers, double service, double rho, double c, double q)
    {
        return invert([&](double t) { return mmcTail(servers, service, rho, c, t); }, q);
    }

    // ---- Erlang B and C -----------------------------------------------------------------------------------------

    TEST(ErlangFormulas, ErlangCMatchesTheRecurrence)
    {
        for (int c : { 1, 2, 10, 100 }) {
            for (double rho : { 0.01, 0.3, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999 }) {
                const double reference = erlangC(erlangBRecurrence(c, c * rho), rho);
                EXPECT_NEAR(engine::erlangC(c, rho), reference, 1e-6) << "c = " << c << ", rho = " << rho;
            }
        }
        // M/M/1 waits with probability rho.
        EXPECT_NEAR(engine::erlangC(1, 0.7), 0.7, 1e-12);
        EXPECT_EQ(engine::erlangC(10, 1.0), 1.0);
    }

    // Between whole servers Erlang B follows its integral form, and equals the recurrence at whole ones.
    TEST(ErlangFormulas, FractionalServersFollowTheContinuousErlangB)
    {
        for (double c : { 1.0, 1.5, 2.5, 7.25, 10.0 }) {
            for (double rho : { 0.3, 0.8, 0.97 }) {
                const double a = c * rho;
                EXPECT_NEAR(engine::erlangB(c, a), erlangBIntegral(c, a), 1e-7) << "c = " << c << ", rho = " << rho;
            }
        }
        const double b2 = engine::erlangB(2, 1.6);
        const double b3 = engine::erlangB(3, 1.6);
        const double between = engine::erlangB(2.5, 1.6);
        EXPECT_LT(between, b2);
        EXPECT_GT(between, b3);
    }

    // ---- The response-time distribution --------------------------------------------------------------------------

    // The reference: c = 10, S = 1 ms, rho = 0.5 / 0.8 / 0.95 gives p99 = 4.6 / 4.9 / 10.2 ms.
    TEST(MmcResponse, PercentilesInvertTheTextbookDistribution)
    {
        struct Case {
            double servers;
            double rho;
        };
        for (const Case& k : { Case { 10, 0.5 }, Case { 10, 0.8 }, Case { 10, 0.95 }, Case { 10, 0.9 }, Case { 1, 0.5 },
                 Case { 2, 0.9 }, Case { 100, 0.99 } }) {
            const double c = erlangC(erlangBRecurrence(static_cast<int>(k.servers), k.servers * k.rho), k.rho);
            // A queue of 10^6 s is no bound at these loads.
            const auto response = engine::MmcResponse::at(k.servers, 0.001, k.rho, 1e6);
            for (double q : { 0.5, 0.95, 0.99, 0.999 }) {
                const double reference = mmcQuantile(k.servers, 0.001, k.rho, c, q);
                EXPECT_NEAR(response.quantile(q), reference, 1e-9 * reference)
                    << "c = " << k.servers << ", rho = " << k.rho << ", q = " << q;
            }
            EXPECT_NEAR(response.mean(), 0.001 + c * 0.001 / (k.servers * (1 - k.rho)), 1e-12);
        }
        // c = 10, rho = 0.9 is the case c mu - lambda = mu: the tail is e^(-mu t) (1 + C mu t).
        EXPECT_NEAR(engine::MmcResponse::at(10, 0.001, 0.5, 1e6).quantile(0.99), 0.0046, 0.00005);
        EXPECT_NEAR(engine::MmcResponse::at(10, 0.001, 0.8, 1e6).quantile(0.99), 0.0049, 0.00005);
        EXPECT_NEAR(engine::MmcResponse::at(10, 0.001, 0.95, 1e6).quantile(0.99), 0.0102, 0.00005);
    }

    // The bounded queue against the discrete M/M/c/K chain with K - c = c mu T places: an admitted request finds n
    // in the system with probability proportional to p_n (n < K), waits when n >= c, for (n - c + 1) / (c mu) on
    // average.
    TEST(MmcResponse, BoundedQueueAgreesWithTheMMcKChain)
    {
        const int c = 10;
        const double mu = 1000;
        const double timeout = 1;
        const int places = static_cast<int>(c * mu * timeout);
        for (double rho : { 0.5, 0.9, 0.99, 0.999, 1.0, 1.001, 1.5, 4.0 }) {
            const double a = c * rho;
            // Weights relative to p_c, in logarithms: p_n / p_c for n < c, and rho^(n - c) from c on.
            double free = 0; // sum over n < c
            double term = 1;
            for (int n = c; n-- > 0;) {
                term *= (n + 1) / a;
                free += term;
            }
            // Above rho = 1 every weight is scaled by rho^-(places - 1) so that none overflows.
            const double scale = rho > 1 ? (places - 1) * std::log(rho) : 0;
            free *= std::exp(-scale);
            double busy = 0;
            double waitSum = 0;
            for (int j = 0; j < places; ++j) {
                const double p = std::exp(j * std::log(rho) - scale);
                busy += p;
                waitSum += p * (j + 1) / (c * mu);
            }
            const double wait = busy / (free + busy);
            const double meanWait = waitSum / (free + busy);
            const auto response = engine::MmcResponse::at(c, 1 / mu, rho, timeout);
            EXPECT_NEAR(response.waitProbability, wait, 1e-3) << "rho = " << rho;
            EXPECT_NEAR(response.mean() - 1 / mu, meanWait, 1e-3 * meanWait + 1e-6) << "rho = " << rho;
        }
    }

    // A served request waits at most the queue's length: its p99 is at most queue_timeout plus the service's p99.
    TEST(MmcResponse, AServedRequestNeverWaitsLongerThanTheQueue)
    {
        for (double rho : { 0.999, 1.0, 1.2, 10.0, 1000.0 }) {
            for (double room : { 1.0, 0.2, 0.0 }) {
                const auto response = engine::MmcResponse::at(10, 0.001, rho, room);
                EXPECT_LE(response.quantile(0.99), room + 0.001 * std::log(100.0) + 1e-12) << rho << ' ' << room;
                EXPECT_LE(response.mean(), room + 0.001 + 1e-12);
            }
        }
        // A full queue leaves no room: the response is the service time alone, after the backlog.
        EXPECT_NEAR(engine::MmcResponse::at(10, 0.001, 3.0, 0.0).quantile(0.99), 0.001 * std::log(100.0), 1e-12);
    }

    // The table the engine reads per node agrees with the exact solution within its stated 0.05%.
    TEST(ResponseTable, InterpolationStaysWithinItsStatedError)
    {
        for (double c : { 1.0, 2.5, 10.0, 100.0 }) {
            engine::ResponseTable table(c, 0.001, 1.0);
            double worst = 0;
            for (int i = 0; i <= 3'000; ++i) {
                const double rho = i < 2'000 ? i * 0.0005 : 1 + (i - 2'500) * 1e-5;
                const auto exact = engine::MmcResponse::at(c, 0.001, rho, 1.0);
                const auto v = table.values(table.locate(rho));
                for (size_t q = 0; q < 4; ++q) {
                    const double e = exact.quantile(engine::ResponseTable::kQuantiles[q]);
                    worst = std::max(worst, std::fabs(v.quantiles[q] - e) / e);
                }
                worst = std::max(worst, std::fabs(v.mean - exact.mean()) / exact.mean());
            }
            EXPECT_LT(worst, 5e-4) << "c = " << c;
        }
    }

    TEST(LatencyMixture, SolvesTheMixedTail)
    {
        engine::LatencyMixture mixture;
        const auto a = engine::MmcResponse::at(10, 0.001, 0.3, 1e6);
        const auto b = engine::MmcResponse::at(10, 0.001, 0.9, 1e6);
        mixture.add(1, a, 0);
        mixture.add(3, b, 0.5); // half a second of backlog ahead of node b's requests
        const double ca = erlangC(erlangBRecurrence(10, 3), 0.3);
        const double cb = erlangC(erlangBRecurrence(10, 9), 0.9);
        for (double q : { 0.1, 0.5, 0.99 }) {
            const double t = mixture.quantile(q);
            const double tail = (mmcTail(10, 0.001, 0.3, ca, t) + 3 * (t > 0.5 ? mmcTail(10, 0.001, 0.9, cb, t - 0.5) : 1)) / 4;
            EXPECT_NEAR(tail, 1 - q, 1e-9) << "q = " << q;
        }
    }

    // ---- Whole runs ---------------------------------------------------------------------------------------------

    struct RecordingSink final : MetricsSink {
        std::vector<ClusterTick> cluster;
        std::vector<std::vector<NodeTick>> nodeTicks;
        void onTick(int64_t, const ClusterTick& tick, std::span<const NodeTick> ticks) override
        {
            cluster.push_back(tick);
            nodeTicks.emplace_back(ticks.begin(), ticks.end());
        }
    };

    struct Run {
        RunResult result;
        RecordingSink sink;
    };

    std::unique_ptr<Run> run(const std::string& node, const std::string& rate, const std::string& duration = "5s",
        int nodes = 1, const std::string& rule = "mod:n=1")
    {
        const std::string text = "name: latency\nduration: " + duration + "\ncluster: { nodes: " + std::to_string(nodes)
            + ", node: " + node + " }\ndata: { tables: [ { name: t, rows: 1000 } ] }\nsharding: { rule: \"" + rule
            + "\" }\nworkload: { rate: " + rate + " }\n";
        ScenarioLoad load = loadScenarioText(text, "latency.yaml", "");
        EXPECT_TRUE(load.ok()) << load.errorText() << "\n" << text;
        auto out = std::make_unique<Run>();
        if (!load.ok())
            return out;
        RunOptions options;
        options.engine = EngineMode::Expected;
        options.sinks.push_back(&out->sink);
        auto result = runSimulation(*load.config, options);
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
        if (result.ok())
            out->result = *result;
        return out;
    }

    // Offered = served + shed + queued on every node, and over the cluster with the failed requests.
    void expectEveryRequestAccounted(const RunResult& result)
    {
        for (const NodeSummary& node : result.nodes)
            EXPECT_NEAR(node.servedRequests + node.shedRequests + node.queuedRequests, node.requests,
                1e-9 * node.requests)
                << node.name;
        EXPECT_NEAR(result.servedRequests + result.shedRequests + result.queuedRequests + result.failedRequests,
            result.requests, 1e-9 * result.requests);
    }

    // max_qps 10K at 1 ms is ten servers; at 5K, 8K and 9.5K/s the p99 is M/M/10's.
    TEST(NodeLatency, TenServersGiveTheReferencePercentiles)
    {
        const double reference[] = { 4.6, 4.9, 10.2 };
        const char* rates[] = { "5K/s", "8K/s", "9.5K/s" };
        const double rhos[] = { 0.5, 0.8, 0.95 };
        for (int i = 0; i < 3; ++i) {
            SCOPED_TRACE(rates[i]);
            const auto r = run("{ max_qps: 10K, base_latency: 1ms }", rates[i]);
            const RunResult& result = r->result;
            EXPECT_EQ(result.service.servers, 10);
            EXPECT_FALSE(result.service.serversGiven);
            EXPECT_EQ(result.service.serviceTimeS, 0.001);
            EXPECT_EQ(result.service.queueTimeoutS, 1);
            const NodeTick& node = r->sink.nodeTicks[2][0];
            EXPECT_NEAR(node.utilization, rhos[i], 1e-12);
            EXPECT_NEAR(node.p99LatencyMs, reference[i], 0.05);
            const double c = erlangC(erlangBRecurrence(10, 10 * rhos[i]), rhos[i]);
            const double quantiles[] = { 0.5, 0.95, 0.99, 0.999 };
            const double values[] = { node.p50LatencyMs, node.p95LatencyMs, node.p99LatencyMs, node.p999LatencyMs };
            for (int q = 0; q < 4; ++q) {
                const double exact = 1000 * mmcQuantile(10, 0.001, rhos[i], c, quantiles[q]);
                EXPECT_NEAR(values[q], exact, 5e-4 * exact) << "q = " << quantiles[q];
            }
            // One node: the cluster's mixture, the node's worst tick and the whole run are that node's.
            EXPECT_NEAR(r->sink.cluster[2].p99LatencyMs, 1000 * mmcQuantile(10, 0.001, rhos[i], c, 0.99), 1e-6);
            EXPECT_NEAR(result.nodes[0].p99LatencyMs, node.p99LatencyMs, 1e-9);
            EXPECT_NEAR(result.latency.p99Ms, r->sink.cluster[2].p99LatencyMs, 1e-6);
            EXPECT_NEAR(result.latency.p50Ms, r->sink.cluster[2].p50LatencyMs, 1e-6);
            EXPECT_EQ(result.shedRequests, 0);
            EXPECT_EQ(result.queuedRequests, 0);
            EXPECT_NEAR(result.servedRequests, result.requests, 1e-9 * result.requests);
        }
    }

    // concurrency overrides max_qps x base_latency and may be fractional; durations take microseconds.
    TEST(NodeLatency, ConcurrencyFromTheScenario)
    {
        const auto r = run("{ max_qps: 10K, base_latency: 250\u00b5s, concurrency: 2.5, queue_timeout: 200ms }", "8K/s");
        const RunResult& result = r->result;
        EXPECT_EQ(result.service.servers, 2.5);
        EXPECT_TRUE(result.service.serversGiven);
        EXPECT_DOUBLE_EQ(result.service.serviceTimeS, 250e-6);
        EXPECT_DOUBLE_EQ(result.service.queueTimeoutS, 0.2);
        const double c = erlangC(erlangBIntegral(2.5, 2.5 * 0.8), 0.8);
        const double exact = 1000 * mmcQuantile(2.5, 250e-6, 0.8, c, 0.99);
        EXPECT_NEAR(r->sink.nodeTicks[1][0].p99LatencyMs, exact, 5e-4 * exact);
        // 2.5 servers of 250us serve 10K/s, as max_qps says: nothing to warn about.
        EXPECT_TRUE(result.warnings.empty());
        const auto slower = run("{ max_qps: 10K, base_latency: 1ms, concurrency: 4 }", "1K/s");
        ASSERT_EQ(slower->result.warnings.size(), 1u);
        EXPECT_EQ(slower->result.warnings[0],
            "cluster.node.concurrency 4 at base_latency 1ms would serve 4K/s, but max_qps is 10K/s: the node "
            "saturates at max_qps, and its latency is that of 4 servers at the same utilisation");

        const auto micro = run("{ base_latency: 1us }", "1K/s");
        EXPECT_DOUBLE_EQ(micro->result.service.serviceTimeS, 1e-6);
        EXPECT_EQ(micro->result.service.servers, 1); // 10K/s x 1us is 0.01 server: at least one
    }

    // Exactly at capacity nothing queues in the fluid sense, and the bounded queue's stationary wait is spread over
    // [0, queue_timeout]: the p99 is below 1 s plus the service's p99, not 4.61 s.
    TEST(NodeLatency, SaturatedNodeStaysWithinItsQueue)
    {
        const auto r = run("{ max_qps: 10K, base_latency: 1ms }", "10K/s");
        const RunResult& result = r->result;
        const double bound = 1000 + std::log(100.0);
        for (const auto& ticks : r->sink.nodeTicks) {
            EXPECT_NEAR(ticks[0].utilization, 1.0, 1e-12);
            EXPECT_LE(ticks[0].p99LatencyMs, bound);
            EXPECT_GT(ticks[0].p99LatencyMs, 900);
            EXPECT_EQ(ticks[0].queued, 0);
            EXPECT_EQ(ticks[0].shedQps, 0);
            EXPECT_NEAR(ticks[0].servedQps, 10'000, 1e-9);
        }
        EXPECT_LE(result.nodes[0].p99LatencyMs, bound);
        EXPECT_LE(result.latency.p99Ms, bound);
        EXPECT_EQ(result.shedRequests, 0);
        expectEveryRequestAccounted(result);
    }

    // 15K/s on a node that serves 10K/s with a queue of 1 s (10K requests): the backlog grows 5K a tick, is full
    // after two ticks, and from then on 5K a tick are shed. A served request then waits the full queue, 1 s, and
    // is served: p99 = 1 s + S ln 100, the bound itself.
    TEST(NodeLatency, OverloadQueuesThenShedsWithinTheQueuesBound)
    {
        const auto r = run("{ max_qps: 10K, base_latency: 1ms }", "15K/s", "10s");
        const RunResult& result = r->result;
        EXPECT_NEAR(result.requests, 150'000, 1e-6);
        EXPECT_NEAR(result.shedRequests, 8 * 5'000, 1e-6);
        EXPECT_NEAR(result.queuedRequests, 10'000, 1e-6);
        EXPECT_NEAR(result.servedRequests, 100'000, 1e-6);
        EXPECT_NEAR(result.nodes[0].servedRequests, 100'000, 1e-6);
        EXPECT_NEAR(result.nodes[0].queuedRequests, 10'000, 1e-6);
        expectEveryRequestAccounted(result);
        const auto& ticks = r->sink.nodeTicks;
        EXPECT_NEAR(ticks[0][0].shedQps, 0, 1e-9);
        EXPECT_NEAR(ticks[0][0].queued, 5'000, 1e-9);
        EXPECT_NEAR(ticks[2][0].shedQps, 5'000, 1e-6);
        EXPECT_NEAR(ticks[5][0].qps, 15'000, 1e-6);
        EXPECT_NEAR(ticks[5][0].servedQps, 10'000, 1e-6);
        EXPECT_NEAR(ticks[5][0].queued, 10'000, 1e-6);
        EXPECT_NEAR(ticks[5][0].utilization, 1.5, 1e-12); // offered load, above 1
        EXPECT_NEAR(ticks[5][0].p99LatencyMs, 1000 + std::log(100.0), 1e-6);
        EXPECT_NEAR(ticks[5][0].meanLatencyMs, 1001, 1e-6);
        EXPECT_NEAR(r->sink.cluster[5].servedQps, 10'000, 1e-6);
        EXPECT_NEAR(r->sink.cluster[5].shedQps, 5'000, 1e-6);
        EXPECT_NEAR(r->sink.cluster[5].queued, 10'000, 1e-6);
        EXPECT_NEAR(result.nodes[0].p99LatencyMs, 1000 + std::log(100.0), 1e-6);
        for (const auto& tick : ticks)
            EXPECT_LE(tick[0].p99LatencyMs, 1000 + std::log(100.0) + 1e-9);
        EXPECT_LE(result.latency.p999Ms, 1000 + std::log(1000.0) + 1e-6);
    }

    // Ten times the capacity with a 200 ms queue: 2K requests fit, the rest is shed from the first tick on.
    TEST(NodeLatency, HeavyOverloadWithAShortQueue)
    {
        const auto r = run("{ max_qps: 10K, base_latency: 1ms, queue_timeout: 200ms }", "100K/s", "10s");
        const RunResult& result = r->result;
        EXPECT_NEAR(result.queuedRequests, 2'000, 1e-6);
        EXPECT_NEAR(result.servedRequests, 100'000, 1e-6);
        EXPECT_NEAR(result.shedRequests, 1'000'000 - 100'000 - 2'000, 1e-6);
        expectEveryRequestAccounted(result);
        for (const auto& tick : r->sink.nodeTicks)
            EXPECT_NEAR(tick[0].p99LatencyMs, 200 + std::log(100.0), 1e-6);
        EXPECT_NEAR(result.nodes[0].p99LatencyMs, 200 + std::log(100.0), 1e-6);
        EXPECT_NEAR(result.latency.p99Ms, 200 + std::log(100.0), 1e-6);
    }

    // Two nodes at rho 0.3 and 0.7 (keys 1..300 and 301..1000 of a uniform law): the cluster's percentiles are where
    // 0.3 P(T_0.3 > t) + 0.7 P(T_0.7 > t) falls to 1 - q.
    TEST(NodeLatency, ClusterPercentilesMixTheNodes)
    {
        const auto r = run("{ max_qps: 10K, base_latency: 1ms }", "10K/s", "2s", 2, "range:bounds=301");
        const ClusterTick& tick = r->sink.cluster[0];
        const double c3 = erlangC(erlangBRecurrence(10, 3), 0.3);
        const double c7 = erlangC(erlangBRecurrence(10, 7), 0.7);
        const double quantiles[] = { 0.5, 0.95, 0.99, 0.999 };
        const double values[] = { tick.p50LatencyMs, tick.p95LatencyMs, tick.p99LatencyMs, tick.p999LatencyMs };
        const auto tail = [&](double t) {
            return 0.3 * mmcTail(10, 0.001, 0.3, c3, t) + 0.7 * mmcTail(10, 0.001, 0.7, c7, t);
        };
        for (int q = 0; q < 4; ++q) {
            const double reference = 1000 * invert(tail, quantiles[q]);
            // Erlang B is interpolated within the table's cell: 10^-5 is far below the pooling's stated 0.1%.
            EXPECT_NEAR(values[q], reference, 1e-5 * reference) << "q = " << quantiles[q];
        }
        EXPECT_NEAR(tick.maxUtilization, 0.7, 1e-12);
        EXPECT_NEAR(tick.meanUtilization, 0.5, 1e-12);
        EXPECT_NEAR(tick.servedQps, 10'000, 1e-9);
    }

    // Four nodes under a daily cycle: each node's summary is its worst tick, and the run's percentiles are those of
    // the mixture of every tick's nodes weighted by the requests they served.
    TEST(NodeLatency, RunPercentilesMixEveryTickByServedRequests)
    {
        const auto r = run("{ max_qps: 10K, base_latency: 1ms }", "{ shape: diurnal, base: 12K/s, peak: 2.5x }",
            "1d\ntick: 20m", 4, "range:bounds=301|501|801");
        const RunResult& result = r->result;
        ASSERT_EQ(r->sink.nodeTicks.size(), 72u);
        for (size_t n = 0; n < 4; ++n) {
            const NodeTick* worst = nullptr;
            for (const auto& ticks : r->sink.nodeTicks)
                if (!worst || ticks[n].p99LatencyMs > worst->p99LatencyMs)
                    worst = &ticks[n];
            EXPECT_NEAR(result.nodes[n].p50LatencyMs, worst->p50LatencyMs, 1e-9);
            EXPECT_NEAR(result.nodes[n].p95LatencyMs, worst->p95LatencyMs, 1e-9);
            EXPECT_NEAR(result.nodes[n].p99LatencyMs, worst->p99LatencyMs, 1e-9);
            EXPECT_NEAR(result.nodes[n].p999LatencyMs, worst->p999LatencyMs, 1e-9);
        }
        // The reference mixture from the recorded ticks, term by term (no pooling).
        struct Term {
            double weight;
            double rho;
            double c;
        };
        std::vector<Term> terms;
        double total = 0;
        for (const auto& ticks : r->sink.nodeTicks) {
            for (const NodeTick& node : ticks) {
                ASSERT_LT(node.utilization, 0.95);
                const double c = erlangC(erlangBRecurrence(10, 10 * node.utilization), node.utilization);
                terms.push_back({ node.servedQps, node.utilization, c });
                total += node.servedQps;
            }
        }
        const auto tail = [&](double t) {
            double sum = 0;
            for (const Term& term : terms)
                sum += term.weight * mmcTail(10, 0.001, term.rho, term.c, t);
            return sum / total;
        };
        const double p50 = 1000 * invert(tail, 0.5);
        const double p99 = 1000 * invert(tail, 0.99);
        const double p999 = 1000 * invert(tail, 0.999);
        EXPECT_NEAR(result.latency.p50Ms, p50, 1e-3 * p50);
        EXPECT_NEAR(result.latency.p99Ms, p99, 1e-3 * p99);
        EXPECT_NEAR(result.latency.p999Ms, p999, 1e-3 * p999);
        double worstTick = 0;
        for (const ClusterTick& tick : r->sink.cluster)
            worstTick = std::max(worstTick, tick.p99LatencyMs);
        EXPECT_LT(result.latency.p99Ms, worstTick);
        expectEveryRequestAccounted(result);
    }

    // 4,320 ticks make cluster windows of three ticks: a window's percentiles are those of the requests it holds (the
    // mixture of its ticks' nodes by the requests each served), reported on its last tick; its other ticks carry the
    // window before's (the first window's: the window so far), never 0.
    TEST(NodeLatency, ClusterWindowPercentilesMixTheWindowsRequests)
    {
        const auto r = run("{ max_qps: 10K, base_latency: 1ms }", "{ shape: diurnal, base: 12K/s, peak: 2.5x }",
            "1d\ntick: 20s", 4, "range:bounds=301|501|801");
        const RunResult& result = r->result;
        ASSERT_EQ(result.clusterWindowTicks, 3);
        ASSERT_EQ(r->sink.cluster.size(), 4'320u);
        ASSERT_EQ(result.cluster.size(), 1'440u);
        for (size_t w = 0; w < result.cluster.size(); w += 37) {
            SCOPED_TRACE("window " + std::to_string(w));
            std::vector<std::array<double, 3>> terms; // weight, rho, Erlang C
            for (size_t t = 3 * w; t < 3 * w + 3; ++t) {
                for (const NodeTick& node : r->sink.nodeTicks[t]) {
                    ASSERT_LT(node.utilization, 0.95);
                    terms.push_back({ node.servedQps, node.utilization,
                        erlangC(erlangBRecurrence(10, 10 * node.utilization), node.utilization) });
                }
            }
            const auto tail = [&](double t) {
                double sum = 0;
                double total = 0;
                for (const auto& [weight, rho, c] : terms) {
                    sum += weight * mmcTail(10, 0.001, rho, c, t);
                    total += weight;
                }
                return sum / total;
            };
            const ClusterTick& window = result.cluster[w];
            const double p50 = 1000 * invert(tail, 0.5);
            const double p99 = 1000 * invert(tail, 0.99);
            EXPECT_NEAR(window.p50LatencyMs, p50, 1e-3 * p50);
            EXPECT_NEAR(window.p99LatencyMs, p99, 1e-3 * p99);
            EXPECT_EQ(r->sink.cluster[3 * w + 2].p99LatencyMs, window.p99LatencyMs);
            EXPECT_TRUE(r->sink.cluster[3 * w + 2].latencySolved);
            for (size_t t = 3 * w; t < 3 * w + 2; ++t) {
                EXPECT_FALSE(r->sink.cluster[t].latencySolved);
                if (w > 0) {
                    EXPECT_EQ(r->sink.cluster[t].p99LatencyMs, result.cluster[w - 1].p99LatencyMs);
                    EXPECT_EQ(r->sink.cluster[t].p999LatencyMs, result.cluster[w - 1].p999LatencyMs);
                } else {
                    EXPECT_GT(r->sink.cluster[t].p99LatencyMs, 0);
                }
            }
        }
    }

    // A run stopped inside a cluster window: its last window holds the ticks done, and its percentiles are theirs.
    TEST(NodeLatency, AStoppedRunsLastWindowHasTheLatencyOfItsTicks)
    {
        const std::string text = "name: latency\nduration: 1d\ntick: 20s\ncluster: { nodes: 4, node: { max_qps: 10K, "
                                 "base_latency: 1ms } }\ndata: { tables: [ { name: t, rows: 1000 } ] }\nsharding: { "
                                 "rule: \"range:bounds=301|501|801\" }\nworkload: { rate: 12K/s }\n";
        ScenarioLoad load = loadScenarioText(text, "latency.yaml", "");
        ASSERT_TRUE(load.ok()) << load.errorText();
        RecordingSink sink;
        RunOptions options;
        options.engine = EngineMode::Expected;
        options.sinks.push_back(&sink);
        auto simulation = Simulation::create(*load.config, options);
        ASSERT_TRUE(simulation.ok());
        for (int t = 0; t < 3'001; ++t)
            ASSERT_TRUE(simulation->step());
        const RunResult result = simulation->finish();
        EXPECT_TRUE(result.cancelled);
        ASSERT_EQ(result.clusterWindowTicks, 3);
        ASSERT_EQ(result.cluster.size(), 1'001u);
        EXPECT_FALSE(sink.cluster.back().latencySolved); // tick 3,000 did not close its window: it carried 999's
        EXPECT_EQ(sink.cluster.back().p99LatencyMs, result.cluster[999].p99LatencyMs);
        // A constant rate: every full window, and the stopped one, has the same mixture.
        EXPECT_GT(result.cluster.back().p99LatencyMs, 0);
        EXPECT_NEAR(result.cluster.back().p99LatencyMs, result.cluster[999].p99LatencyMs, 1e-9);
        EXPECT_NEAR(result.cluster.back().p50LatencyMs, result.cluster[999].p50LatencyMs, 1e-9);
    }

} // namespace
} // namespace shardsim
