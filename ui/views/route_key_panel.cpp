#include "views/route_key_panel.h"

#include <algorithm>

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

#include "shardsim/rules/key.h"
#include "views/view_context.h"

namespace shardsim::ui {

RouteKeyPanel::RouteKeyPanel(ViewContext* context, QWidget* parent)
    : QWidget(parent)
    , m_context(context)
    , m_key(new QLineEdit(this))
    , m_type(new QComboBox(this))
    , m_database(new BusinessDatabaseChooser(this))
    , m_rule(new QLabel(this))
    , m_result(new QLabel(this))
    , m_details(new QLabel(this))
    , m_steps(new QListWidget(this))
{
    setObjectName(QStringLiteral("routeKey"));
    m_key->setPlaceholderText(tr("a key, e.g. 9527"));
    m_key->setClearButtonEnabled(true);
    m_key->setObjectName(QStringLiteral("routeKeyInput"));
    // The same readings as `shardsim-cli route --key-type`.
    m_type->addItem(tr("auto"), QStringLiteral("auto"));
    m_type->addItem(QStringLiteral("int32"), QStringLiteral("int32"));
    m_type->addItem(QStringLiteral("int64"), QStringLiteral("int64"));
    m_type->addItem(QStringLiteral("uint64"), QStringLiteral("uint64"));
    m_type->addItem(tr("string"), QStringLiteral("string"));
    m_type->addItem(tr("hex bytes"), QStringLiteral("hex"));
    m_type->setToolTip(
        tr("How the text is read: auto takes an integer literal as int64 and anything else as a string"));

    m_rule->setWordWrap(true);
    m_rule->setForegroundRole(QPalette::PlaceholderText);
    m_rule->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_result->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_result->setFont(big);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setWordWrap(true);
    m_steps->setWordWrap(true);
    m_steps->setAlternatingRowColors(true);
    m_steps->setFont(QFont(QStringLiteral("monospace")));

    m_database->setObjectName(QStringLiteral("routeKeyDatabase"));

    auto* input = new QHBoxLayout();
    input->addWidget(m_key, 1);
    input->addWidget(m_type);
    input->addWidget(m_database);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(input);
    layout->addWidget(m_rule);
    layout->addWidget(m_result);
    layout->addWidget(m_details);
    layout->addWidget(m_steps, 1);

    connect(m_key, &QLineEdit::textChanged, this, &RouteKeyPanel::route);
    // Only a key the user typed moves the selection; a scenario change must not.
    connect(m_key, &QLineEdit::textEdited, this, [this] {
        if (m_lastNode >= 0)
            m_context->setSelectedNode(m_lastNode);
    });
    connect(m_type, &QComboBox::currentIndexChanged, this, &RouteKeyPanel::route);
    connect(m_database, &QComboBox::currentIndexChanged, this, &RouteKeyPanel::route);
    connect(context, &ViewContext::scenarioChanged, this, [this] {
        m_database->setScenario(m_context->scenario());
        route();
    });
    m_database->setScenario(m_context->scenario());
    route();
}

void RouteKeyPanel::setKey(const QString& key) { m_key->setText(key); }

QString RouteKeyPanel::resultText() const { return m_result->text(); }

QStringList RouteKeyPanel::steps() const
{
    QStringList steps;
    for (int i = 0; i < m_steps->count(); ++i)
        steps.append(m_steps->item(i)->text());
    return steps;
}

void RouteKeyPanel::route()
{
    m_steps->clear();
    m_details->clear();
    m_lastNode = -1;
    const KeyRouter* router = m_context->layout().router(std::max(0, m_database->currentIndex()));
    if (!router) {
        m_rule->setText(m_context->scenario() ? QString::fromStdString(m_context->layout().error())
                                              : tr("Open a valid scenario to route keys through its rule."));
        m_result->clear();
        return;
    }
    const bool businessDatabases = m_database->count() > 0;
    if (businessDatabases)
        m_rule->setText(tr("Rule %1 · %2 logical shards of %3 on its own nodes")
                            .arg(QString::fromStdString(router->rule().spec()))
                            .arg(router->rule().shardCount())
                            .arg(m_database->currentText()));
    else
        m_rule->setText(tr("Rule %1 · %2 logical shards on %3 nodes")
                            .arg(QString::fromStdString(router->rule().spec()))
                            .arg(router->rule().shardCount())
                            .arg(router->nodes().size()));
    if (m_key->text().isEmpty() && !m_prefilled) {
        // The sources' example key, so the tool shows what it does before anyone types.
        m_prefilled = true;
        m_key->setText(QStringLiteral("9527"));
        return; // textChanged routes it
    }
    const QString text = m_key->text().trimmed();
    if (text.isEmpty()) {
        m_result->clear();
        return;
    }
    auto mode = parseKeyParseMode(m_type->currentData().toString().toStdString());
    auto key = mode ? parseKey(text.toStdString(), *mode) : Result<Key>(fail(mode.error()));
    if (!key) {
        m_result->setText(tr("Not a key: %1").arg(QString::fromStdString(key.error())));
        return;
    }
    auto routed = router->route(*key, true);
    if (!routed) {
        m_result->setText(tr("Cannot route: %1").arg(QString::fromStdString(routed.error())));
        return;
    }
    const QString shard = businessDatabases ? m_database->currentText() + QLatin1Char('/')
            + QString::fromStdString(routed->shardName)
                                            : QString::fromStdString(routed->shardName);
    m_result->setText(tr("%1 → %2 on %3")
                          .arg(QString::fromStdString(routed->key.display()), shard,
                              QString::fromStdString(routed->nodeName)));
    QStringList facts;
    facts << tr("logical shard %1 (0-based)").arg(routed->result.index);
    if (routed->result.db)
        facts << tr("database %1").arg(*routed->result.db);
    if (routed->result.table)
        facts << tr("table %1").arg(*routed->result.table);
    if (routed->result.hash)
        facts << tr("hash %1").arg(QString::fromStdString(*routed->result.hash));
    facts << tr("key type %1").arg(QString::fromStdString(std::string(keyTypeName(routed->key.type))));
    m_details->setText(facts.join(QStringLiteral(" · ")));
    for (const std::string& step : routed->steps)
        m_steps->addItem(QString::fromStdString(step));
    m_lastNode = routed->node;
}

} // namespace shardsim::ui
