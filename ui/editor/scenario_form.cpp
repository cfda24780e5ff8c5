#include "editor/scenario_form.h"

#include <algorithm>

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTextDocument>
#include <QVBoxLayout>

#include "commands/field_edit.h"
#include "editor/yaml_locator.h"
#include "shardsim/rules/rule_factory.h"
#include "shardsim/workload/workload_presets.h"

namespace shardsim::ui {

namespace {

    // One link per distinct Zipf skew among the workload presets, named by the presets that use it.
    QString thetaMarksText()
    {
        std::vector<std::pair<double, QStringList>> marks;
        for (const auto& preset : workload::workloadPresets()) {
            if (preset.keys.kind == KeyDistributionKind::Hotspot)
                continue;
            const QString name = QString::fromUtf8(preset.name.data(), static_cast<qsizetype>(preset.name.size()));
            auto mark = std::find_if(
                marks.begin(), marks.end(), [&](const auto& m) { return m.first == preset.keys.theta; });
            if (mark == marks.end())
                marks.push_back({ preset.keys.theta, { name } });
            else
                mark->second << name;
        }
        std::sort(marks.begin(), marks.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        QStringList links;
        for (const auto& [theta, names] : marks) {
            const QString who = names.size() == 1
                ? names.front()
                : QStringLiteral("%1 and %2 more").arg(names.front()).arg(names.size() - 1);
            links << QStringLiteral("<a href=\"%1\">%1</a> %2").arg(QString::number(theta), who.toHtmlEscaped());
        }
        return links.join(QStringLiteral(" · "));
    }
    // The keys each choice takes: a key another choice takes is removed when the choice changes, because
    // the reader rejects keys that do not apply.
    const QStringList kShapeKeys { QStringLiteral("peak"), QStringLiteral("at"), QStringLiteral("ramp"),
        QStringLiteral("hold"), QStringLiteral("decay"), QStringLiteral("peak_hour"), QStringLiteral("points") };
    QStringList keysOfShape(const QString& shape)
    {
        if (shape == QLatin1String("diurnal"))
            return { QStringLiteral("peak"), QStringLiteral("peak_hour") };
        if (shape == QLatin1String("double-11"))
            return { QStringLiteral("peak"), QStringLiteral("at"), QStringLiteral("ramp"), QStringLiteral("hold"),
                QStringLiteral("decay") };
        if (shape == QLatin1String("points"))
            return { QStringLiteral("points") };
        return {};
    }
    const QStringList kDistributionKeys { QStringLiteral("theta"), QStringLiteral("hot_fraction"),
        QStringLiteral("hot_ops"), QStringLiteral("at"), QStringLiteral("drift"), QStringLiteral("file"),
        QStringLiteral("window"), QStringLiteral("share"), QStringLiteral("keys") };
    QStringList keysOfDistribution(const QString& distribution)
    {
        if (distribution == QLatin1String("zipf") || distribution == QLatin1String("scrambled-zipf")
            || distribution == QLatin1String("latest"))
            return { QStringLiteral("theta") };
        if (distribution == QLatin1String("hotspot"))
            return { QStringLiteral("hot_fraction"), QStringLiteral("hot_ops"), QStringLiteral("at"),
                QStringLiteral("drift") };
        if (distribution == QLatin1String("trace") || distribution == QLatin1String("sample"))
            return { QStringLiteral("file") };
        if (distribution == QLatin1String("recent"))
            return { QStringLiteral("window"), QStringLiteral("share"), QStringLiteral("keys") };
        return {};
    }

    void setText(QLineEdit* edit, const QString& text)
    {
        // Never overwrite what the user is typing; the field is written back when they leave it.
        if (!edit->hasFocus() && edit->text() != text)
            edit->setText(text);
    }

    void setCombo(QComboBox* combo, const QString& text)
    {
        if (combo->currentText() == text)
            return;
        int index = combo->findText(text);
        if (index < 0 && !text.isEmpty()) {
            combo->addItem(text);
            index = combo->count() - 1;
        }
        combo->setCurrentIndex(index);
    }
}

ScenarioForm::ScenarioForm(QTextDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
{
    setObjectName(QStringLiteral("scenarioForm"));
    auto* layout = new QVBoxLayout(this);

    auto* cluster = new QGroupBox(tr("Cluster"), this);
    auto* clusterForm = new QFormLayout(cluster);
    m_nodes = new QSpinBox(cluster);
    // 0 is shown as written; the check under the editor says why it is wrong.
    m_nodes->setRange(0, 100'000);
    m_nodes->setKeyboardTracking(false);
    m_nodes->setToolTip(tr("cluster.nodes: nodes at the start"));
    m_maxQps = addText(cluster, QStringLiteral("cluster.node.max_qps"), tr("requests/s one node serves at 100%: 20K"));
    m_storage = addText(cluster, QStringLiteral("cluster.node.storage"), tr("disk per node: 2TB"));
    m_replication = new QSpinBox(cluster);
    m_replication->setRange(0, 100);
    m_replication->setKeyboardTracking(false);
    m_replication->setToolTip(tr("cluster.replication: copies of every shard, on different nodes"));
    clusterForm->addRow(tr("&Nodes"), m_nodes);
    clusterForm->addRow(tr("&Capacity per node"), m_maxQps);
    clusterForm->addRow(tr("S&torage per node"), m_storage);
    clusterForm->addRow(tr("&Replication"), m_replication);
    layout->addWidget(cluster);

    auto* rule = new QGroupBox(tr("Shard rule"), this);
    auto* ruleForm = new QFormLayout(rule);
    m_ruleName = new QComboBox(rule);
    for (const RuleInfo& info : ruleCatalog())
        m_ruleName->addItem(QString::fromStdString(info.name), QString::fromStdString(info.synopsis));
    m_ruleName->setToolTip(tr("sharding.rule: the rule's name"));
    m_ruleParams = new QLineEdit(rule);
    m_ruleParams->setPlaceholderText(tr("param=value,param=value"));
    m_ruleParams->setToolTip(tr("sharding.rule: the rule's parameters; lists are separated by |"));
    m_ruleSynopsis = new QLabel(rule);
    m_ruleSynopsis->setForegroundRole(QPalette::PlaceholderText);
    m_ruleSynopsis->setWordWrap(true);
    m_ruleNote = new QLabel(rule);
    m_ruleNote->setWordWrap(true);
    m_ruleNote->hide();
    ruleForm->addRow(tr("R&ule"), m_ruleName);
    ruleForm->addRow(tr("&Parameters"), m_ruleParams);
    ruleForm->addRow(QString(), m_ruleSynopsis);
    ruleForm->addRow(m_ruleNote);
    layout->addWidget(rule);

    auto* keys = new QGroupBox(tr("Keys"), this);
    auto* keysForm = new QFormLayout(keys);
    m_distribution = new QComboBox(keys);
    m_distribution->addItems({ QStringLiteral("uniform"), QStringLiteral("zipf"), QStringLiteral("scrambled-zipf"),
        QStringLiteral("hotspot"), QStringLiteral("latest"), QStringLiteral("trace"), QStringLiteral("sample"),
        QStringLiteral("recent") });
    m_distribution->setToolTip(tr("workload.keys.distribution: which keys the requests hit"));
    m_theta = addText(keys, QString(), tr("skew: rank r has probability ∝ 1/r^theta; 0.99 is YCSB's"));
    m_hotFraction = addText(keys, QString(), tr("part of the key space that is hot: 20%"));
    m_hotOps = addText(keys, QString(), tr("part of the requests sent to the hot keys: 80%"));
    keysForm->addRow(tr("&Distribution"), m_distribution);
    keysForm->addRow(tr("T&heta"), m_theta);
    m_thetaMarks = new QLabel(thetaMarksText(), keys);
    m_thetaMarks->setWordWrap(true);
    m_thetaMarks->setToolTip(tr("the skews of published workloads (workload.preset); click one to use it"));
    keysForm->addRow(QString(), m_thetaMarks);
    keysForm->addRow(tr("Hot &fraction"), m_hotFraction);
    keysForm->addRow(tr("Hot &ops"), m_hotOps);
    layout->addWidget(keys);

    m_rateGroup = new QGroupBox(tr("Request rate"), this);
    auto* rateForm = new QFormLayout(m_rateGroup);
    m_shape = new QComboBox(m_rateGroup);
    m_shape->addItems({ QStringLiteral("constant"), QStringLiteral("diurnal"), QStringLiteral("double-11"),
        QStringLiteral("points") });
    m_shape->setToolTip(tr("workload.rate.shape: how the rate moves over time"));
    m_base = addText(m_rateGroup, QString(), tr("the normal rate (diurnal: the trough): 50K/s"));
    m_peak = addText(m_rateGroup, QString(), tr("the top, over base: 30x"));
    m_rateNote = new QLabel(m_rateGroup);
    m_rateNote->setWordWrap(true);
    m_rateNote->hide();
    rateForm->addRow(tr("Sh&ape"), m_shape);
    rateForm->addRow(tr("&Base"), m_base);
    rateForm->addRow(tr("P&eak"), m_peak);
    rateForm->addRow(m_rateNote);
    layout->addWidget(m_rateGroup);
    layout->addStretch(1);

    connect(m_nodes, &QSpinBox::valueChanged, this,
        [this](int value) { setField(QStringLiteral("cluster.nodes"), QString::number(value)); });
    connect(m_replication, &QSpinBox::valueChanged, this,
        [this](int value) { setField(QStringLiteral("cluster.replication"), QString::number(value)); });
    connect(m_ruleName, &QComboBox::activated, this, [this] { setRule(); });
    connect(m_ruleParams, &QLineEdit::editingFinished, this, [this] { setRule(); });
    connect(m_ruleName, &QComboBox::currentIndexChanged, this,
        [this] { m_ruleSynopsis->setText(m_ruleName->currentData().toString()); });
    connect(m_distribution, &QComboBox::activated, this, [this] { setDistribution(m_distribution->currentText()); });
    connect(
        m_theta, &QLineEdit::editingFinished, this, [this] { setKeysField(QStringLiteral("theta"), m_theta->text()); });
    connect(m_thetaMarks, &QLabel::linkActivated, this, [this](const QString& theta) {
        m_theta->setText(theta);
        setKeysField(QStringLiteral("theta"), theta);
    });
    connect(m_hotFraction, &QLineEdit::editingFinished, this,
        [this] { setKeysField(QStringLiteral("hot_fraction"), m_hotFraction->text()); });
    connect(m_hotOps, &QLineEdit::editingFinished, this,
        [this] { setKeysField(QStringLiteral("hot_ops"), m_hotOps->text()); });
    connect(m_shape, &QComboBox::activated, this, [this] { setShape(m_shape->currentText()); });
    connect(
        m_base, &QLineEdit::editingFinished, this, [this] { setRateField(QStringLiteral("base"), m_base->text()); });
    connect(
        m_peak, &QLineEdit::editingFinished, this, [this] { setRateField(QStringLiteral("peak"), m_peak->text()); });

    // Typing in the editor updates the form once the typing pauses.
    m_readTimer.setSingleShot(true);
    m_readTimer.setInterval(150);
    connect(&m_readTimer, &QTimer::timeout, this, &ScenarioForm::readFromText);
    connect(document, &QTextDocument::contentsChanged, &m_readTimer, qOverload<>(&QTimer::start));
    readFromText();
}

QLineEdit* ScenarioForm::addText(QWidget* parent, const QString& path, const QString& tooltip)
{
    auto* edit = new QLineEdit(parent);
    edit->setToolTip(tooltip);
    edit->setPlaceholderText(tr("default"));
    if (!path.isEmpty())
        connect(
            edit, &QLineEdit::editingFinished, this, [this, edit, path] { setField(path, edit->text().trimmed()); });
    return edit;
}

void ScenarioForm::readFromText()
{
    m_readTimer.stop();
    m_reading = true;
    const YamlLocator yaml(m_document->toPlainText());
    auto scalar = [&yaml](const QString& path) {
        const auto value = yaml.find(path);
        return value && value->scalar ? value->text : QString();
    };
    bool ok = false;
    if (const int nodes = scalar(QStringLiteral("cluster.nodes")).toInt(&ok); ok && !m_nodes->hasFocus())
        m_nodes->setValue(nodes);
    const QString replication = scalar(QStringLiteral("cluster.replication"));
    if (!m_replication->hasFocus())
        m_replication->setValue(replication.isEmpty() ? 1 : replication.toInt());
    setText(m_maxQps, scalar(QStringLiteral("cluster.node.max_qps")));
    setText(m_storage, scalar(QStringLiteral("cluster.node.storage")));

    // The rule: an inline spec is editable here; the mapping form is left to the text.
    const auto rule = yaml.find(QStringLiteral("sharding.rule"));
    const bool inlineRule = rule && rule->scalar;
    m_ruleName->setEnabled(inlineRule);
    m_ruleParams->setEnabled(inlineRule);
    m_ruleNote->setVisible(rule && !inlineRule);
    m_ruleNote->setText(tr("The rule is written as a mapping: edit it in the text."));
    if (inlineRule) {
        const qsizetype colon = rule->text.indexOf(QLatin1Char(':'));
        setCombo(m_ruleName, colon < 0 ? rule->text : rule->text.left(colon));
        setText(m_ruleParams, colon < 0 ? QString() : rule->text.mid(colon + 1));
    } else if (rule && rule->mapping) {
        // Shown, not editable: the name is the useful part, the parameters are in the text.
        setCombo(m_ruleName, scalar(QStringLiteral("sharding.rule.name")));
        m_ruleParams->clear();
    }

    // Keys: `keys: zipf` or `keys: { distribution: zipf, ... }`.
    const auto keys = yaml.find(QStringLiteral("workload.keys"));
    const QString distribution = !keys ? QStringLiteral("uniform")
        : keys->scalar                 ? keys->text
                                       : scalar(QStringLiteral("workload.keys.distribution"));
    setCombo(m_distribution, distribution.isEmpty() ? QStringLiteral("uniform") : distribution);
    setText(m_theta, scalar(QStringLiteral("workload.keys.theta")));
    setText(m_hotFraction, scalar(QStringLiteral("workload.keys.hot_fraction")));
    setText(m_hotOps, scalar(QStringLiteral("workload.keys.hot_ops")));

    // Rate: `rate: 50K/s` (constant), one shape as a mapping, or a list the form leaves alone.
    const auto rate = yaml.find(QStringLiteral("workload.rate"));
    const bool editable = rate && (rate->scalar || rate->mapping);
    for (QWidget* field :
        { static_cast<QWidget*>(m_shape), static_cast<QWidget*>(m_base), static_cast<QWidget*>(m_peak) })
        field->setEnabled(editable);
    m_rateNote->setVisible(rate && !editable);
    m_rateNote->setText(tr("The rate stacks several shapes: edit it in the text."));
    if (rate && !editable) {
        m_shape->setCurrentIndex(-1);
        m_base->clear();
        m_peak->clear();
    } else if (rate && rate->scalar) {
        setCombo(m_shape, QStringLiteral("constant"));
        setText(m_base, rate->text);
        setText(m_peak, QString());
    } else if (rate && rate->mapping) {
        const QString shape = scalar(QStringLiteral("workload.rate.shape"));
        setCombo(m_shape, shape.isEmpty() ? QStringLiteral("constant") : shape);
        setText(m_base, scalar(QStringLiteral("workload.rate.base")));
        setText(m_peak, scalar(QStringLiteral("workload.rate.peak")));
    }
    updateEnabled();
    m_reading = false;
}

void ScenarioForm::updateEnabled()
{
    const QStringList keyFields = keysOfDistribution(m_distribution->currentText());
    m_theta->setEnabled(keyFields.contains(QStringLiteral("theta")));
    m_hotFraction->setEnabled(keyFields.contains(QStringLiteral("hot_fraction")));
    m_hotOps->setEnabled(keyFields.contains(QStringLiteral("hot_ops")));
    if (m_shape->isEnabled())
        m_peak->setEnabled(keysOfShape(m_shape->currentText()).contains(QStringLiteral("peak")));
}

void ScenarioForm::setField(const QString& path, const QString& value)
{
    if (m_reading || value.isEmpty())
        return;
    FieldEdit edit(m_document);
    if (!edit.set(path, value))
        emit editFailed(edit.error());
}

void ScenarioForm::setRule()
{
    if (m_reading)
        return;
    const QString params = m_ruleParams->text().trimmed();
    setField(QStringLiteral("sharding.rule"),
        params.isEmpty() ? m_ruleName->currentText() : m_ruleName->currentText() + QLatin1Char(':') + params);
}

void ScenarioForm::setKeysField(const QString& key, const QString& value)
{
    if (m_reading || value.trimmed().isEmpty())
        return;
    FieldEdit edit(m_document);
    const YamlLocator yaml(m_document->toPlainText());
    const auto keys = yaml.find(QStringLiteral("workload.keys"));
    if (keys && keys->scalar) {
        // `keys: zipf` has nowhere to put a parameter: it becomes a mapping first.
        edit.replace(QStringLiteral("workload.keys"),
            QStringLiteral("{ distribution: %1, %2: %3 }")
                .arg(keys->text, key, YamlLocator::scalarText(value.trimmed(), true)));
        return;
    }
    if (!edit.set(QStringLiteral("workload.keys.") + key, value.trimmed()))
        emit editFailed(edit.error());
}

void ScenarioForm::setDistribution(const QString& distribution)
{
    if (m_reading)
        return;
    FieldEdit edit(m_document);
    const YamlLocator yaml(m_document->toPlainText());
    const auto keys = yaml.find(QStringLiteral("workload.keys"));
    if (keys && keys->scalar) {
        edit.set(QStringLiteral("workload.keys"), distribution);
    } else {
        const QStringList keep = keysOfDistribution(distribution);
        for (const QString& key : kDistributionKeys)
            if (!keep.contains(key))
                edit.remove(QStringLiteral("workload.keys.") + key);
        if (!edit.set(QStringLiteral("workload.keys.distribution"), distribution))
            emit editFailed(edit.error());
    }
    updateEnabled();
}

void ScenarioForm::setRateField(const QString& key, const QString& value)
{
    if (m_reading || value.trimmed().isEmpty())
        return;
    FieldEdit edit(m_document);
    const YamlLocator yaml(m_document->toPlainText());
    const auto rate = yaml.find(QStringLiteral("workload.rate"));
    if (rate && rate->scalar) {
        if (key == QLatin1String("base"))
            edit.set(QStringLiteral("workload.rate"), value.trimmed());
        return; // a constant rate has no peak
    }
    if (!edit.set(QStringLiteral("workload.rate.") + key, value.trimmed()))
        emit editFailed(edit.error());
}

void ScenarioForm::setShape(const QString& shape)
{
    if (m_reading)
        return;
    FieldEdit edit(m_document);
    const YamlLocator yaml(m_document->toPlainText());
    const auto rate = yaml.find(QStringLiteral("workload.rate"));
    if (rate && rate->scalar) {
        if (shape != QLatin1String("constant"))
            edit.replace(QStringLiteral("workload.rate"),
                QStringLiteral("{ shape: %1, base: %2 }").arg(shape, YamlLocator::scalarText(rate->text, true)));
    } else {
        const QStringList keep = keysOfShape(shape);
        for (const QString& key : kShapeKeys)
            if (!keep.contains(key))
                edit.remove(QStringLiteral("workload.rate.") + key);
        if (!edit.set(QStringLiteral("workload.rate.shape"), shape))
            emit editFailed(edit.error());
    }
    updateEnabled();
}

} // namespace shardsim::ui
