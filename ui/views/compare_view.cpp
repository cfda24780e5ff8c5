#include "views/compare_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QToolBar>
#include <QtCharts/QChart>

#include <algorithm>
#include <set>

#include "charts/chart_style.h"
#include "charts/time_series_chart.h"
#include "shardsim/common/units.h"
#include "shardsim/migration/rule_comparison_export.h"
#include "shardsim/rules/rule_factory.h"
#include "views/view_context.h"

namespace shardsim::ui {

namespace {

    // One point per pixel at most: each bucket of ticks shows its largest value.
    QVector<QPointF> decimated(const std::vector<ClusterTick>& ticks, int width, double (*value)(const ClusterTick&))
    {
        QVector<QPointF> points;
        const size_t per = std::max<size_t>(1, (ticks.size() + static_cast<size_t>(width) - 1) / static_cast<size_t>(width));
        for (size_t first = 0; first < ticks.size(); first += per) {
            double largest = 0;
            for (size_t t = first; t < std::min(ticks.size(), first + per); ++t)
                largest = std::max(largest, value(ticks[t]));
            points.append(QPointF(ticks[first].time, largest));
        }
        return points;
    }

} // namespace

CompareView::CompareView(ViewContext* context, QWidget* parent)
    : AnalysisView(context, parent)
    , m_rules(new QLineEdit(this))
    , m_utilization(new TimeSeriesChart(this))
    , m_imbalance(new TimeSeriesChart(this))
    , m_table(new QTableWidget(this))
{
    setObjectName(QStringLiteral("compare"));
    setWindowTitle(tr("Compare"));
    auto* label = new QLabel(tr("Rules:"), this);
    label->setContentsMargins(6, 0, 4, 0);
    m_rules->setObjectName(QStringLiteral("compareRules"));
    m_rules->setMinimumWidth(420);
    m_rules->setToolTip(tr("Shard rules to compare, separated by commas: mod:n=8,jump:buckets=8,db-table:dbs=8,tables=10"));
    auto* button = new QPushButton(tr("Compare"), this);
    QAction* first = toolBar()->actions().isEmpty() ? nullptr : toolBar()->actions().constFirst();
    toolBar()->insertWidget(first, label);
    toolBar()->insertWidget(first, m_rules);
    toolBar()->insertWidget(first, button);
    connect(button, &QPushButton::clicked, this, [this] { compareNow(); });
    connect(m_rules, &QLineEdit::returnPressed, this, [this] { compareNow(); });
    connect(m_rules, &QLineEdit::textEdited, this, [this] { m_userEdited = true; });

    m_utilization->chart()->setTitle(tr("Busiest node's utilisation per rule"));
    m_utilization->setAxisTitles(tr("% of max_qps"));
    m_imbalance->chart()->setTitle(tr("Imbalance (busiest node over mean) per rule"));
    m_imbalance->setAxisTitles(tr("max / mean"));
    m_table->setColumnCount(8);
    m_table->setHorizontalHeaderLabels({ tr("rule"), tr("imbalance"), tr("peak imbalance"), tr("hottest node"),
        tr("peak utilisation"), tr("fan-out"), tr("next growth moves"), tr("optimum") });
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto* charts = new QSplitter(Qt::Horizontal, this);
    charts->addWidget(m_utilization);
    charts->addWidget(m_imbalance);
    charts->setChildrenCollapsible(false);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(charts);
    splitter->addWidget(m_table);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({ 700, 220 }); // the charts get the room, the table a few rows
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
    m_jobs.start<Result<std::vector<RuleComparison>>>(
        [scenario, specs = std::move(specs)](const std::atomic<bool>& cancel) {
            RunOptions options;
            options.engine = EngineMode::Expected;
            options.heatmapKeyBuckets = 1;
            options.cancel = &cancel;
            return compareRules(*scenario, specs, options);
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
    int colour = 0;
    for (const RuleComparison& row : m_rows) {
        const QString name = QString::fromStdString(row.spec);
        const QColor color = seriesColor(colour++);
        utilization.push_back(SeriesSpec { name, color,
            decimated(row.run.cluster, width, [](const ClusterTick& tick) { return 100 * tick.maxUtilization; }) });
        imbalance.push_back(SeriesSpec { name, color,
            decimated(row.run.cluster, width, [](const ClusterTick& tick) { return tick.imbalance.maxOverMean; }) });
        duration = static_cast<double>(row.run.ticks) * row.run.tickSeconds;
    }
    const RunSnapshotPtr& snapshot = context()->snapshot();
    const double marker = snapshot ? static_cast<double>(context()->tick()) * snapshot->tickSeconds : -1.0;
    for (TimeSeriesChart* chart : { m_utilization, m_imbalance }) {
        chart->setDuration(duration);
        chart->setSeries(chart == m_utilization ? utilization : imbalance);
        chart->setMarker(marker);
        chart->setEvents(eventMarks(context()->scenario()));
    }
}

void CompareView::fillTable()
{
    m_table->setRowCount(static_cast<int>(m_rows.size()));
    for (size_t r = 0; r < m_rows.size(); ++r) {
        const RuleComparison& row = m_rows[r];
        const bool grows = !row.growthSpec.empty();
        const QStringList cells {
            QString::fromStdString(row.spec),
            QString::number(row.imbalance, 'f', 3),
            QString::number(row.peakImbalance, 'f', 3),
            QStringLiteral("%1 (%2%)").arg(QString::fromStdString(row.hottestNode)).arg(100 * row.hottestShare, 0, 'f', 1),
            QStringLiteral("%1%").arg(100 * row.peakUtilization, 0, 'f', 1),
            QString::number(row.fanout, 'f', 2),
            grows ? QStringLiteral("%1 (%2, to %3)")
                        .arg(row.growthMovedFraction, 0, 'f', 4)
                        .arg(QString::fromStdString(units::formatSize(row.growthMovedBytes)),
                            QString::fromStdString(row.growthSpec))
                  : QStringLiteral("-"),
            grows ? QString::number(row.growthOptimumFraction, 'f', 4) : QStringLiteral("-"),
        };
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(static_cast<int>(r), c, new QTableWidgetItem(cells[c]));
        // The rule's colour in the charts.
        m_table->item(static_cast<int>(r), 0)->setData(Qt::DecorationRole, seriesColor(static_cast<int>(r)));
    }
}

QString CompareView::csv() const
{
    return m_rows.empty() ? QString() : QString::fromStdString(ruleComparisonCsv(m_rows));
}

} // namespace shardsim::ui
