#include "models/run_comparison.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <functional>

#include "charts/chart_style.h"
#include "shardsim/common/units.h"
#include "shardsim/report/summary_json.h"

namespace shardsim::ui {

namespace {
    QString tr(const char* text) { return QCoreApplication::translate("RunComparison", text); }

    struct Metric {
        QString label;
        std::function<double(const RunDetails&, const RunResult&)> value;
        std::function<QString(double)> format;
        bool judged = true; // lower is better; unjudged numbers (nodes, requests) just differ
    };

    const NodeSummary* hottest(const RunResult& result)
    {
        const auto it = std::max_element(result.nodes.begin(), result.nodes.end(),
            [](const NodeSummary& x, const NodeSummary& y) { return x.requests < y.requests; });
        return it == result.nodes.end() ? nullptr : &*it;
    }

    QString percent(double fraction) { return QString::number(fraction * 100.0, 'f', 1) + QLatin1Char('%'); }

    std::vector<Metric> metrics()
    {
        auto count = [](double v) { return QString::fromStdString(units::formatCount(v)); };
        auto ratio = [](double v) { return QString::number(v, 'f', 2); };
        return {
            { tr("Nodes"), [](const RunDetails& d, const RunResult&) { return double(d.record.nodes); }, count, false },
            { tr("Requests"), [](const RunDetails&, const RunResult& r) { return r.requests; }, count, false },
            { tr("Peak load"), [](const RunDetails&, const RunResult& r) { return r.peak.qps; }, formatRate, false },
            { tr("Imbalance (max/mean)"), [](const RunDetails&, const RunResult& r) { return r.imbalance.maxOverMean; },
                ratio },
            { tr("Gini"), [](const RunDetails&, const RunResult& r) { return r.imbalance.gini; }, ratio },
            { tr("Hottest node's share"),
                [](const RunDetails&, const RunResult& r) {
                    const NodeSummary* node = hottest(r);
                    return node ? node->share : 0.0;
                },
                percent },
            { tr("Busiest node's peak utilisation"),
                [](const RunDetails&, const RunResult& r) {
                    double peak = 0;
                    for (const NodeSummary& node : r.nodes)
                        peak = std::max(peak, node.peakUtilization);
                    return peak;
                },
                percent },
            { tr("Worst p99 latency (ms)"),
                [](const RunDetails&, const RunResult& r) {
                    double worst = 0;
                    for (const NodeSummary& node : r.nodes)
                        worst = std::max(worst, node.p99LatencyMs);
                    return worst;
                },
                ratio },
            { tr("Shed requests"), [](const RunDetails&, const RunResult& r) { return r.shedRequests; }, count },
            { tr("Expectations failed"),
                [](const RunDetails& d, const RunResult&) { return double(d.record.expectationsFailed); }, count },
        };
    }

    // The stored summary's numbers; a summary that does not read shows as zeros beside the run's record.
    RunResult totalsOf(const RunDetails& run)
    {
        Result<RunResult> result = readSummaryJson(run.summaryJson);
        return result ? std::move(*result) : RunResult {};
    }

    QString header(const RunDetails& run)
    {
        return QStringLiteral("%1 %2<br><span style='font-weight:normal'>%3</span>")
            .arg(tr("Run"))
            .arg(run.record.id)
            .arg(QString::fromStdString(run.record.scenario).toHtmlEscaped());
    }
}

QString compareRunsHtml(const RunDetails& a, const RunDetails& b, const QString& muted)
{
    const RunResult ra = totalsOf(a);
    const RunResult rb = totalsOf(b);
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='5' width='100%'>");
    html += QStringLiteral("<tr><th align='left'></th><th align='right'>%1</th><th align='right'>%2</th>"
                           "<th align='right'>%3</th></tr>")
                .arg(header(a), header(b), tr("B against A"));
    for (const Metric& metric : metrics()) {
        const double va = metric.value(a, ra);
        const double vb = metric.value(b, rb);
        QString change = QStringLiteral("<span style='color:%1'>=</span>").arg(muted);
        if (std::abs(vb - va) > 1e-9 * std::max(1.0, std::abs(va))) {
            const QString colour = !metric.judged ? muted
                : vb < va                         ? QStringLiteral("#2a9d4b")
                                                  : QStringLiteral("#d63a2f");
            const QString delta = va != 0
                ? QStringLiteral("%1%2%").arg(vb > va ? "+" : "").arg((vb - va) / std::abs(va) * 100.0, 0, 'f', 1)
                : metric.format(vb - va);
            change = QStringLiteral("<span style='color:%1'>%2</span>").arg(colour, delta);
        }
        html += QStringLiteral(
            "<tr><td>%1</td><td align='right'>%2</td><td align='right'>%3</td><td align='right'>%4</td></tr>")
                    .arg(metric.label, metric.format(va), metric.format(vb), change);
    }
    html += QStringLiteral("</table>");
    html += QStringLiteral("<p style='color:%1'>%2</p>")
                .arg(muted, tr("Green: B is better on that number; red: worse. Select a single run to read it alone."));
    return html;
}

QString describeRunHtml(const RunDetails& run, const QString& muted)
{
    const RunResult result = totalsOf(run);
    QString html = QStringLiteral("<h3 style='margin:0'>%1</h3>").arg(header(run));
    html += QStringLiteral("<p style='color:%1'>%2</p>")
                .arg(muted,
                    tr("Seed %1 · %2 engine · %3 simulated · shardsim %4")
                        .arg(run.record.seed)
                        .arg(QString::fromStdString(run.record.engine),
                            formatTime(double(run.record.ticks) * run.record.tickSeconds),
                            QString::fromStdString(run.record.version)));
    html += QStringLiteral("<table cellspacing='0' cellpadding='4'>");
    for (const Metric& metric : metrics())
        html += QStringLiteral("<tr><td>%1</td><td align='right'><b>%2</b></td></tr>")
                    .arg(metric.label, metric.format(metric.value(run, result)));
    html += QStringLiteral("</table><p style='color:%1'>%2</p>")
                .arg(muted, tr("Select a second run to compare the two. Reopen shows this run in every view."));
    return html;
}

} // namespace shardsim::ui
