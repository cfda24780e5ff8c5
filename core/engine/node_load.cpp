#include "engine/node_load.h"

#include <algorithm>
#include <cmath>

#include "engine/lane_sum.h"

namespace shardsim::engine {

namespace {

    const double kLn100 = std::log(100.0);

} // namespace

NodeLoad::NodeLoad(int nodes, const NodeSpec& spec)
    : m_maxQps(spec.maxQps)
    , m_service(spec.baseLatency)
    , m_maxRho(1 - spec.baseLatency / (spec.baseLatency + kQueueSeconds))
{
    const auto count = static_cast<size_t>(nodes);
    for (std::vector<double>* array : { &m_backlog, &m_background, &m_requests, &m_shed, &m_peakQps, &m_peakUtilization, &m_worstP99,
             &m_rho, &m_mean, &m_rate, &m_dropped, &m_delay, &m_served })
        array->assign(count, 0.0);
}

void NodeLoad::evaluate(
    std::span<const double> offered, double refused, double dt, std::span<NodeTick> ticks, ClusterTick& cluster)
{
    // A tick of 1,024 nodes must cost about a microsecond: branch-free loops over arrays that the compiler
    // vectorises, and the queues only when some node has one.
    const size_t nodes = m_backlog.size();
    const double capacity = m_maxQps * dt; // requests a node serves in the tick
    const double perCapacity = 1 / capacity;
    const double perSecond = 1 / dt;
    const double perService = 1 / m_service;
    const double maxRho = m_maxRho;
    const double service = m_service;
    const double* __restrict in = offered.data();
    double* __restrict rhos = m_rho.data();
    double* __restrict means = m_mean.data();
    double* __restrict rates = m_rate.data();
    const double* __restrict background = m_background.data();
    for (size_t n = 0; n < nodes; ++n) {
        const double rho = (in[n] + background[n]) * perCapacity;
        const double idle = 1 - (rho < maxRho ? rho : maxRho); // 1 - rho, capped
        rhos[n] = rho;
        means[n] = service / idle;
        rates[n] = idle * perService;
    }
    const double busiest = laneMax(m_rho);
    double shed = 0;
    if (busiest > 1 || m_backlogged)
        shed = updateQueues(offered, capacity);
    double* __restrict requests = m_requests.data();
    double* __restrict peakQps = m_peakQps.data();
    double* __restrict peakUtilization = m_peakUtilization.data();
    double* __restrict worstP99 = m_worstP99.data();
    const double* __restrict delays = m_delay.data();
    for (size_t n = 0; n < nodes; ++n) {
        const double p99 = means[n] * kLn100 + delays[n];
        requests[n] += in[n];
        peakQps[n] = std::max(peakQps[n], in[n] * perSecond);
        peakUtilization[n] = std::max(peakUtilization[n], rhos[n]);
        worstP99[n] = std::max(worstP99[n], p99);
    }
    for (size_t n = 0; n < ticks.size(); ++n) {
        NodeTick& tick = ticks[n];
        tick.qps = in[n] * perSecond;
        tick.utilization = rhos[n];
        tick.meanLatencyMs = 1000 * (means[n] + delays[n]);
        tick.p99LatencyMs = 1000 * (means[n] * kLn100 + delays[n]);
        tick.shedQps = m_dropped[n] * perSecond;
    }
    const double total = laneSum(offered);
    cluster.qps = (total + refused) * perSecond;
    cluster.shedQps = shed * perSecond;
    cluster.maxUtilization = busiest;
    cluster.meanUtilization = nodes > 0 ? total * perCapacity / static_cast<double>(nodes) : 0;
    m_mixture.setNodes(
        m_backlogged || shed > 0 ? std::span<const double>(m_served) : offered, m_rate, m_delay, !m_backlogged);
    m_lastP50 = m_mixture.quantile(0.5, m_lastP50);
    m_lastP99 = m_mixture.quantile(0.99, m_lastP99);
    cluster.p50LatencyMs = 1000 * m_lastP50;
    cluster.p99LatencyMs = 1000 * m_lastP99;
}

void NodeLoad::setBackground(std::span<const double> work)
{
    for (size_t n = 0; n < m_background.size(); ++n)
        m_background[n] = n < work.size() ? work[n] : 0.0;
}

double NodeLoad::updateQueues(std::span<const double> offered, double capacity)
{
    const double queueLimit = m_maxQps * kQueueSeconds;
    double shed = 0;
    bool backlogged = false;
    for (size_t n = 0; n < m_backlog.size(); ++n) {
        m_dropped[n] = 0;
        m_delay[n] = 0;
        if (m_backlog[n] > 0 || m_rho[n] > 1) {
            double waiting = m_backlog[n] + offered[n] - capacity;
            if (waiting > queueLimit) {
                m_dropped[n] = waiting - queueLimit;
                waiting = queueLimit;
            }
            m_backlog[n] = std::max(0.0, waiting);
            m_delay[n] = m_backlog[n] / m_maxQps;
            backlogged = backlogged || m_backlog[n] > 0;
            shed += m_dropped[n];
            m_shed[n] += m_dropped[n];
        }
        m_served[n] = offered[n] - m_dropped[n];
    }
    // A queue that emptied leaves zero delays and drops behind, so the next ticks may skip this pass.
    m_backlogged = backlogged;
    return shed;
}

std::vector<NodeStats> NodeLoad::stats() const
{
    std::vector<NodeStats> out(m_backlog.size());
    for (size_t n = 0; n < out.size(); ++n)
        out[n] = { m_requests[n], m_shed[n], m_peakQps[n], m_peakUtilization[n], m_worstP99[n] };
    return out;
}

double NodeLoad::queued() const
{
    double sum = 0;
    for (double backlog : m_backlog)
        sum += backlog;
    return sum;
}

} // namespace shardsim::engine
