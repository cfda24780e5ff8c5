#include "views/overview_text.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

#include "charts/chart_style.h"
#include "shardsim/common/units.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim::ui {

namespace {
    QString tr(const char* text, int n = -1) { return QCoreApplication::translate("Overview", text, nullptr, n); }
    QString percent(double fraction, int decimals = 0)
    {
        return QString::number(fraction * 100.0, 'f', decimals) + QLatin1Char('%');
    }
    QString html(const std::string& text) { return QString::fromStdString(text).toHtmlEscaped(); }

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
        const auto count = [](double value) { return QString::fromStdString(units::formatCount(value)); };
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
    const double capacity = snapshot->nodeMaxQps * std::max(1, snapshot->nodeCount());
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
        status
            = tr("Simulated %1 in %2 of wall time.")
                  .arg(formatTime(simulated), QString::number(snapshot->elapsedSeconds, 'f', 1) + QStringLiteral(" s"));
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

    // The headline in words.
    QStringList sentences;
    sentences << tr("The cluster peaked at <b>%1</b> at %2, %3 of what all nodes together can serve.")
                     .arg(formatRate(peakQps), formatTime(peakTime),
                         capacity > 0 ? percent(peakQps / capacity) : QStringLiteral("–"));
    if (busiest >= 0 && busiest < snapshot->nodeCount()) {
        const QString name = QString::fromStdString(snapshot->nodes[size_t(busiest)].name).toHtmlEscaped();
        sentences << tr("%1: the busiest node, <b>%2</b>, carried %3× the load of the average node.")
                         .arg(balanceWords(maxOverMean), name, QString::number(maxOverMean, 'f', 2));
    }
    if (maxUtilization > 1.0)
        sentences << tr("At its worst moment a node was asked for <b>%1</b> of its capacity: it was overloaded.")
                         .arg(percent(maxUtilization));
    else
        sentences << tr("The busiest node never went past <b>%1</b> of its capacity.").arg(percent(maxUtilization));
    out += QStringLiteral("<p style='font-size:large'>%1</p>").arg(sentences.join(QLatin1Char(' ')));

    if (result) {
        // Key figures.
        const NodeSummary* hottestNode = busiest >= 0 ? &result->nodes[size_t(busiest)] : nullptr;
        const ShardSummary* hottestShard = nullptr;
        for (const ShardSummary& shard : result->shards)
            if (!hottestShard || shard.requests > hottestShard->requests)
                hottestShard = &shard;
        out += QStringLiteral("<table><tr>");
        out += figure(
            tr("Peak load"), formatRate(result->peak.qps), tr("at %1").arg(formatTime(result->peak.time)), muted);
        out += figure(tr("Imbalance"), QString::number(result->imbalance.maxOverMean, 'f', 2) + QStringLiteral("×"),
            tr("max/mean · Gini %1").arg(QString::number(gini, 'f', 2)), muted);
        if (hottestNode)
            out += figure(tr("Hottest node"), html(hottestNode->name),
                tr("%1 of requests").arg(percent(hottestNode->share, 1)), muted);
        if (hottestShard)
            out += figure(tr("Hottest shard"), html(hottestShard->name),
                tr("%1 of requests").arg(percent(hottestShard->share, 1)), muted);
        out += figure(tr("Requests"), QString::fromStdString(units::formatCount(result->requests)),
            result->shedRequests > 0
                ? tr("%1 shed").arg(percent(result->shedRequests / std::max(1.0, result->requests), 2))
                : tr("none shed"),
            muted);
        out += QStringLiteral("</tr></table>");

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
                QString line
                    = QStringLiteral("%1 <code>%2 %3</code> — %4 %5")
                          .arg(mark, html(e.metric), html(e.bound), tr("was"), QString::number(e.value, 'g', 4));
                if (e.at)
                    line += QLatin1Char(' ') + tr("at %1").arg(formatTime(*e.at));
                if (e.line > 0)
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
    row(QStringLiteral("shed_requests"), r.shedRequests);
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
