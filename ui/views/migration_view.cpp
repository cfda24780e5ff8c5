#include "views/migration_view.h"

#include <QComboBox>
#include <QEvent>
#include <QLabel>
#include <QSplitter>
#include <QToolBar>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

#include "charts/chart_style.h"
#include "charts/decimation.h"
#include "charts/time_series_chart.h"
#include "shardsim/common/units.h"
#include "shardsim/migration/growth_step.h"
#include "shardsim/movement/key_movement.h"
#include "shardsim/rules/rule_factory.h"
#include "views/view_context.h"

namespace shardsim::ui {

namespace {

    // Keys the strategies' growth steps are measured over: enough for a ring's spread to settle, fast enough for
    // a view.
    constexpr uint64_t kStrategyKeys = 100'000;
    constexpr int kMaxNodeBars = 64;

    QChartView* barChartView(QWidget* parent, const QString& title)
    {
        auto* view = new QChartView(makeChart(), parent);
        view->chart()->setTitle(title);
        view->setRenderHint(QPainter::Antialiasing);
        applyPalette(view->chart(), parent->palette());
        return view;
    }

    // Replaces the chart's series and axes with grouped bars: one set per entry of `sets`.
    void setBars(QChartView* view, const QStringList& categories,
        const std::vector<std::pair<QString, std::vector<double>>>& sets, const QString& valueTitle, double maxValue)
    {
        QChart* chart = view->chart();
        chart->removeAllSeries();
        for (QAbstractAxis* axis : chart->axes()) {
            chart->removeAxis(axis); // gives the axis back to us: ours to delete
            delete axis;
        }
        auto* series = new QBarSeries(chart);
        int colour = 0;
        for (const auto& [name, values] : sets) {
            auto* set = new QBarSet(name, series);
            set->setColor(seriesColor(colour++));
            for (double value : values)
                set->append(value);
            series->append(set);
        }
        chart->addSeries(series);
        auto* x = new QBarCategoryAxis(chart);
        x->append(categories);
        auto* y = new QValueAxis(chart);
        y->setTitleText(valueTitle);
        y->setRange(0, maxValue > 0 ? maxValue * 1.1 : 1.0);
        y->applyNiceNumbers(); // 0, 0.2 .. 1.2, not 0.28, 0.55
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
        series->attachAxis(x);
        series->attachAxis(y);
        applyPalette(chart, view->palette());
    }

    // The balancer's moves started in each of the run's range windows, at the window's start, on the right axis;
    // decimated to two points per pixel, keeping each column's fewest and most.
    SeriesSpec movesSeries(const RangesSummary& ranges, int plotWidth)
    {
        SeriesSpec moves { MigrationView::tr("balancer moves per window"), seriesColor(1), {}, 1.4, Qt::SolidLine,
            true };
        for (const RangeWindowSummary& window : ranges.windows)
            moves.points.append(QPointF(window.atS, window.moves));
        moves.points = decimateMinMax(moves.points, 2 * plotWidth);
        return moves;
    }

    // GB with one decimal for bars of bytes.
    double gigabytes(double bytes) { return bytes / 1e9; }

} // namespace

MigrationView::MigrationView(ViewContext* context, QWidget* parent)
    : AnalysisView(context, parent)
    , m_bytes(new TimeSeriesChart(this))
    , m_nodes(barChartView(this, tr("Bytes each node sent and received (GB)")))
    , m_fractionChart(barChartView(this, tr("Moved fraction against the optimum")))
    , m_growth(new QComboBox(this))
    , m_growthSource(new QLabel(this))
{
    setObjectName(QStringLiteral("migration"));
    setWindowTitle(tr("Migration"));
    // The order of GrowthChoice.
    m_growth->setObjectName(QStringLiteral("migrationGrowth"));
    m_growth->addItems({ tr("the file's next step"), tr("+1 shard"), tr("×2 shards") });
    m_growth->setToolTip(tr("The growth step the strategies' bars measure: the file's first add_nodes or reshard (×2 "
                            "when it has none), one more shard, or twice the shards"));
    auto* label = new QLabel(tr("Strategies grow by:"), this);
    label->setContentsMargins(6, 0, 4, 0);
    QAction* first = toolBar()->actions().isEmpty() ? nullptr : toolBar()->actions().constFirst();
    toolBar()->insertWidget(first, label);
    toolBar()->insertWidget(first, m_growth);
    m_growthSource->setContentsMargins(8, 0, 4, 0);
    toolBar()->insertWidget(first, m_growthSource);
    connect(m_growth, &QComboBox::currentIndexChanged, this, &MigrationView::requestRefresh);
    m_bytes->chart()->setTitle(tr("Bytes copied per second by migrations"));
    m_bytes->setAxisTitles(tr("bytes/s"));

    auto* bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(m_nodes);
    bottom->addWidget(m_fractionChart);
    bottom->setChildrenCollapsible(false);
    bottom->setStretchFactor(0, 2); // the strategies' names need the room more than the node numbers
    bottom->setStretchFactor(1, 3);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_bytes);
    splitter->addWidget(bottom);
    splitter->setChildrenCollapsible(false);
    m_page = splitter;
    setContent(splitter);

    connect(context, &ViewContext::scenarioChanged, this, &MigrationView::requestRefresh);
    connect(context, &ViewContext::snapshotChanged, this, &MigrationView::requestRefresh);
    connect(context, &ViewContext::tickChanged, this, &MigrationView::requestRefresh);
    connect(m_bytes, &TimeSeriesChart::timeClicked, this, [this](double seconds) {
        if (const auto& snapshot = this->context()->snapshot())
            this->context()->setTick(static_cast<int64_t>(seconds / snapshot->tickSeconds));
    });
}

void MigrationView::changeEvent(QEvent* event)
{
    AnalysisView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) // the bar charts follow a light or dark palette
        for (QChartView* view : { m_nodes, m_fractionChart })
            applyPalette(view->chart(), palette());
}

void MigrationView::refresh()
{
    refreshBytes();
    refreshNodes();
    refreshFractions();
    const RunSnapshotPtr& snapshot = context()->snapshot();
    if (!snapshot || !snapshot->result)
        setNotice(tr("Run the scenario (F5): the migrations appear when the run ends. The bars on the right compare "
                     "the strategies' next growth step meanwhile."));
    else if (const auto& ranges = snapshot->result->ranges)
        setNotice(tr("The balancer moved %1 and copied %2: the line on the right axis counts the moves it started, the "
                     "bytes per second are what they copied. The bars below count event migrations only.")
                      .arg(countText(ranges->moves, tr("range"), tr("ranges")),
                          QString::fromStdString(units::formatSize(ranges->bytesMoved))));
    else if (snapshot->result->migrations.empty())
        setNotice(tr("No event moved data in this run (add nodes, reshard or change the placement in events:). The bars "
                     "compare what each strategy moves for its next growth step."));
    else
        setNotice(QString());
}

void MigrationView::refreshBytes()
{
    const RunSnapshotPtr& snapshot = context()->snapshot();
    std::vector<SeriesSpec> series;
    double duration = context()->scenario() ? context()->scenario()->duration : 1.0;
    if (snapshot && snapshot->result) {
        const RunResult& result = *snapshot->result;
        duration = static_cast<double>(snapshot->tickCount) * snapshot->tickSeconds;
        // At most one point per pixel: each bucket of ticks shows its largest rate.
        const size_t ticks = result.cluster.size();
        const size_t width = static_cast<size_t>(std::max(64, context()->plotWidth()));
        const size_t per = std::max<size_t>(1, (ticks + width - 1) / width);
        SeriesSpec bytes { tr("bytes/s copied"), seriesColor(0), {}, 1.8 };
        for (size_t first = 0; first < ticks; first += per) {
            double rate = 0;
            for (size_t t = first; t < std::min(ticks, first + per); ++t)
                rate = std::max(rate, result.cluster[t].migrationBytesPerSecond);
            bytes.points.append(QPointF(result.cluster[first].time, rate));
        }
        series.push_back(std::move(bytes));
        if (result.ranges && !result.ranges->windows.empty()) // none in a run stored before the history kept them
            series.push_back(movesSeries(*result.ranges, static_cast<int>(width)));
    }
    // An auto-range run's balancer moves ranges at its rate limit: how many it started beside the bytes they copied.
    const bool ranges = series.size() > 1;
    m_bytes->chart()->setTitle(ranges ? tr("Balancer moves and the bytes per second they copied")
                                      : tr("Bytes copied per second by migrations"));
    m_bytes->setAxisTitles(tr("bytes/s"), ranges ? tr("moves started per window") : QString());
    if (ranges) {
        double most = 0;
        for (const QPointF& point : series.back().points)
            most = std::max(most, point.y());
        // Whole moves: the axis labels no fractions, so a few moves get a scale of whole steps.
        m_bytes->setRightRange(0, std::max(4.0, std::ceil(most * 1.1)));
    }
    m_bytes->setDuration(duration, context()->clock());
    m_bytes->setSeries(series);
    m_bytes->setMarker(snapshot ? static_cast<double>(context()->tick()) * snapshot->tickSeconds : -1.0);
    m_bytes->setEvents(eventMarks(context()->scenario()));
}

void MigrationView::refreshNodes()
{
    const RunSnapshotPtr& snapshot = context()->snapshot();
    QStringList names;
    std::vector<double> out, in;
    double largest = 0;
    if (snapshot && snapshot->result) {
        const RunResult& result = *snapshot->result;
        std::vector<double> sent(result.nodes.size(), 0.0), received(result.nodes.size(), 0.0);
        for (const MigrationSummary& migration : result.migrations)
            for (size_t n = 0; n < result.nodes.size(); ++n) {
                sent[n] += n < migration.nodeOutBytes.size() ? migration.nodeOutBytes[n] : 0.0;
                received[n] += n < migration.nodeInBytes.size() ? migration.nodeInBytes[n] : 0.0;
            }
        for (size_t n = 0; n < result.nodes.size() && names.size() < kMaxNodeBars; ++n) {
            names.append(QString::number(n + 1)); // node-N: the number alone fits under a bar
            out.push_back(gigabytes(sent[n]));
            in.push_back(gigabytes(received[n]));
            largest = std::max({ largest, out.back(), in.back() });
        }
    }
    setBars(m_nodes, names, { { tr("sent"), out }, { tr("received"), in } }, tr("GB"), largest);
    if (auto axes = m_nodes->chart()->axes(Qt::Horizontal); !axes.isEmpty())
        axes.constFirst()->setTitleText(tr("node"));
}

const std::vector<MigrationView::FractionBar>& MigrationView::strategyBars()
{
    const ScenarioConfig* scenario = context()->scenario();
    if (scenario == m_strategyScenario && m_growth->currentIndex() == m_strategyChoice)
        return m_strategies;
    m_strategyScenario = scenario;
    m_strategyChoice = m_growth->currentIndex();
    m_strategies.clear();
    m_strategySteps.clear();
    m_strategyStep.clear();
    m_growthSource->clear();
    if (!scenario)
        return m_strategies;
    auto rule = makeRule(scenario->sharding.rule, RuleContext { scenario->baseDirectory });
    if (!rule)
        return m_strategies;
    const int shards = std::max(1, (*rule)->databaseCount());
    const GrowthStep step = scenarioGrowthStep(*scenario, static_cast<GrowthChoice>(std::max(0, m_strategyChoice)));
    const QString n = QString::number(shards);
    const QString m = QString::number(step.apply(shards));
    m_strategyStep = QStringLiteral("%1→%2 (%3)").arg(n, m, QString::fromStdString(step.label()));
    m_strategySteps = step.source.empty()
        ? m_strategyStep
        : QStringLiteral("%1→%2 (%3: %4)")
              .arg(n, m, QString::fromStdString(step.label()), QString::fromStdString(step.source));
    // The title keeps the step short; the tool bar says where it came from, whole.
    m_growthSource->setText(m_strategySteps);
    const std::vector<std::pair<QString, std::pair<QString, QString>>> strategies {
        { QStringLiteral("mod"), { QStringLiteral("mod:n=") + n, QStringLiteral("mod:n=") + m } },
        { QStringLiteral("jump"), { QStringLiteral("jump:buckets=") + n, QStringLiteral("jump:buckets=") + m } },
        { QStringLiteral("ring"),
            { QStringLiteral("ring:nodes=%1,vnodes=100").arg(n), QStringLiteral("ring:nodes=%1,vnodes=100").arg(m) } },
        { QStringLiteral("rendezvous"),
            { QStringLiteral("rendezvous:nodes=") + n, QStringLiteral("rendezvous:nodes=") + m } },
    };
    for (const auto& [name, specs] : strategies) {
        auto from = parseRuleSpec(specs.first.toStdString());
        auto to = parseRuleSpec(specs.second.toStdString());
        if (!from || !to)
            continue;
        auto movement = measureKeyMovement(*from, *to, kStrategyKeys, RuleContext {});
        if (!movement)
            continue;
        m_strategies.push_back(FractionBar { name, movement->movedFraction, movement->optimumFraction });
    }
    return m_strategies;
}

void MigrationView::refreshFractions()
{
    m_fractions.clear();
    const RunSnapshotPtr& snapshot = context()->snapshot();
    if (snapshot && snapshot->result) {
        for (const MigrationSummary& migration : snapshot->result->migrations) {
            if (migration.movedBytes <= 0)
                continue;
            m_fractions.push_back(FractionBar {
                formatTime(migration.atS), // the chart's title says these are the run's migrations by start time
                migration.movedFraction, migration.optimumFraction });
        }
    }
    for (const FractionBar& bar : strategyBars())
        m_fractions.push_back(bar);
    QStringList categories;
    std::vector<double> moved, optimum;
    for (const FractionBar& bar : m_fractions) {
        categories.append(bar.label);
        moved.push_back(bar.moved);
        optimum.push_back(bar.optimum);
    }
    setBars(m_fractionChart, categories, { { tr("moved"), moved }, { tr("optimum"), optimum } }, tr("fraction"), 1.0);
    m_fractionChart->chart()->setTitle(m_strategySteps.isEmpty()
            ? tr("Moved fraction against the optimum")
            : tr("Moved vs optimum: migrations by start, strategies growing %1").arg(m_strategyStep));
}

QString MigrationView::csv() const
{
    QString csv = QStringLiteral("what,moved_fraction,optimum_fraction,moved_bytes,duration_s\n");
    const RunSnapshotPtr& snapshot = context()->snapshot();
    if (snapshot && snapshot->result) {
        for (const MigrationSummary& migration : snapshot->result->migrations)
            csv += QStringLiteral("\"%1 at %2 s\",%3,%4,%5,%6\n")
                       .arg(QString::fromStdString(migration.event))
                       .arg(migration.atS, 0, 'g', 10)
                       .arg(migration.movedFraction, 0, 'g', 10)
                       .arg(migration.optimumFraction, 0, 'g', 10)
                       .arg(migration.movedBytes, 0, 'g', 15)
                       .arg(migration.durationS, 0, 'g', 10);
    }
    for (const FractionBar& bar : m_strategies)
        csv += QStringLiteral("\"%1 %2 (next growth step)\",%3,%4,,\n")
                   .arg(bar.label, m_strategySteps)
                   .arg(bar.moved, 0, 'g', 10)
                   .arg(bar.optimum, 0, 'g', 10);
    return csv;
}

} // namespace shardsim::ui
