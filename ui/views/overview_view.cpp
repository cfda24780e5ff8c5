#include "views/overview_view.h"

#include <QEvent>
#include <QScrollBar>
#include <QSplitter>
#include <QTextBrowser>

#include <cmath>

#include "charts/chart_style.h"
#include "charts/cluster_series.h"
#include "charts/time_series_chart.h"
#include "shardsim/report/failover_story.h"
#include "views/overview_text.h"
#include "views/view_context.h"

namespace shardsim::ui {

OverviewView::OverviewView(ViewContext* context, QWidget* parent)
    : AnalysisView(context, parent)
    , m_text(new QTextBrowser(this))
    , m_chart(new TimeSeriesChart(this))
{
    setObjectName(QStringLiteral("overview"));
    setWindowTitle(tr("Overview"));
    m_text->setOpenLinks(false);
    m_text->setFrameShape(QFrame::NoFrame);
    m_text->document()->setDocumentMargin(12);
    m_chart->setAxisTitles(tr("requests/s"), tr("busiest node's offered load %"));
    m_chart->chart()->setTitle(tr("Cluster load over time"));
    m_chart->setRightRange(0, 120);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    m_splitter = splitter;
    splitter->addWidget(m_text);
    splitter->addWidget(m_chart);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    m_page = splitter;
    setContent(splitter);

    connect(context, &ViewContext::scenarioChanged, this, &OverviewView::requestRefresh);
    connect(context, &ViewContext::snapshotChanged, this, &OverviewView::requestRefresh);
    connect(context, &ViewContext::tickChanged, this, [this] {
        const auto& snapshot = this->context()->snapshot();
        m_chart->setMarker(snapshot ? static_cast<double>(this->context()->tick()) * snapshot->tickSeconds : -1.0);
    });
    connect(m_chart->chart(), &QChart::plotAreaChanged, this,
        [this](const QRectF& area) { this->context()->reportPlotWidth(m_chart, static_cast<int>(area.width())); });
    connect(m_chart, &TimeSeriesChart::timeClicked, this, [this](double seconds) {
        if (const auto& snapshot = this->context()->snapshot())
            this->context()->setTick(static_cast<int64_t>(seconds / snapshot->tickSeconds));
    });
}

QString failoverHtml(const RunResult* result)
{
    if (!result)
        return {};
    QString out;
    for (const std::vector<std::string>& paragraph : failoverStory(*result)) {
        out += QStringLiteral("<h3 style='color:#d62728; margin-bottom:2px'>%1</h3><ul style='margin-top:0'>")
                   .arg(QString::fromStdString(paragraph.front()).toHtmlEscaped());
        for (size_t i = 1; i < paragraph.size(); ++i)
            out += QStringLiteral("<li>%1</li>").arg(QString::fromStdString(paragraph[i]).toHtmlEscaped());
        out += QStringLiteral("</ul>");
    }
    return out.isEmpty() ? out : QStringLiteral("<h3>%1</h3>").arg(OverviewView::tr("Failover")) + out;
}

QWidget* OverviewView::exportWidget() { return m_page; }

void OverviewView::refresh()
{
    refreshText();
    refreshChart();
}

void OverviewView::refreshText()
{
    const QString muted = palette().color(QPalette::PlaceholderText).name();
    // Keep the reader's place: a running simulation rewrites the text ten times a second.
    const int scroll = m_text->verticalScrollBar()->value();
    const RunSnapshot* snapshot = context()->snapshot().get();
    m_text->setHtml(overviewHtml(context()->scenario(), snapshot, context()->problems(), muted)
        + failoverHtml(snapshot ? snapshot->result.get() : nullptr));
    m_text->verticalScrollBar()->setValue(scroll);
}

void OverviewView::refreshChart()
{
    const RunSnapshotPtr& snapshot = context()->snapshot();
    const ScenarioConfig* scenario = context()->scenario();
    double duration = scenario ? scenario->duration : 1.0;
    std::vector<SeriesSpec> series;
    if (snapshot && snapshot->charts) {
        duration = static_cast<double>(snapshot->tickCount) * snapshot->tickSeconds;
        series = requestSeries(*snapshot->charts);
        series.push_back(SeriesSpec { tr("busiest node's offered load, % of max_qps"), seriesColor(1),
            snapshot->charts->maxUtilization, 1.4, Qt::SolidLine, true });
        double peak = 100;
        for (const QPointF& point : snapshot->charts->maxUtilization)
            peak = std::max(peak, point.y());
        m_chart->setRightRange(0, peak * 1.05);
    }
    // Before the first tick there is nothing to draw: the text says how to start.
    const bool show = snapshot && snapshot->ticksDone > 0;
    if (show && m_chart->isHidden()) {
        m_chart->show();
        // The text had the whole height while the chart was hidden: share it again.
        const int height = m_splitter->height();
        m_splitter->setSizes({ height / 2, height - height / 2 });
    } else if (!show) {
        m_chart->hide();
    }
    m_chart->setDuration(duration, context()->clock());
    m_chart->setSeries(series);
    m_chart->setMarker(snapshot ? static_cast<double>(context()->tick()) * snapshot->tickSeconds : -1.0);
    m_chart->setEvents(eventMarks(scenario));
}

QString OverviewView::csv() const { return overviewCsv(context()->snapshot().get()); }

void OverviewView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        requestRefresh();
    AnalysisView::changeEvent(event);
}

} // namespace shardsim::ui
