#include "views/analyze_view.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>
#include <set>

#include "views/key_candidate_card.h"
#include "views/view_context.h"

namespace shardsim::ui {

namespace {

    QString text(const std::string& s) { return QString::fromStdString(s); }

    QListWidget* makeChoiceList(QWidget* parent, const QString& name)
    {
        auto* list = new QListWidget(parent);
        list->setObjectName(name);
        // One row of checkable names, scrolling sideways when they do not fit.
        list->setFlow(QListView::LeftToRight);
        list->setWrapping(false);
        list->setSpacing(2);
        list->setFixedHeight(list->fontMetrics().height() + 22);
        list->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
        list->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        return list;
    }

    void addChoice(QListWidget* list, const QString& label, const QString& value, bool checked)
    {
        auto* item = new QListWidgetItem(label, list);
        item->setData(Qt::UserRole, value);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    }

    std::vector<std::string> checked(const QListWidget* list)
    {
        std::vector<std::string> out;
        for (int i = 0; i < list->count(); ++i)
            if (list->item(i)->checkState() == Qt::Checked)
                out.push_back(list->item(i)->data(Qt::UserRole).toString().toStdString());
        return out;
    }

    // The table `shardsim-cli analyze` takes without --table: the first table of the first operation of the mix.
    std::string defaultTable(const ScenarioConfig& scenario)
    {
        const auto& mix = scenario.workload.mix;
        if (!mix.empty() && !mix.front().tables.empty())
            return mix.front().tables.front();
        return scenario.data.tables.empty() ? std::string() : scenario.data.tables.front().name;
    }

} // namespace

AnalyzeView::AnalyzeView(ViewContext* context, QWidget* parent)
    : AnalysisView(context, parent)
    , m_table(new QComboBox(this))
    , m_keys(makeChoiceList(this, QStringLiteral("analyzeKeys")))
    , m_rules(makeChoiceList(this, QStringLiteral("analyzeRules")))
    , m_ruleInput(new QLineEdit(this))
    , m_cardsPage(new QWidget(this))
    , m_cardsLayout(new QVBoxLayout(m_cardsPage))
{
    setObjectName(QStringLiteral("analyze"));
    setWindowTitle(tr("Analyze"));
    m_table->setObjectName(QStringLiteral("analyzeTable"));
    m_table->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_table->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed); // as wide as its longest name, not the view
    m_ruleInput->setObjectName(QStringLiteral("analyzeRuleInput"));
    m_ruleInput->setPlaceholderText(tr("another rule to try, e.g. hash-mod:n=4 — Enter adds it"));
    m_ruleInput->setClearButtonEnabled(true);
    m_keys->setToolTip(tr("Candidate shard keys: every checked column is tried with every checked rule"));
    m_rules->setToolTip(tr("Candidate rules; none checked: the scenario's sharding.rule"));

    auto* controls = new QFormLayout;
    controls->setContentsMargins(10, 8, 10, 4);
    controls->addRow(tr("&Table:"), m_table);
    controls->addRow(tr("&Keys:"), m_keys);
    controls->addRow(tr("&Rules:"), m_rules);
    controls->addRow(QString(), m_ruleInput);

    m_cardsLayout->setContentsMargins(10, 4, 10, 10);
    m_cardsLayout->setSpacing(10);
    m_cardsLayout->addStretch(1);
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("analyzeResults"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_cardsPage);

    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(scroll, 1);
    setContent(page);

    connect(m_table, &QComboBox::currentIndexChanged, this, [this] {
        listKeys();
        requestRefresh();
    });
    connect(m_keys, &QListWidget::itemChanged, this, &AnalyzeView::requestRefresh);
    connect(m_rules, &QListWidget::itemChanged, this, &AnalyzeView::requestRefresh);
    connect(m_ruleInput, &QLineEdit::returnPressed, this, &AnalyzeView::addRule);
    connect(&m_jobs, &JobRunner::busyChanged, this, [this](bool busy) {
        if (busy)
            setNotice(tr("Analysing the candidate keys…"));
    });
    // Only the scenario matters: a run does not change the analysis.
    connect(context, &ViewContext::scenarioChanged, this, &AnalyzeView::requestRefresh);
}

QList<KeyCandidateCard*> AnalyzeView::cards() const
{
    return m_cardsPage->findChildren<KeyCandidateCard*>(Qt::FindDirectChildrenOnly);
}

void AnalyzeView::refresh()
{
    auto scenario = context()->scenarioPtr();
    if (!scenario) {
        setNotice(tr("Open a valid scenario to analyse its shard keys."));
        return;
    }
    if (scenario != m_listed) {
        m_listed = scenario;
        listTables(*scenario);
        listRules(*scenario);
    }
    const Request wanted = request();
    if (wanted.keys.empty()) {
        setNotice(tr("Check at least one candidate key."));
        return;
    }
    if (m_analyzed == wanted && !m_jobs.busy()) {
        setNotice(m_error.isEmpty() ? QString() : tr("Cannot analyse: %1").arg(m_error));
        return;
    }
    if (m_jobs.busy() && m_working == wanted)
        return;
    start(wanted);
}

void AnalyzeView::listTables(const ScenarioConfig& scenario)
{
    const QString kept = m_table->currentText();
    const QSignalBlocker blocker(m_table);
    m_table->clear();
    // Only tables with a shard key of their own: a broadcast table or one bound to another has none.
    for (const TableConfig& table : scenario.data.tables)
        if (!table.broadcast && table.boundTo.empty())
            m_table->addItem(text(table.name));
    const int keptAt = m_table->findText(kept);
    const int defaultAt = m_table->findText(text(defaultTable(scenario)));
    m_table->setCurrentIndex(keptAt >= 0 ? keptAt : std::max(0, defaultAt));
    listKeys();
}

void AnalyzeView::listKeys()
{
    const std::vector<std::string> kept = checked(m_keys);
    const QSignalBlocker blocker(m_keys);
    m_keys->clear();
    const TableConfig* table = m_listed ? m_listed->data.findTable(m_table->currentText().toStdString()) : nullptr;
    if (!table)
        return;
    std::vector<std::string> columns { table->key, table->effectiveShardKey() };
    for (const ColumnSpec& column : table->columns)
        columns.push_back(column.name);
    std::set<std::string> listed;
    bool any = false;
    for (const std::string& column : columns)
        if (listed.insert(column).second) {
            const bool on = std::find(kept.begin(), kept.end(), column) != kept.end();
            any = any || on;
            addChoice(m_keys, text(column), text(column), on);
        }
    // Nothing kept (another table, or the first listing): the table's shard key, as the command line defaults.
    if (!any)
        for (int i = 0; i < m_keys->count(); ++i)
            if (m_keys->item(i)->text() == text(table->effectiveShardKey()))
                m_keys->item(i)->setCheckState(Qt::Checked);
}

void AnalyzeView::listRules(const ScenarioConfig& scenario)
{
    const QSignalBlocker blocker(m_rules);
    const QString spec = text(scenario.sharding.rule.toString());
    const QString label = tr("%1 (sharding.rule)").arg(spec);
    // The first item is always the scenario's own rule; the rules the user added stay after it.
    if (m_rules->count() == 0) {
        addChoice(m_rules, label, spec, true);
        return;
    }
    m_rules->item(0)->setText(label);
    m_rules->item(0)->setData(Qt::UserRole, spec);
}

void AnalyzeView::addRule()
{
    const QString spec = m_ruleInput->text().trimmed();
    if (spec.isEmpty())
        return;
    m_ruleInput->clear();
    for (int i = 0; i < m_rules->count(); ++i)
        if (m_rules->item(i)->data(Qt::UserRole).toString() == spec) {
            m_rules->item(i)->setCheckState(Qt::Checked);
            return;
        }
    addChoice(m_rules, spec, spec, true);
    m_rules->scrollToBottom();
    requestRefresh();
}

AnalyzeView::Request AnalyzeView::request() const
{
    return { context()->scenarioPtr(), m_table->currentText().toStdString(), checked(m_keys), checked(m_rules) };
}

void AnalyzeView::start(const Request& request)
{
    m_working = request;
    m_jobs.start<Result<ShardKeyAnalysis>>(
        [request](const std::atomic<bool>&) {
            return analyzeShardKeys(*request.scenario, request.table, request.keys, request.rules);
        },
        [this](Result<ShardKeyAnalysis> result) { finished(std::move(result)); });
}

void AnalyzeView::finished(Result<ShardKeyAnalysis> result)
{
    m_analyzed = m_working;
    m_working.reset();
    if (!result.ok()) {
        m_analysis.reset();
        m_error = text(result.error());
        setNotice(tr("Cannot analyse: %1").arg(m_error));
        showCards(ShardKeyAnalysis {});
    } else {
        m_analysis = std::move(result.value());
        m_error.clear();
        setNotice(QString());
        showCards(*m_analysis);
    }
    // The scenario or the choice may have changed while the worker ran.
    if (request() != m_analyzed)
        requestRefresh();
}

void AnalyzeView::showCards(const ShardKeyAnalysis& analysis)
{
    for (KeyCandidateCard* card : cards())
        delete card;
    int at = 0;
    for (const ShardKeyCandidate& candidate : analysis.candidates)
        m_cardsLayout->insertWidget(at++, new KeyCandidateCard(text(analysis.table), candidate, m_cardsPage));
}

QString AnalyzeView::csv() const
{
    if (!m_analysis)
        return {};
    QString out = QStringLiteral("table,key,rule,shards,cardinality,monotonicity,monotonic,reads_single_shard,"
                                 "reads_multi_shard,reads_scatter_gather,writes_single_shard,writes_multi_shard,"
                                 "writes_scatter_gather,hottest_shard_share,verdict\n");
    const auto quoted = [](const std::string& s) {
        return QLatin1Char('"') + text(s).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    };
    for (const ShardKeyCandidate& c : m_analysis->candidates)
        out += QStringList { text(m_analysis->table), text(c.key), quoted(c.rule), QString::number(c.shards),
            QString::number(c.cardinality), QString::number(c.monotonicity),
            c.monotonic ? QStringLiteral("true") : QStringLiteral("false"), QString::number(c.reads.singleShard),
            QString::number(c.reads.multiShard), QString::number(c.reads.scatterGather),
            QString::number(c.writes.singleShard), QString::number(c.writes.multiShard),
            QString::number(c.writes.scatterGather), QString::number(c.hottestShardShare), quoted(c.verdict) }
                   .join(QLatin1Char(','))
            + QLatin1Char('\n');
    return out;
}

} // namespace shardsim::ui
