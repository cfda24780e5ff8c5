#include "views/compare_view.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtCharts/QChart>

#include <algorithm>
#include <set>

#include "charts/chart_style.h"
#include "charts/decimation.h"
#include "charts/series_legend.h"
#include "charts/time_series_chart.h"
#include "shardsim/common/units.h"
#include "shardsim/migration/rule_comparison_export.h"
#include "shardsim/rules/rule_factory.h"
#include "views/view_context.h"

namespace shardsim::ui {

namespace {

    // Every tick of a rule's run, decimated as every other chart is (charts/decimation.h).
    QVector<QPointF> decimated(const std::vector<ClusterTick>& ticks, int width, double (*value)(const ClusterTick&))
    {
        QVector<QPointF> points;
        points.reserve(static_cast<qsizetype>(ticks.size()));
        for (const ClusterTick& tick : ticks)
            points.append(QPointF(tick.time, value(tick)));
        return decimateMinMax(points, width);
    }

    // Rule i's line: its colour, a dash pattern of its own, and a width that shrinks with i, so a later rule drawn
    // over an earlier one with the same values shows as a dashed line inside a wider one.
    SeriesSpec ruleLine(int index, const QString& name)
    {
        static const Qt::PenStyle styles[]
            = { Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine, Qt::DashDotDotLine };
        return SeriesSpec { name, seriesColor(index), {}, std::max(1.6, 4.2 - 0.8 * index),
            styles[static_cast<size_t>(index) % std::size(styles)] };
    }

    const QColor kCapacityColor(0xd6, 0x3a, 0x2f);
    constexpr int kColumns = 6;
    constexpr int kGrowthColumn = 5;

} // namespace

CompareView::CompareView(ViewContext* context, QWidget* parent)
    : AnalysisView(context, parent)
    , m_rules(new QLineEdit(this))
    , m_growth(new QComboBox(this))
    , m_utilization(new TimeSeriesChart(this))
    , m_imbalance(new TimeSeriesChart(this))
    , m_legend(new SeriesLegend(SeriesLegend::Flow::Rows, this))
    , m_table(new QTableWidget(this))
    , m_events(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("compare"));
    setWindowTitle(tr("Compare"));
    auto* label = new QLabel(tr("Rules:"), this);
    label->setContentsMargins(6, 0, 4, 0);
    m_rules->setObjectName(QStringLiteral("compareRules"));
    m_rules->setMinimumWidth(420);
    m_rules->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed); // the whole list stays readable
    connect(m_rules, &QLineEdit::textChanged, this, [this] { fitRulesField(); });
    m_rules->setToolTip(tr("Shard rules to compare, separated by commas: mod:n=8,jump:buckets=8,db-table:dbs=8,tables=10"));
    auto* button = new QPushButton(tr("Compare"), this);
    // The order of GrowthChoice, as the Migration view's box.
    m_growth->setObjectName(QStringLiteral("compareGrowth"));
    m_growth->addItems({ tr("the file's next step"), tr("+1 shard"), tr("×2 shards") });
    m_growth->setToolTip(tr("The growth step the growth column measures: the file's first add_nodes or reshard (×2 "
                            "when it has none), one more shard, or twice the shards"));
    auto* growthLabel = new QLabel(tr("Grow by:"), this);
    growthLabel->setContentsMargins(8, 0, 4, 0);
    QAction* first = toolBar()->actions().isEmpty() ? nullptr : toolBar()->actions().constFirst();
    toolBar()->insertWidget(first, label);
    toolBar()->insertWidget(first, m_rules);
    toolBar()->insertWidget(first, growthLabel);
    toolBar()->insertWidget(first, m_growth);
    toolBar()->insertWidget(first, button);
    connect(m_growth, &QComboBox::currentIndexChanged, this, [this] { compareNow(); });
    connect(button, &QPushButton::clicked, this, [this] { compareNow(); });
    connect(m_rules, &QLineEdit::returnPressed, this, [this] { compareNow(); });
    connect(m_rules, &QLineEdit::textEdited, this, [this] { m_userEdited = true; });

    m_utilization->chart()->setTitle(tr("Busiest node's utilisation per rule"));
    m_utilization->setAxisTitles(tr("% of its capacity (max_qps)"));
    m_utilization->setLeftScaled(false); // percent as it is: 400 means four times what the node can serve
    m_imbalance->chart()->setTitle(tr("Imbalance (busiest node over mean) per rule"));
    m_imbalance->setAxisTitles(tr("max / mean"));
    // One legend under both charts, whole names: the charts' own would cut long specs to "ring:no…".
    for (TimeSeriesChart* chart : { m_utilization, m_imbalance })
        chart->chart()->legend()->hide();
    // Few, compact columns: all of them fit beside the editor at the window's default size.
    m_table->setColumnCount(kColumns);
    m_table->setHorizontalHeaderLabels({ tr("rule"), tr("imbalance (peak)"), tr("hottest node"), tr("peak utilisation"),
        tr("fan-out"), tr("growth moves (optimum), bytes") });
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_events->setObjectName(QStringLiteral("compareEvents"));
    m_events->setReadOnly(true);
    m_events->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto* charts = new QSplitter(Qt::Horizontal, this);
    charts->addWidget(m_utilization);
    charts->addWidget(m_imbalance);
    charts->setChildrenCollapsible(false);
    auto* chartsAndLegend = new QWidget(this);
    auto* chartsLayout = new QVBoxLayout(chartsAndLegend);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    chartsLayout->setSpacing(0);
    chartsLayout->addWidget(charts, 1);
    chartsLayout->addWidget(m_legend);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(chartsAndLegend);
    splitter->addWidget(m_table);
    splitter->addWidget(m_events);
    m_events->hide(); // until a comparison of a file with events
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({ 700, 160, 100 }); // the charts get the room, the table and the events a few rows
    m_utilization->setMinimumHeight(320);
    m_imbalance->setMinimumHeight(320);
    m_page = splitter;
    setContent(splitter);

    connect(context, &ViewContext::scenarioChanged, this, &CompareView::requestRefresh);
    connect(context, &ViewContext::snapshotChanged, this, &CompareView::requestRefresh);
    connect(context, &ViewContext::tickChanged, this, &CompareView::requestRefresh);
}

QString CompareView::defaultRules() const
{
    const ScenarioConfig* scenario = context()->scenario();
    if (!scenario)
        return {};
    auto rule = makeRule(scenario->sharding.rule, RuleContext { scenario->baseDirectory });
    if (!rule)
        return {};
    const int databases = std::max(1, (*rule)->databaseCount());
    std::vector<std::string> specs { (*rule)->spec() };
    for (const std::string& spec : { "jump:buckets=" + std::to_string(databases),
             "ring:nodes=" + std::to_string(databases) + ",vnodes=100", "mod:n=" + std::to_string(databases) }) {
        auto made = makeRule(spec);
        if (made && std::find(specs.begin(), specs.end(), (*made)->spec()) == specs.end())
            specs.push_back((*made)->spec());
    }
    QStringList list;
    for (const std::string& spec : specs)
        list.append(QString::fromStdString(spec));
    return list.join(QLatin1Char(','));
}

bool CompareView::compareNow()
{
    m_jobs.cancel();
    const std::shared_ptr<const ScenarioConfig> scenario = context()->scenarioPtr();
    m_error.clear();
    std::vector<RuleSpec> specs;
    if (!scenario) {
        m_error = tr("Open a valid scenario to compare rules on its workload.");
    } else {
        for (const std::string& text : splitRuleList(m_rules->text().toStdString())) {
            auto spec = parseRuleSpec(text);
            if (!spec) {
                m_error = tr("%1: %2").arg(QString::fromStdString(text), QString::fromStdString(spec.error()));
                break;
            }
            specs.push_back(*spec);
        }
        if (m_error.isEmpty() && specs.size() < 2)
            m_error = tr("Name at least two rules to compare, separated by commas.");
    }
    if (!m_error.isEmpty()) {
        m_rows.clear();
        fillCharts();
        fillTable();
        setNotice(m_error);
        return false;
    }
    setNotice(tr("Comparing: running the workload through %n rules…", nullptr, static_cast<int>(specs.size())));
    const auto growth = static_cast<GrowthChoice>(std::max(0, m_growth->currentIndex()));
    m_jobs.start<Result<std::vector<RuleComparison>>>(
        [scenario, specs = std::move(specs), growth](const std::atomic<bool>& cancel) {
            RunOptions options;
            options.engine = EngineMode::Expected;
            options.heatmapKeyBuckets = 1;
            options.cancel = &cancel;
            return compareRules(*scenario, specs, options, growth);
        },
        [this](Result<std::vector<RuleComparison>> result) { finished(std::move(result)); });
    return true;
}

void CompareView::finished(Result<std::vector<RuleComparison>> result)
{
    m_rows.clear();
    if (result.ok())
        m_rows = std::move(result.value());
    else
        m_error = QString::fromStdString(result.error());
    fillCharts();
    fillTable();
    setNotice(m_error);
}

void CompareView::refresh()
{
    const ScenarioConfig* scenario = context()->scenario();
    if (scenario != m_rulesFor) {
        m_rulesFor = scenario;
        if (!m_userEdited || m_rules->text().isEmpty())
            m_rules->setText(defaultRules());
    }
    const RunSnapshotPtr& snapshot = context()->snapshot();
    if (snapshot && snapshot->phase == RunPhase::Finished && snapshot->generation != m_comparedGeneration) {
        m_comparedGeneration = snapshot->generation;
        compareNow();
        return;
    }
    if (m_rows.empty() && m_error.isEmpty() && !m_jobs.busy())
        setNotice(tr("Run the scenario (F5) or press Compare: each rule runs the same workload."));
    fillCharts(); // the marker follows the selected tick
}

void CompareView::fillCharts()
{
    std::vector<SeriesSpec> utilization, imbalance;
    double duration = context()->scenario() ? context()->scenario()->duration : 1.0;
    const int width = std::max(64, context()->plotWidth());
    for (size_t r = 0; r < m_rows.size(); ++r) {
        const RuleComparison& row = m_rows[r];
        SeriesSpec line = ruleLine(static_cast<int>(r), QString::fromStdString(row.spec));
        line.points
            = decimated(row.run.cluster, width, [](const ClusterTick& tick) { return 100 * tick.maxUtilization; });
        utilization.push_back(line);
        line.points
            = decimated(row.run.cluster, width, [](const ClusterTick& tick) { return tick.imbalance.maxOverMean; });
        imbalance.push_back(std::move(line));
        duration = static_cast<double>(row.run.ticks) * row.run.tickSeconds;
    }
    if (!m_rows.empty()) {
        SeriesSpec capacity { tr("capacity (100%)"), kCapacityColor, { QPointF(0, 100), QPointF(duration, 100) }, 1.2,
            Qt::DashLine };
        utilization.push_back(std::move(capacity));
    }
    m_legend->setEntries(utilization);
    const RunSnapshotPtr& snapshot = context()->snapshot();
    const double marker = snapshot ? static_cast<double>(context()->tick()) * snapshot->tickSeconds : -1.0;
    for (TimeSeriesChart* chart : { m_utilization, m_imbalance }) {
        chart->setDuration(duration, context()->clock());
        chart->setSeries(chart == m_utilization ? utilization : imbalance);
        chart->setMarker(marker);
        chart->setEvents(eventMarks(context()->scenario()));
    }
}

void CompareView::fillTable()
{
    // The growth column names its step: "growth +1 moves" for a file that adds one node.
    const GrowthStep* step = m_rows.empty() ? nullptr : &m_rows.front().growth;
    auto* growthHeader
        = new QTableWidgetItem(step ? tr("growth %1 moves (optimum), bytes").arg(QString::fromStdString(step->label()))
                                    : tr("growth moves (optimum), bytes"));
    if (step)
        growthHeader->setToolTip(step->source.empty()
                ? tr("The rule grown %1").arg(QString::fromStdString(step->label()))
                : tr("The scenario's next growth step: %1").arg(QString::fromStdString(step->source)));
    m_table->setHorizontalHeaderItem(kGrowthColumn, growthHeader);
    m_table->setRowCount(static_cast<int>(m_rows.size()));
    for (size_t r = 0; r < m_rows.size(); ++r) {
        const RuleComparison& row = m_rows[r];
        const bool grows = !row.growthSpec.empty();
        const QStringList cells {
            QString::fromStdString(row.spec),
            QStringLiteral("%1 (%2)").arg(row.imbalance, 0, 'f', 3).arg(row.peakImbalance, 0, 'f', 3),
            QStringLiteral("%1 (%2%)")
                .arg(QString::fromStdString(row.hottestNode))
                .arg(100 * row.hottestShare, 0, 'f', 1),
            QStringLiteral("%1%").arg(100 * row.peakUtilization, 0, 'f', 1),
            QString::number(row.fanout, 'f', 2),
            grows ? QStringLiteral("%1 (%2), %3")
                        .arg(row.growthMovedFraction, 0, 'f', 4)
                        .arg(row.growthOptimumFraction, 0, 'f', 4)
                        .arg(QString::fromStdString(units::formatSize(row.growthMovedBytes)))
                  : QStringLiteral("-"),
        };
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(static_cast<int>(r), c, new QTableWidgetItem(cells[c]));
        // The rule's colour in the charts.
        m_table->item(static_cast<int>(r), 0)->setData(Qt::DecorationRole, seriesColor(static_cast<int>(r)));
        if (grows) // the grown rule can be as long as the rule itself: it is a hover away
            m_table->item(static_cast<int>(r), kGrowthColumn)
                ->setToolTip(tr("grows to %1").arg(QString::fromStdString(row.growthSpec)));
    }
    fillEvents();
}

QString CompareView::eventsText() const { return m_events->toPlainText(); }

void CompareView::fillEvents()
{
    QStringList lines;
    const bool anyEvents = !m_rows.empty() && !m_rows.front().events.empty();
    if (anyEvents)
        lines.append(tr("Events in each rule's run (a reshard becomes the same growth of the rule compared):"));
    for (const RuleComparison& row : m_rows) {
        if (row.events.empty())
            continue;
        lines.append(QString::fromStdString(row.spec));
        for (const std::string& event : row.events)
            lines.append(QStringLiteral("    ") + QString::fromStdString(event));
    }
    m_events->setPlainText(lines.join(QLatin1Char('\n')));
    m_events->setVisible(anyEvents);
}

void CompareView::fitRulesField()
{
    // Wide enough for the whole list, up to most of a screen; the tool bar gives it the room it asks for.
    const int text = m_rules->fontMetrics().horizontalAdvance(m_rules->text()) + 24;
    m_rules->setMinimumWidth(std::clamp(text, 420, 1100));
}

QString CompareView::csv() const
{
    return m_rows.empty() ? QString() : QString::fromStdString(ruleComparisonCsv(m_rows));
}

} // namespace shardsim::ui
