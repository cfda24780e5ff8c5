#include "views/plan_view.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPen>
#include <QProgressBar>
#include <QScrollBar>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

#include "charts/chart_style.h"
#include "shardsim/scenario/business_database_scenario.h"
#include "views/view_context.h"

namespace shardsim::ui {

namespace {

    QString percent(double fraction) { return QString::number(fraction * 100, 'f', 1) + QLatin1Char('%'); }

    QString count(double value)
    {
        if (std::abs(value) >= 1e9)
            return QString::number(value / 1e9, 'g', 3) + QLatin1Char('B');
        if (std::abs(value) >= 1e6)
            return QString::number(value / 1e6, 'g', 3) + QLatin1Char('M');
        if (std::abs(value) >= 1e3)
            return QString::number(value / 1e3, 'g', 3) + QLatin1Char('K');
        return QString::number(value, 'g', 3);
    }

    QTableWidget* makeTable(QWidget* parent, const QStringList& headers)
    {
        auto* table = new QTableWidget(parent);
        table->setColumnCount(int(headers.size()));
        table->setHorizontalHeaderLabels(headers);
        table->verticalHeader()->hide();
        table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        table->setSelectionBehavior(QAbstractItemView::SelectRows);
        table->setAlternatingRowColors(true);
        // Every column as wide as its header and its cells: numbers and names are never cut.
        table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        table->setWordWrap(false);
        table->setTextElideMode(Qt::ElideNone);
        return table;
    }

    // The last column takes the width left and wraps its sentences; each row is as tall as its wrapped text.
    void wrapLastColumn(QTableWidget* table)
    {
        table->horizontalHeader()->setSectionResizeMode(table->columnCount() - 1, QHeaderView::Stretch);
        table->setWordWrap(true);
        table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    }

    // The table never gets narrower than its columns: every column stays in sight, none is cut at the right edge.
    void keepColumnsWhole(QTableWidget* table)
    {
        table->resizeColumnsToContents();
        const int scrollBar = table->verticalScrollBar()->sizeHint().width();
        table->setMinimumWidth(table->horizontalHeader()->length() + 2 * table->frameWidth() + scrollBar);
    }

    // A tool bar shows its widget through its action, and a hidden action is a disabled one too: a widget shown by
    // itself stays greyed out. The widget is set as well, so it does not wait for the tool bar's next layout.
    void showInToolBar(QAction* action, QWidget* widget, bool visible)
    {
        action->setVisible(visible);
        widget->setVisible(visible);
    }

    void setRow(QTableWidget* table, int row, const QStringList& cells)
    {
        for (int column = 0; column < cells.size(); ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            if (column > 0 && column < cells.size() - 1)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table->setItem(row, column, item);
        }
    }

} // namespace

PlanView::PlanView(ViewContext* context, QWidget* parent)
    : AnalysisView(context, parent)
    , m_page(new QWidget(this))
    , m_databaseLabel(new QLabel(tr("Business database:"), m_page))
    , m_database(new BusinessDatabaseChooser(m_page))
    , m_summary(new QLabel(m_page))
    , m_chart(new QChartView(m_page))
    , m_timeline(makeTable(m_page,
          { tr("Period"), tr("Nodes"), tr("Tables"), tr("Peak qps"), tr("Peak util."), tr("After failures"),
              tr("Storage"), tr("Rows/table"), tr("Binding constraint") }))
    , m_alternatives(makeTable(m_page, { tr("Rule"), tr("Node type"), tr("Nodes now"), tr("At horizon"), tr("Why not") }))
    , m_progress(new QProgressBar(this))
    , m_stop(new QToolButton(this))
    , m_progressTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("plan"));
    setWindowTitle(tr("Plan"));
    m_progress->setObjectName(QStringLiteral("planProgress"));
    m_progress->setRange(0, 1);
    m_progress->setFixedWidth(180);
    m_progress->setFormat(QStringLiteral("%p%"));
    m_stop->setObjectName(QStringLiteral("planStop"));
    m_stop->setText(tr("Stop"));
    m_stop->setToolTip(tr("Stop planning; the plan is not shown until it is planned again"));
    QAction* first = toolBar()->actions().isEmpty() ? nullptr : toolBar()->actions().constFirst();
    m_progressAction = toolBar()->insertWidget(first, m_progress);
    m_stopAction = toolBar()->insertWidget(first, m_stop);
    showInToolBar(m_progressAction, m_progress, false);
    showInToolBar(m_stopAction, m_stop, false);
    connect(m_stop, &QToolButton::clicked, this, &PlanView::stopOrRestart);
    // Ten times a second at most, whatever the planner's pace.
    m_progressTimer->setInterval(100);
    connect(m_progressTimer, &QTimer::timeout, this, &PlanView::showProgress);
    connect(&m_jobs, &JobRunner::busyChanged, this, &PlanView::showBusy);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setContentsMargins(10, 8, 10, 8);
    m_chart->setRenderHint(QPainter::Antialiasing);
    // Tall enough that the title, the legend's rows and both axis titles leave a plot to read.
    m_chart->setMinimumHeight(380);
    // The chart view's own empty chart until the first plan: setChart() would release, not delete, it.
    m_chart->chart()->legend()->setAlignment(Qt::AlignBottom);
    applyPalette(m_chart->chart(), palette());

    wrapLastColumn(m_alternatives);
    // The tables one above the other, each the view's full width: side by side, the alternatives' reasons had a
    // word per line at the default window size.
    auto* splitter = new QSplitter(Qt::Vertical, m_page);
    splitter->addWidget(m_chart);
    splitter->addWidget(m_timeline);
    splitter->addWidget(m_alternatives);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 1);
    splitter->setChildrenCollapsible(false);
    m_database->setObjectName(QStringLiteral("planDatabase"));
    auto* chooser = new QHBoxLayout;
    chooser->setContentsMargins(10, 8, 10, 0);
    m_databaseLabel->setBuddy(m_database);
    chooser->addWidget(m_databaseLabel);
    chooser->addWidget(m_database);
    chooser->addStretch(1);
    m_databaseLabel->setVisible(false);
    connect(m_database, &QComboBox::currentIndexChanged, this, &PlanView::requestRefresh);
    auto* layout = new QVBoxLayout(m_page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(chooser);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);
    setContent(m_page);

    // Only the scenario matters: a run does not change the plan.
    connect(context, &ViewContext::scenarioChanged, this, &PlanView::requestRefresh);
}

void PlanView::changeEvent(QEvent* event)
{
    AnalysisView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette(m_chart->chart(), palette());
}

void PlanView::refresh()
{
    auto scenario = context()->scenarioPtr();
    if (!scenario) {
        setNotice(tr("Open a valid scenario to plan its capacity."));
        return;
    }
    m_databaseLabel->setVisible(m_database->setScenario(scenario.get()));
    const QString database = m_database->currentText();
    if (stoppedHere(scenario, database) && !m_jobs.busy()) {
        setNotice(tr("Planning was stopped. Press Plan to plan this scenario."));
        return;
    }
    m_stoppedScenario.reset();
    if (scenario == m_planned && database == m_plannedDatabase && !m_jobs.busy()) {
        if (m_plan)
            show(*m_plan, m_hasPlanSection);
        return;
    }
    if (m_jobs.busy() && m_workerScenario == scenario && m_workerDatabase == database)
        return;
    start(std::move(scenario));
}

void PlanView::start(std::shared_ptr<const ScenarioConfig> scenario)
{
    m_workerScenario = scenario;
    m_workerDatabase = m_database->currentText();
    setNotice(tr("Planning: simulating the peak of every period for every candidate rule…"));
    m_workerProgress = std::make_shared<Progress>();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_jobs.start<Result<CapacityPlan>>(
        [scenario, database = m_workerDatabase.toStdString(), progress = m_workerProgress](
            const std::atomic<bool>& cancel) {
            Result<ScenarioConfig> own
                = database.empty() ? Result<ScenarioConfig>(*scenario) : businessDatabaseScenario(*scenario, database);
            if (!own)
                return Result<CapacityPlan>(fail(own.error()));
            PlanOptions options;
            options.cancel = &cancel;
            options.progress = [progress](int done, int total) {
                progress->total = total;
                progress->done = done;
            };
            return planCapacity(*own, options);
        },
        [this](Result<CapacityPlan> result) { finished(std::move(result)); });
}

bool PlanView::stoppedHere(const std::shared_ptr<const ScenarioConfig>& scenario, const QString& database) const
{
    return m_stoppedScenario && m_stoppedScenario == scenario && m_stoppedDatabase == database;
}

void PlanView::stopOrRestart()
{
    if (m_jobs.busy()) {
        // The planner polls the flag between simulations: the worker ends within a run, and its result is dropped.
        m_stoppedScenario = m_workerScenario;
        m_stoppedDatabase = m_workerDatabase;
        m_jobs.cancel();
        setNotice(tr("Planning was stopped. Press Plan to plan this scenario."));
        return;
    }
    m_stoppedScenario.reset();
    if (auto scenario = context()->scenarioPtr())
        start(std::move(scenario));
}

void PlanView::showBusy(bool busy)
{
    showInToolBar(m_progressAction, m_progress, busy);
    m_stop->setText(busy ? tr("Stop") : tr("Plan"));
    showInToolBar(m_stopAction, m_stop, busy || m_stoppedScenario != nullptr);
    if (busy)
        m_progressTimer->start();
    else
        m_progressTimer->stop();
}

void PlanView::showProgress()
{
    if (!m_workerProgress)
        return;
    const int total = m_workerProgress->total;
    if (total <= 0)
        return;
    m_progress->setRange(0, total);
    m_progress->setValue(m_workerProgress->done);
    m_progress->setToolTip(tr("%1 of %2 periods sized over every candidate rule").arg(m_progress->value()).arg(total));
}

void PlanView::finished(Result<CapacityPlan> result)
{
    m_planned = m_workerScenario;
    m_plannedDatabase = m_workerDatabase;
    m_hasPlanSection = m_planned && m_planned->plan.has_value();
    if (!result.ok()) {
        m_plan.reset();
        m_error = QString::fromStdString(result.error());
        setNotice(tr("Cannot plan this scenario: %1").arg(m_error));
    } else {
        m_plan = std::move(result.value());
        m_error.clear();
        show(*m_plan, m_hasPlanSection);
    }
    // The scenario, or the business database chosen, may have changed while the worker ran.
    if (context()->scenarioPtr() != m_planned || m_database->currentText() != m_plannedDatabase)
        requestRefresh();
}

void PlanView::show(const CapacityPlan& plan, bool planned)
{
    // The planner's own words, as `shardsim-cli plan` prints them among its notes.
    QString note = QString::fromUtf8(kNoPlanSectionNote.data(), qsizetype(kNoPlanSectionNote.size()));
    note[0] = note[0].toUpper();
    setNotice(planned ? QString() : note + QLatin1Char('.'));
    QString text;
    if (!plan.feasible) {
        text = tr("<b>No cluster meets the limits</b> (%1): %2")
                   .arg(QString::fromStdString(plan.recommended.bindingConstraint).toHtmlEscaped(),
                       QString::fromStdString(plan.reason).toHtmlEscaped());
    } else {
        const auto& r = plan.recommended;
        const QString type = r.nodeType == "node" ? QString() : QString::fromStdString(r.nodeType).toHtmlEscaped() + QLatin1Char(' ');
        // "8 nodes today → 10": the cluster as configured beside the recommendation.
        text = tr("%1 nodes today → <b>%2</b>. ").arg(plan.today.nodes).arg(r.nodes);
        text += tr("<b>%1</b> on <b>%2 %3nodes</b> now: %4 databases, %5 tables; bound by <b>%6</b>")
                   .arg(QString::fromStdString(r.rule).toHtmlEscaped())
                   .arg(r.nodes)
                   .arg(type)
                   .arg(r.databases)
                   .arg(r.tables)
                   .arg(QString::fromStdString(r.bindingConstraint));
        if (r.monthlyCost > 0)
            text += tr(", %1 per month").arg(QString::number(r.monthlyCost, 'f', 0));
        text += tr(". Horizon: %1, %2 reshard(s). Pre-split: %3.")
                    .arg(QString::fromStdString(plan.horizon))
                    .arg(plan.reshards.size())
                    .arg(QString::fromStdString(plan.preSplit.reason).toHtmlEscaped());
    }
    m_summary->setText(text);

    m_timeline->setRowCount(int(plan.timeline.size()));
    for (int row = 0; row < int(plan.timeline.size()); ++row) {
        const PlanPeriod& p = plan.timeline[size_t(row)];
        setRow(m_timeline, row,
            { QString::fromStdString(p.period), QString::number(p.nodes), QString::number(p.tables), count(p.peakQps),
                percent(p.peakUtilization), percent(p.failoverUtilization), percent(p.storageFraction),
                count(p.maxRowsPerTable), QString::fromStdString(p.bindingConstraint) });
    }
    keepColumnsWhole(m_timeline);
    m_alternatives->setRowCount(int(plan.alternatives.size()));
    for (int row = 0; row < int(plan.alternatives.size()); ++row) {
        const PlanAlternative& a = plan.alternatives[size_t(row)];
        setRow(m_alternatives, row,
            { QString::fromStdString(a.rule), QString::fromStdString(a.nodeType),
                a.feasible ? QString::number(a.nodes) : QStringLiteral("–"),
                !a.feasible               ? QStringLiteral("–")
                    : a.sizedUntil.empty() ? QString::number(a.finalNodes)
                                           : QStringLiteral("≥ %1").arg(a.finalNodes),
                QString::fromStdString(a.reason) });
    }
    m_alternatives->resizeColumnsToContents();
    m_alternatives->resizeRowsToContents();
    showChart(plan);
}

void PlanView::showChart(const CapacityPlan& plan)
{
    auto* chart = new QChart();
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setTitle(plan.feasible ? tr("Nodes per period by binding constraint, monthly cost, reshards")
                                  : tr("Infeasible: %1").arg(QString::fromStdString(plan.reason)));
    auto* nodes = new QLineSeries(chart);
    nodes->setName(tr("Nodes"));
    auto* cost = new QLineSeries(chart);
    cost->setName(tr("Monthly cost"));
    auto* reshards = new QScatterSeries(chart);
    reshards->setName(tr("Reshard"));
    reshards->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    reshards->setMarkerSize(15);
    // One marker series per binding constraint, so the legend says what bound each period.
    std::vector<std::pair<std::string, QScatterSeries*>> bindings;
    auto bindingSeries = [&](const std::string& name) {
        for (auto& [known, series] : bindings)
            if (known == name)
                return series;
        auto* series = new QScatterSeries(chart);
        series->setName(tr("bound by %1").arg(QString::fromStdString(name)));
        series->setMarkerSize(9);
        bindings.emplace_back(name, series);
        return series;
    };
    QStringList periods;
    double mostNodes = 1;
    double mostCost = 0;
    for (int i = 0; i < int(plan.timeline.size()); ++i) {
        const PlanPeriod& p = plan.timeline[size_t(i)];
        // "now", "Q3", "M7", "Y2": short enough for every period to keep its label.
        const auto space = p.period.find(' ');
        periods << (space == std::string::npos
                ? QString::fromStdString(p.period)
                : QString(QChar(p.period[0]).toUpper()) + QString::fromStdString(p.period.substr(space + 1)));
        nodes->append(i, p.nodes);
        cost->append(i, p.monthlyCost);
        bindingSeries(p.bindingConstraint)->append(i, p.nodes);
        mostNodes = std::max(mostNodes, double(p.nodes));
        mostCost = std::max(mostCost, p.monthlyCost);
    }
    for (const PlanReshard& reshard : plan.reshards)
        for (int i = 0; i < int(plan.timeline.size()); ++i)
            if (plan.timeline[size_t(i)].period == reshard.period)
                reshards->append(i, reshard.toNodes);
    auto* x = new QBarCategoryAxis(chart);
    x->append(periods.isEmpty() ? QStringList { tr("now") } : periods);
    auto* left = new QValueAxis(chart);
    left->setTitleText(tr("Nodes"));
    // Whole nodes on every tick (0 2 4, not 0 1 1 2 2): a step of 1, 2 or 5 times a power of ten, five or six ticks.
    const double rough = std::max(1.0, mostNodes * 1.15 / 6);
    const double power = std::pow(10.0, std::floor(std::log10(rough)));
    const double step = rough <= power ? power
        : rough <= 2 * power           ? 2 * power
        : rough <= 5 * power           ? 5 * power
                                       : 10 * power;
    left->setTickType(QValueAxis::TicksDynamic);
    left->setTickAnchor(0);
    left->setTickInterval(step);
    left->setRange(0, std::ceil(mostNodes * 1.15 / step) * step);
    left->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(left, Qt::AlignLeft);
    std::vector<QAbstractSeries*> onNodes { nodes, reshards };
    for (auto& [name, series] : bindings)
        onNodes.push_back(series);
    for (QAbstractSeries* series : onNodes) {
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(left);
    }
    applyPalette(chart, palette());
    if (mostCost > 0) {
        chart->addSeries(cost);
        auto* right = new QValueAxis(chart);
        right->setTitleText(tr("Cost per month"));
        // Cost follows the node count; a taller scale keeps the two lines apart.
        right->setRange(0, mostCost * 1.6);
        right->setLabelFormat(QStringLiteral("%.0f"));
        chart->addAxis(right, Qt::AlignRight);
        cost->attachAxis(x);
        cost->attachAxis(right);
        QPen pen(seriesColor(1));
        pen.setWidthF(1.6);
        pen.setStyle(Qt::DashLine);
        cost->setPen(pen);
    } else {
        delete cost;
    }
    QPen nodePen(seriesColor(0));
    nodePen.setWidthF(2.4);
    nodes->setPen(nodePen);
    reshards->setColor(Qt::transparent);
    reshards->setBorderColor(seriesColor(3));
    for (std::size_t i = 0; i < bindings.size(); ++i)
        bindings[i].second->setColor(seriesColor(int(i) + 4));
    QChart* old = m_chart->chart();
    m_chart->setChart(chart);
    delete old;
}

QString PlanView::csv() const
{
    if (!m_plan)
        return {};
    QString text = QStringLiteral("period,nodes,databases,tables,rule,binding_constraint,peak_qps,peak_utilization,"
                                  "failover_utilization,storage_fraction,max_rows_per_table,monthly_cost\n");
    for (const PlanPeriod& p : m_plan->timeline)
        text += QStringLiteral("%1,%2,%3,%4,\"%5\",%6,%7,%8,%9,%10,%11,%12\n")
                    .arg(QString::fromStdString(p.period))
                    .arg(p.nodes)
                    .arg(p.databases)
                    .arg(p.tables)
                    .arg(QString::fromStdString(p.rule))
                    .arg(QString::fromStdString(p.bindingConstraint))
                    .arg(p.peakQps)
                    .arg(p.peakUtilization)
                    .arg(p.failoverUtilization)
                    .arg(p.storageFraction)
                    .arg(p.maxRowsPerTable)
                    .arg(p.monthlyCost);
    if (m_plan->timeline.empty())
        text += QStringLiteral("now,,,,,%1,,,,,,\n").arg(QString::fromStdString(m_plan->recommended.bindingConstraint));
    return text;
}

} // namespace shardsim::ui
