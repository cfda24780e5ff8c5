#include "views/overview_text.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

#include "charts/chart_style.h"
#include "models/node_table_model.h"
#include "shardsim/common/units.h"
#include "shardsim/engine/cluster_cost.h"
#include "shardsim/report/expectations.h"
#include "shardsim/report/range_story.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim::ui {

namespace {
    QString tr(const char* text, int n = -1) { return QCoreApplication::translate("Overview", text, nullptr, n); }
    QString percent(double fraction, int decimals = 0)
    {
        return QString::number(fraction * 100.0, 'f', decimals) + QLatin1Char('%');
    }
    QString html(const std::string& text) { return QString::fromStdString(text).toHtmlEscaped(); }
    QString count(double value) { return QString::fromStdString(units::formatCount(value)); }

    // Peak, busiest node and imbalance from the windows, while the run has no result yet.
    struct LiveFacts {
        double peakQps = 0;
        double peakTime = 0;
        double maxUtilization = 0;
        double maxOverMean = 1;
        int busiest = -1;
    };

    LiveFacts liveFacts(const RunSnapshot& snapshot)
    {
        LiveFacts facts;
        std::vector<double> totals;
        for (const auto& window : snapshot.windows) {
            if (window->clusterQpsMax > facts.peakQps) {
                facts.peakQps = window->clusterQpsMax;
                facts.peakTime = window->time;
            }
            facts.maxUtilization = std::max(facts.maxUtilization, window->maxUtilization);
            facts.maxOverMean = std::max(facts.maxOverMean, window->maxOverMean);
            totals.resize(std::max(totals.size(), window->qps.size()), 0.0);
            for (size_t i = 0; i < window->qps.size(); ++i)
                totals[i] += window->qps[i];
        }
        if (!totals.empty())
            facts.busiest = static_cast<int>(std::max_element(totals.begin(), totals.end()) - totals.begin());
        return facts;
    }

    QString figure(const QString& label, const QString& value, const QString& note, const QString& muted)
    {
        return QStringLiteral("<td style='padding:6px 18px 6px 0; vertical-align:top'>"
                              "<div style='color:%4'>%1</div><div style='font-size:x-large; font-weight:600'>%2</div>"
                              "<div style='color:%4'>%3</div></td>")
            .arg(label, value, note, muted);
    }

    // The tables at the end of the run: their size, their row's size and how many rows share a 16 KiB page
    // (what a vertical split changes), and their largest physical table against the row limit.
    QString tablesHtml(const RunResult& result, const QString& muted)
    {
        if (result.tables.empty())
            return {};
        QString out = QStringLiteral("<h3>%1</h3><table cellpadding='3'><tr style='color:%2'>").arg(tr("Tables"), muted);
        for (const QString& header : { tr("table"), tr("rows"), tr("row size"), tr("rows per 16 KiB page"),
                 tr("physical tables"), tr("largest") })
            out += QStringLiteral("<th align='left'>%1</th>").arg(header);
        out += QStringLiteral("</tr>");
        for (const TableSummary& table : result.tables) {
            QString largest = tr("%1 rows in %2").arg(count(table.maxRowsPerTable), html(table.largest));
            if (table.overLimit > 0)
                largest += QStringLiteral(" <span style='color:#d63a2f'>%1</span>")
                               .arg(tr("%1 over the limit").arg(table.overLimit));
            out += QStringLiteral("<tr><td><code>%1</code></td><td align='right'>%2</td><td align='right'>%3</td>"
                                  "<td align='right'>%4</td><td align='right'>%5</td><td>%6</td></tr>")
                       .arg(html(table.name), count(table.rows),
                           QString::fromStdString(units::formatSize(table.rowSize)), count(table.rowsPerPage))
                       .arg(table.physicalTables)
                       .arg(largest);
        }
        return out + QStringLiteral("</table>");
    }

    QString duration(double seconds) { return QString::fromStdString(units::formatDuration(seconds)); }

    // How a node serves, in words: the M/M/c model the latencies come from (docs/engine-model.md).
    QString serviceHtml(const ServiceModel& service, double nodeMaxQps)
    {
        const QString servers = service.servers == 1 ? tr("1 request") : tr("%1 requests").arg(count(service.servers));
        const QString source = service.serversGiven
            ? tr("<code>cluster.node.concurrency</code>")
            : tr("max_qps × base_latency = %1 × %2").arg(formatRate(nodeMaxQps), duration(service.serviceTimeS));
        return tr("Each node serves <b>%1 in parallel</b> (%2), each in %3 on average; its queue holds <b>%4</b> of "
                  "work and requests beyond it are shed. Latencies are M/M/c response times (waiting + service) of "
                  "the requests served.")
            .arg(servers, source, duration(service.serviceTimeS), duration(service.queueTimeoutS));
    }

    // Offered, served, shed and still queued over the run, then the served requests' latency percentiles.
    QString requestsHtml(const RunResult& result, const QString& muted)
    {
        const double offered = std::max(1.0, result.requests);
        const auto share = [offered](double part) { return tr("%1 of offered").arg(percent(part / offered, 2)); };
        QString out = QStringLiteral("<table><tr>");
        out += figure(tr("Offered"), count(result.requests), tr("requests over the run"), muted);
        out += figure(tr("Served"), count(result.servedRequests), share(result.servedRequests), muted);
        out += figure(tr("Shed"), count(result.shedRequests),
            result.shedRequests > 0 ? share(result.shedRequests) : tr("none shed"), muted);
        out += figure(tr("Queued at the end"), count(result.queuedRequests), tr("still waiting"), muted);
        if (result.failedRequests > 0)
            out += figure(tr("Failed"), count(result.failedRequests), tr("reached no node"), muted);
        out += QStringLiteral("</tr><tr>");
        const LatencySummary& latency = result.latency;
        const std::pair<const char*, double> percentiles[]
            = { { "p50", latency.p50Ms }, { "p95", latency.p95Ms }, { "p99", latency.p99Ms }, { "p99.9", latency.p999Ms } };
        for (const auto& [name, ms] : percentiles)
            out += figure(tr("Latency %1").arg(QString::fromLatin1(name)), formatLatencyMs(ms) + QStringLiteral(" ms"),
                tr("served requests, whole run"), muted);
        return out + QStringLiteral("</tr></table>");
    }

    QString balanceWords(double maxOverMean)
    {
        if (maxOverMean < 1.15)
            return tr("Load was spread evenly");
        if (maxOverMean < 1.6)
            return tr("Load was somewhat uneven");
        if (maxOverMean < 3)
            return tr("Load was uneven");
        return tr("Load was badly skewed");
    }
}

QString overviewHtml(
    const ScenarioConfig* scenario, const RunSnapshot* snapshot, const Diagnostics& problems, const QString& muted)
{
    QString out;
    if (!problems.empty()) {
        const auto count = static_cast<qint64>(problems.size());
        out += QStringLiteral("<h3 style='color:#d63a2f'>%1</h3><ul>")
                   .arg(scenario ? tr("The text has %1; the views show its last valid version.")
                                       .arg(countText(count, tr("problem"), tr("problems")))
                                 : (count == 1 ? tr("1 problem keeps this scenario from running:")
                                               : tr("%1 problems keep this scenario from running:").arg(count)));
        for (const Diagnostic& problem : problems) {
            QString place = problem.line > 0 ? tr("line %1").arg(problem.line) : QString();
            QString text = problem.path.empty()
                ? html(problem.message)
                : QStringLiteral("<code>%1</code>: %2").arg(html(problem.path), html(problem.message));
            out += QStringLiteral("<li><span style='color:%3'>%1</span> %2</li>").arg(place, text, muted);
        }
        out += QStringLiteral("</ul><p style='color:%1'>%2</p>")
                   .arg(muted, tr("Click a problem in the Problems list to jump to its line."));
        if (!scenario)
            return out;
    }
    if (scenario) {
        out += QStringLiteral("<h2 style='margin-bottom:2px'>%1</h2>").arg(html(scenario->name));
        if (!scenario->description.empty())
            out += QStringLiteral("<p style='color:%2; margin-top:0'>%1</p>").arg(html(scenario->description), muted);
    }
    if (!snapshot || (snapshot->ticksDone == 0 && !snapshot->result)) {
        if (snapshot && snapshot->phase == RunPhase::Failed)
            out += QStringLiteral("<p><b>%1</b> %2</p>").arg(tr("The run failed:"), snapshot->error.toHtmlEscaped());
        else if (scenario)
            out += QStringLiteral("<p>%1</p>")
                       .arg(tr("%1 nodes, %2 of simulated time in ticks of %3. Press <b>Run</b> (F5) to simulate it, "
                               "or <b>Step</b> (F10) to go one tick at a time.")
                                .arg(scenario->cluster.nodes)
                                .arg(QString::fromStdString(units::formatDuration(scenario->duration)),
                                    QString::fromStdString(units::formatDuration(scenario->tick))));
        return out;
    }

    const RunResult* result = snapshot->result.get();
    double peakQps = 0;
    double peakTime = 0;
    double maxOverMean = 1;
    double gini = 0;
    double maxUtilization = 0;
    int busiest = -1;
    const LiveFacts live = liveFacts(*snapshot);
    maxUtilization = live.maxUtilization;
    if (result) {
        peakQps = result->peak.qps;
        peakTime = result->peak.time;
        maxOverMean = result->imbalance.maxOverMean;
        gini = result->imbalance.gini;
        for (size_t i = 0; i < result->nodes.size(); ++i)
            if (busiest < 0 || result->nodes[i].requests > result->nodes[size_t(busiest)].requests)
                busiest = static_cast<int>(i);
    } else {
        peakQps = live.peakQps;
        peakTime = live.peakTime;
        maxOverMean = live.maxOverMean;
        busiest = live.busiest;
    }

    // The status line: where the run is.
    const double simulated = static_cast<double>(snapshot->ticksDone) * snapshot->tickSeconds;
    QString status;
    switch (snapshot->phase) {
    case RunPhase::Finished:
        status = tr("Simulated %1 in %2 of wall time.")
                     .arg(snapshot->clock.onClock() ? tr("%1, %2 to %3")
                                                          .arg(formatTime(simulated), formatMoment(snapshot->clock, 0),
                                                              formatMoment(snapshot->clock, simulated))
                                                    : formatTime(simulated),
                         QString::number(snapshot->elapsedSeconds, 'f', 1) + QStringLiteral(" s"));
        break;
    case RunPhase::Cancelled:
        status = tr("Stopped after %1 of %2: the numbers cover the simulated part only.")
                     .arg(formatTime(simulated),
                         formatTime(static_cast<double>(snapshot->tickCount) * snapshot->tickSeconds));
        break;
    default:
        status = tr("%1 so far (%2 of %3), numbers still moving.")
                     .arg(runPhaseName(snapshot->phase).toUpper().left(1) + runPhaseName(snapshot->phase).mid(1),
                         formatTime(simulated),
                         formatTime(static_cast<double>(snapshot->tickCount) * snapshot->tickSeconds));
        break;
    }
    out += QStringLiteral("<p style='color:%2'>%1</p>").arg(status.toHtmlEscaped(), muted);

    // The headline in words: the peak against the nodes the cluster had at that moment, not those added later.
    const int nodesThen = scenario ? nodesPresentAt(*scenario, peakTime) : snapshot->nodeCount();
    const double capacity = snapshot->nodeMaxQps * std::max(1, nodesThen);
    QStringList sentences;
    sentences << tr("The cluster was offered at most <b>%1</b>, at %2: %3 of what its %4 nodes together can serve.")
                     .arg(formatRate(peakQps), formatMoment(snapshot->clock, peakTime),
                         capacity > 0 ? percent(peakQps / capacity) : QStringLiteral("–"))
                     .arg(nodesThen);
    if (busiest >= 0 && busiest < snapshot->nodeCount()) {
        const QString name = QString::fromStdString(snapshot->nodes[size_t(busiest)].name).toHtmlEscaped();
        sentences << tr("%1: the busiest node, <b>%2</b>, carried %3× the load of the average node.")
                         .arg(balanceWords(maxOverMean), name, QString::number(maxOverMean, 'f', 2));
    }
    if (maxUtilization > 1.0)
        sentences << tr("At its worst moment a node was offered <b>%1</b> of its capacity (offered load): it was "
                        "overloaded, served at most its max_qps and queued or shed the rest.")
                         .arg(percent(maxUtilization));
    else
        sentences << tr("The busiest node was never offered more than <b>%1</b> of its capacity.")
                         .arg(percent(maxUtilization));
    // The reason, when nodes were overloaded: the cluster as a whole, or one node while the others had room.
    if (maxUtilization > 1.0 && capacity > 0 && peakQps > capacity)
        sentences << tr("The limit was <b>total capacity</b>: more was offered than all %1 nodes together serve, so "
                        "no placement of the same nodes would have coped.")
                         .arg(nodesThen);
    else if (maxUtilization > 1.0)
        sentences << tr("The limit was <b>one node</b>: the cluster as a whole had room, but a hot shard or key put "
                        "more on the busiest node than it serves.");
    out += QStringLiteral("<p style='font-size:large'>%1</p>").arg(sentences.join(QLatin1Char(' ')));
    out += rangesHtml(result); // what the balancer did explains the load above: right under it

    if (result) {
        // Key figures.
        const NodeSummary* hottestNode = busiest >= 0 ? &result->nodes[size_t(busiest)] : nullptr;
        const ShardSummary* hottestShard = nullptr;
        for (const ShardSummary& shard : result->shards)
            if (!hottestShard || shard.requests > hottestShard->requests)
                hottestShard = &shard;
        out += QStringLiteral("<table><tr>");
        out += figure(tr("Peak offered"), formatRate(result->peak.qps),
            tr("at %1").arg(formatMoment(snapshot->clock, result->peak.time)), muted);
        out += figure(tr("Imbalance"), QString::number(result->imbalance.maxOverMean, 'f', 2) + QStringLiteral("×"),
            tr("max/mean · Gini %1").arg(QString::number(gini, 'f', 2)), muted);
        if (hottestNode)
            out += figure(tr("Hottest node"), html(hottestNode->name),
                tr("%1 of requests").arg(percent(hottestNode->share, 1)), muted);
        if (hottestShard)
            out += figure(tr("Hottest shard"), html(hottestShard->name),
                tr("%1 of requests").arg(percent(hottestShard->share, 1)), muted);
        out += QStringLiteral("</tr></table>");
        out += requestsHtml(*result, muted);
        out += QStringLiteral("<p>%1</p>").arg(serviceHtml(result->service, snapshot->nodeMaxQps));

        // Expectations.
        if (!result->expectations.empty()) {
            const auto held = std::count_if(result->expectations.begin(), result->expectations.end(),
                [](const ExpectationResult& e) { return e.ok; });
            const auto total = static_cast<int>(result->expectations.size());
            out += QStringLiteral("<h3>%1</h3><ul>")
                       .arg(held == total
                               ? (total == 1 ? tr("The expectation held") : tr("All %1 expectations held").arg(total))
                               : tr("%1 of %2 failed")
                                     .arg(total - held)
                                     .arg(countText(total, tr("expectation"), tr("expectations"))));
            for (const ExpectationResult& e : result->expectations) {
                const QString mark = e.ok ? QStringLiteral("<span style='color:#2a9d4b'>✔</span>")
                                          : QStringLiteral("<span style='color:#d63a2f'>✘</span>");
                QString line = QStringLiteral("%1 <code>%2 %3</code> — %4 %5")
                                   .arg(mark, html(e.metric), html(e.bound), tr("was"),
                                       html(formatMetricValue(e.metric, e.value)));
                if (e.at)
                    line += QLatin1Char(' ') + tr("at %1").arg(formatMoment(snapshot->clock, *e.at));
                if (!e.origin.empty())
                    line += QStringLiteral(" <span style='color:%2'>(%1)</span>").arg(html(e.origin), muted);
                else if (e.line > 0)
                    line += QStringLiteral(" <span style='color:%2'>(line %1)</span>").arg(e.line).arg(muted);
                out += QStringLiteral("<li>%1</li>").arg(line);
            }
            out += QStringLiteral("</ul>");
        } else {
            out += QStringLiteral("<p style='color:%2'>%1</p>")
                       .arg(tr("The scenario has no <code>expect:</code> block, so nothing was checked."), muted);
        }
        out += tablesHtml(*result, muted);
        if (!result->warnings.empty()) {
            out += QStringLiteral("<h3>%1</h3><ul>").arg(tr("Model limits that affected this run"));
            for (const std::string& warning : result->warnings)
                out += QStringLiteral("<li>%1</li>").arg(html(warning));
            out += QStringLiteral("</ul>");
        }
    }
    if (!snapshot->error.isEmpty())
        out += QStringLiteral("<p style='color:%2'>%1</p>").arg(snapshot->error.toHtmlEscaped(), muted);
    return out;
}

QString rangesHtml(const RunResult* result)
{
    const std::vector<std::string> lines = result ? rangeStory(*result) : std::vector<std::string>();
    if (lines.empty())
        return {};
    QString out = QStringLiteral("<h3>%1</h3><ul style='margin-top:0'>").arg(tr("Ranges"));
    for (const std::string& line : lines)
        out += QStringLiteral("<li>%1</li>").arg(QString::fromStdString(line).toHtmlEscaped());
    return out + QStringLiteral("</ul>");
}

QString overviewCsv(const RunSnapshot* snapshot)
{
    if (!snapshot || !snapshot->result)
        return {};
    const RunResult& r = *snapshot->result;
    QString csv = QStringLiteral("metric,value\n");
    auto row = [&csv](const QString& metric, double value) {
        csv += metric + QLatin1Char(',') + QString::number(value, 'g', 10) + QLatin1Char('\n');
    };
    row(QStringLiteral("ticks"), static_cast<double>(r.ticks));
    row(QStringLiteral("tick_seconds"), r.tickSeconds);
    row(QStringLiteral("requests"), r.requests);
    row(QStringLiteral("served_requests"), r.servedRequests);
    row(QStringLiteral("shed_requests"), r.shedRequests);
    row(QStringLiteral("queued_requests"), r.queuedRequests);
    row(QStringLiteral("failed_requests"), r.failedRequests);
    row(QStringLiteral("latency.p50_ms"), r.latency.p50Ms);
    row(QStringLiteral("latency.p95_ms"), r.latency.p95Ms);
    row(QStringLiteral("latency.p99_ms"), r.latency.p99Ms);
    row(QStringLiteral("latency.p999_ms"), r.latency.p999Ms);
    row(QStringLiteral("service.servers"), r.service.servers);
    row(QStringLiteral("service.service_time_s"), r.service.serviceTimeS);
    row(QStringLiteral("service.queue_timeout_s"), r.service.queueTimeoutS);
    row(QStringLiteral("peak.qps"), r.peak.qps);
    row(QStringLiteral("peak.time_s"), r.peak.time);
    row(QStringLiteral("imbalance.max_over_mean"), r.imbalance.maxOverMean);
    row(QStringLiteral("imbalance.cv"), r.imbalance.cv);
    row(QStringLiteral("imbalance.gini"), r.imbalance.gini);
    for (const ExpectationResult& e : r.expectations)
        row(QStringLiteral("expect.%1 %2 (%3)")
                .arg(QString::fromStdString(e.metric), QString::fromStdString(e.bound),
                    e.ok ? QStringLiteral("held") : QStringLiteral("failed")),
            e.value);
    return csv;
}

} // namespace shardsim::ui
