#include "engine/node_load.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "engine/lane_sum.h"

namespace shardsim::engine {

namespace {

    constexpr auto& kQuantiles = ResponseTable::kQuantiles;
    constexpr size_t kP99 = 2; // index of the p99 in kQuantiles

    std::array<double, 4> inMilliseconds(const std::array<double, 4>& seconds)
    {
        std::array<double, 4> out {};
        for (size_t q = 0; q < out.size(); ++q)
            out[q] = 1000 * seconds[q];
        return out;
    }

    void setLatency(NodeTick& tick, double mean, const std::array<double, 4>& quantiles)
    {
        const auto ms = inMilliseconds(quantiles);
        tick.meanLatencyMs = 1000 * mean;
        tick.p50LatencyMs = ms[0];
        tick.p95LatencyMs = ms[1];
        tick.p99LatencyMs = ms[2];
        tick.p999LatencyMs = ms[3];
    }

    // The table's values at a node's position, interpolated straight into its tick (every node, every tick of a run
    // with per-node output).
    void setLatency(NodeTick& tick, ResponseTable& table, ResponseTable::Position at)
    {
        const ResponseTable::Values& low = table.pointAt(at.cell);
        const ResponseTable::Values& high = at.frac == 0 ? low : table.pointAt(at.cell + 1);
        const double frac = at.frac;
        tick.meanLatencyMs = 1000 * (low.mean + frac * (high.mean - low.mean));
        tick.p50LatencyMs = 1000 * (low.quantiles[0] + frac * (high.quantiles[0] - low.quantiles[0]));
        tick.p95LatencyMs = 1000 * (low.quantiles[1] + frac * (high.quantiles[1] - low.quantiles[1]));
        tick.p99LatencyMs = 1000 * (low.quantiles[2] + frac * (high.quantiles[2] - low.quantiles[2]));
        tick.p999LatencyMs = 1000 * (low.quantiles[3] + frac * (high.quantiles[3] - low.quantiles[3]));
    }

} // namespace

ServiceModel serviceModelOf(const NodeSpec& spec)
{
    ServiceModel model;
    model.serversGiven = spec.concurrency.has_value();
    model.servers = model.serversGiven ? *spec.concurrency : std::max(1.0, spec.maxQps * spec.baseLatency);
    model.serviceTimeS = spec.baseLatency;
    model.queueTimeoutS = spec.queueTimeout;
    return model;
}

NodeLoad::NodeLoad(int nodes, const NodeSpec& spec)
    : m_model(serviceModelOf(spec))
    , m_maxQps(spec.maxQps)
    , m_table(m_model.servers, m_model.serviceTimeS, m_model.queueTimeoutS)
    , m_windowPool(m_table.points())
    , m_runPool(m_table.points())
{
    const auto count = static_cast<size_t>(nodes);
    for (std::vector<double>* array : { &m_backlog, &m_background, &m_requests, &m_servedTotal, &m_shed, &m_peakQps,
             &m_peakUtilization, &m_rho, &m_dropped, &m_delay, &m_served })
        array->assign(count, 0.0);
    m_calmRho.assign(count, -1.0);
    m_worstDelayed.assign(count, {});
    m_lastDelayed.assign(count, {});
    m_queueing.assign(count, 0);
    m_cellLow.assign(count, 1.0); // empty: the first tick locates every node
    m_cellHigh.assign(count, 0.0);
    m_nodeCell.assign(count, 0);
    m_nodeWeight.assign(count, 0.0);
    m_nodeWeightedRho.assign(count, 0.0);
    const MmcResponse service = MmcResponse::at(m_model.servers, m_model.serviceTimeS, 0, 0, 0);
    for (size_t q = 0; q < kQuantiles.size(); ++q)
        m_serviceQuantiles[q] = service.quantile(kQuantiles[q]);
}

void NodeLoad::evaluate(
    std::span<const double> offered, double refused, double dt, std::span<NodeTick> ticks, ClusterTick& cluster)
{
    // A tick of 1,024 nodes must cost microseconds: loops over arrays, a table lookup per node, and the queues and
    // exact solutions only when some node has a queue.
    const size_t nodes = m_backlog.size();
    const double capacity = m_maxQps * dt; // requests a node serves in the tick
    const double perCapacity = 1 / capacity;
    const double perSecond = 1 / dt;
    const double* __restrict in = offered.data();
    double* __restrict rhos = m_rho.data();
    const double* __restrict background = m_background.data();
    for (size_t n = 0; n < nodes; ++n)
        rhos[n] = (in[n] + background[n]) * perCapacity;
    const double busiest = laneMax(m_rho);
    const bool queues = busiest > 1 || m_backlogged;
    const double shed = queues ? updateQueues(offered, capacity) : 0.0;
    const std::span<const double> servedNow = queues ? std::span<const double>(m_served) : offered;
    const double* __restrict served = servedNow.data();
    double* __restrict requests = m_requests.data();
    double* __restrict servedTotal = m_servedTotal.data();
    double* __restrict peakQps = m_peakQps.data();
    double* __restrict peakUtilization = m_peakUtilization.data();
    double* __restrict calmRho = m_calmRho.data();
    const double* __restrict delays = m_delay.data();
    const double* __restrict cellLow = m_cellLow.data();
    const double* __restrict cellHigh = m_cellHigh.data();
    double* __restrict nodeWeight = m_nodeWeight.data();
    double* __restrict nodeWeightedRho = m_nodeWeightedRho.data();
    // A node's served requests are summed while it stays in its table cell (the pool's sums are the same): first
    // the few nodes whose rho left their cell's bounds move their sums into the pool, then one pass of plain
    // arithmetic over the arrays (which the compiler vectorises) adds the tick to the run's and the cells' sums.
    for (size_t n = 0; n < nodes; ++n) {
        if (!(rhos[n] >= cellLow[n] && rhos[n] <= cellHigh[n]) && !(delays[n] > 0)) [[unlikely]]
            enterCell(n, rhos[n]);
    }
    for (size_t n = 0; n < nodes; ++n) {
        requests[n] += in[n];
        servedTotal[n] += served[n];
        peakQps[n] = std::max(peakQps[n], in[n] * perSecond);
        peakUtilization[n] = std::max(peakUtilization[n], rhos[n]);
        const bool delayed = delays[n] > 0;
        calmRho[n] = delayed ? calmRho[n] : std::max(calmRho[n], rhos[n]);
        const double weight = delayed ? 0.0 : served[n]; // a backlog's requests are pooled by their delay
        nodeWeight[n] += weight;
        nodeWeightedRho[n] += weight * rhos[n];
    }
    const bool windowed = m_nodeWindowTicks > 1 && !ticks.empty();
    if (windowed) {
        double* __restrict windowRho = m_windowCalmRho.data();
        for (size_t n = 0; n < nodes; ++n)
            windowRho[n] = delays[n] > 0 ? windowRho[n] : std::max(windowRho[n], rhos[n]);
    }
    if (queues) {
        for (uint32_t n : queueing())
            if (delays[n] > 0)
                evaluateDelayed(n, ticks);
    }
    const bool closesNodeWindow
        = (m_evaluated + 1) % m_nodeWindowTicks == 0 || m_evaluated + 1 == m_runTicks || m_closeNodeWindow;
    if (windowed && closesNodeWindow)
        solveNodeWindow(ticks);
    for (size_t n = 0; n < ticks.size(); ++n) {
        NodeTick& tick = ticks[n];
        if (!windowed && !(delays[n] > 0))
            setLatency(tick, m_table, m_table.locate(rhos[n]));
        tick.latencySolved = !windowed || closesNodeWindow;
        tick.qps = in[n] * perSecond;
        tick.servedQps = served[n] * perSecond;
        tick.shedQps = queues ? m_dropped[n] * perSecond : 0;
        tick.queued = queues ? m_backlog[n] : 0;
        tick.utilization = rhos[n];
    }
    m_closeNodeWindow = false;

    const double total = laneSum(offered);
    cluster.qps = (total + refused) * perSecond;
    cluster.servedQps = laneSum(servedNow) * perSecond;
    cluster.shedQps = shed * perSecond;
    cluster.queued = queues ? laneSum(m_backlog) : 0;
    cluster.maxUtilization = busiest;
    cluster.meanUtilization = nodes > 0 ? total * perCapacity / static_cast<double>(nodes) : 0;
    m_windowOpen = true;
    ++m_evaluated;
    if (m_evaluated % m_windowTicks == 0 || m_evaluated == m_runTicks) {
        solveWindow(cluster);
        return;
    }
    // Before the first window closes there is no window to carry: the window so far, at most a window's ticks once.
    if (!m_solvedOnce)
        solveOpenWindow();
    setClusterLatency(cluster, false);
}

void NodeLoad::setNodeWindow(int64_t ticks)
{
    m_nodeWindowTicks = std::max<int64_t>(1, ticks);
    m_windowCalmRho.assign(m_rho.size(), -1.0);
    m_windowDelayed.assign(m_rho.size(), {});
}

void NodeLoad::solveNodeWindow(std::span<NodeTick> ticks)
{
    for (size_t n = 0; n < ticks.size() && n < m_windowCalmRho.size(); ++n) {
        NodeTick& tick = ticks[n];
        std::array<double, 5> worst = m_windowDelayed[n];
        if (m_windowCalmRho[n] >= 0) {
            const ResponseTable::Values calm = m_table.values(m_table.locate(m_windowCalmRho[n]));
            worst[0] = std::max(worst[0], calm.mean);
            for (size_t q = 0; q < kQuantiles.size(); ++q)
                worst[q + 1] = std::max(worst[q + 1], calm.quantiles[q]);
        }
        setLatency(tick, worst[0], { worst[1], worst[2], worst[3], worst[4] });
        m_windowCalmRho[n] = -1;
        m_windowDelayed[n] = {};
    }
}

void NodeLoad::setClusterWindow(int64_t ticks, int64_t runTicks)
{
    m_windowTicks = std::max<int64_t>(1, ticks);
    m_runTicks = runTicks;
}

bool NodeLoad::closeWindow(ClusterTick& cluster)
{
    if (!m_windowOpen)
        return false;
    solveWindow(cluster);
    return true;
}

void NodeLoad::enterCell(size_t node, double rho)
{
    const uint32_t cell = m_table.locate(rho).cell;
    if (cell == m_nodeCell[node])
        return; // near the cell's ends, or a clamped end of the table
    flushNode(node);
    m_nodeCell[node] = cell;
    std::tie(m_cellLow[node], m_cellHigh[node]) = m_table.cellBounds(cell);
}

void NodeLoad::flushNode(size_t node)
{
    m_windowPool.addSums(m_nodeCell[node], m_nodeWeight[node], m_nodeWeightedRho[node]);
    m_nodeWeight[node] = 0;
    m_nodeWeightedRho[node] = 0;
}

void NodeLoad::solveOpenWindow()
{
    // One mixture over the window's requests: a window of many ticks costs one solution, not one per tick.
    for (size_t n = 0; n < m_nodeCell.size(); ++n)
        flushNode(n);
    m_windowPool.fill(m_mixture, m_table);
    for (size_t q = 0; q < kQuantiles.size(); ++q)
        m_last[q] = m_mixture.quantile(kQuantiles[q], m_last[q]);
    m_mixture.clear();
}

void NodeLoad::solveWindow(ClusterTick& cluster)
{
    solveOpenWindow();
    m_runPool.add(m_windowPool);
    m_windowPool.clear();
    m_windowOpen = false;
    m_solvedOnce = true;
    setClusterLatency(cluster, true);
}

void NodeLoad::setClusterLatency(ClusterTick& cluster, bool solved) const
{
    const auto ms = inMilliseconds(m_last);
    cluster.p50LatencyMs = ms[0];
    cluster.p95LatencyMs = ms[1];
    cluster.p99LatencyMs = ms[2];
    cluster.p999LatencyMs = ms[3];
    cluster.latencySolved = solved;
}

void NodeLoad::evaluateDelayed(size_t node, std::span<NodeTick> ticks)
{
    const double delay = m_delay[node];
    const double rho = m_rho[node];
    const uint32_t cell = m_table.locate(rho).cell;
    const double room = m_model.queueTimeoutS - delay;
    std::array<double, 4>& last = m_lastDelayed[node];
    MmcResponse response;
    if (room > 0) {
        response = m_table.response(rho, room);
        for (size_t q = 0; q < kQuantiles.size(); ++q)
            last[q] = delay + response.quantile(kQuantiles[q], last[q] - delay);
    } else {
        // A full queue (steady overload, the common case of a delayed node): no room to wait in, so the response
        // is d + Exp(mu), whatever rho is.
        response.mu = 1 / m_model.serviceTimeS;
        response.room = 0;
        for (size_t q = 0; q < kQuantiles.size(); ++q)
            last[q] = delay + m_serviceQuantiles[q];
    }
    if (last[kP99] > m_worstDelayed[node][kP99])
        m_worstDelayed[node] = last;
    if (m_windowTicks == 1) {
        m_mixture.add(m_served[node], response, delay);
        m_runPool.addDelayed(cell, m_served[node], rho, delay, m_model.queueTimeoutS);
    } else {
        m_windowPool.addDelayed(cell, m_served[node], rho, delay, m_model.queueTimeoutS);
    }
    if (ticks.empty())
        return;
    if (m_nodeWindowTicks == 1) {
        setLatency(ticks[node], delay + response.mean(), last);
        return;
    }
    std::array<double, 5>& worst = m_windowDelayed[node];
    worst[0] = std::max(worst[0], delay + response.mean());
    for (size_t q = 0; q < last.size(); ++q)
        worst[q + 1] = std::max(worst[q + 1], last[q]);
}

void NodeLoad::setBackground(std::span<const double> work)
{
    for (size_t n = 0; n < m_background.size(); ++n)
        m_background[n] = n < work.size() ? work[n] : 0.0;
}

double NodeLoad::updateQueues(std::span<const double> offered, double capacity)
{
    // Few nodes queue at a time: the others only need the defaults, so the queue step runs over a list of the nodes
    // with a backlog or an overload, not over every node.
    for (uint32_t n : queueing()) {
        m_dropped[n] = 0;
        m_delay[n] = 0;
    }
    std::copy(offered.begin(), offered.end(), m_served.begin());
    const double* __restrict backlogs = m_backlog.data();
    const double* __restrict rhos = m_rho.data();
    uint32_t* __restrict list = m_queueing.data();
    size_t count = 0;
    for (size_t n = 0; n < m_backlog.size(); ++n) {
        list[count] = static_cast<uint32_t>(n);
        count += static_cast<size_t>((backlogs[n] > 0) | (rhos[n] > 1)); // without a branch
    }
    m_queueCount = count;

    const double queueLimit = m_maxQps * m_model.queueTimeoutS;
    double shed = 0;
    bool backlogged = false;
    for (uint32_t n : queueing()) {
        // A migration's copy takes its share of the tick first: it is throttled, not queued.
        const double available = std::max(0.0, capacity - m_background[n]);
        double waiting = m_backlog[n] + offered[n] - available;
        if (waiting > queueLimit) {
            m_dropped[n] = waiting - queueLimit;
            waiting = queueLimit;
        }
        const double backlog = std::max(0.0, waiting);
        m_served[n] = m_backlog[n] + offered[n] - m_dropped[n] - backlog;
        m_backlog[n] = backlog;
        m_delay[n] = backlog / m_maxQps;
        backlogged = backlogged || backlog > 0;
        shed += m_dropped[n];
        m_shed[n] += m_dropped[n];
    }
    // A queue that emptied leaves zero delays and drops behind, so the next ticks may skip this pass.
    m_backlogged = backlogged;
    return shed;
}

std::vector<NodeStats> NodeLoad::stats()
{
    std::vector<NodeStats> out(m_backlog.size());
    for (size_t n = 0; n < out.size(); ++n) {
        NodeStats& node = out[n];
        node.requests = m_requests[n];
        node.served = m_servedTotal[n];
        node.shed = m_shed[n];
        node.queued = m_backlog[n];
        node.peakQps = m_peakQps[n];
        node.peakUtilization = m_peakUtilization[n];
        std::array<double, 4> calm {};
        if (m_calmRho[n] >= 0)
            calm = m_table.values(m_table.locate(m_calmRho[n])).quantiles;
        node.worst = m_worstDelayed[n][kP99] > calm[kP99] ? m_worstDelayed[n] : calm;
    }
    return out;
}

double NodeLoad::queued() const
{
    double sum = 0;
    for (double backlog : m_backlog)
        sum += backlog;
    return sum;
}

LatencySummary NodeLoad::runLatency()
{
    for (size_t n = 0; n < m_nodeCell.size(); ++n)
        flushNode(n); // a cancelled run's open window
    LatencyMixture run;
    m_runPool.fill(run, m_table);
    m_windowPool.fill(run, m_table);
    std::array<double, 4> seconds {};
    for (size_t q = 0; q < kQuantiles.size(); ++q)
        seconds[q] = run.quantile(kQuantiles[q], q > 0 ? seconds[q - 1] : 0);
    const auto ms = inMilliseconds(seconds);
    return { ms[0], ms[1], ms[2], ms[3] };
}

} // namespace shardsim::engine
