#pragma once
// The common fields of a scenario as a form: nodes and capacity, the rule and its parameters, the key
// distribution and the rate shape. The form has no model of its own: it reads the editor's text and
// writes back into it (FieldEdit), so both always show the same document and share one undo stack.

#include <QTimer>
#include <QWidget>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTextDocument;

namespace shardsim::ui {

class ScenarioForm : public QWidget {
    Q_OBJECT
public:
    explicit ScenarioForm(QTextDocument* document, QWidget* parent = nullptr);

    // Rereads every field from the text now (the form also does it by itself shortly after each edit).
    void readFromText();

    // The fields, for tests and for keyboard navigation from the outside.
    QSpinBox* nodes() const { return m_nodes; }
    QLineEdit* maxQps() const { return m_maxQps; }
    QSpinBox* replication() const { return m_replication; }
    QComboBox* ruleName() const { return m_ruleName; }
    QLineEdit* ruleParams() const { return m_ruleParams; }
    QComboBox* distribution() const { return m_distribution; }
    QLineEdit* theta() const { return m_theta; }
    // Published skews as links under Theta ("0.99 YCSB", "1.28 Twitter median", ...); a click writes that theta.
    QLabel* thetaMarks() const { return m_thetaMarks; }
    QComboBox* shape() const { return m_shape; }
    QLineEdit* base() const { return m_base; }
    QLineEdit* peak() const { return m_peak; }

signals:
    void editFailed(const QString& message);

private:
    void setField(const QString& path, const QString& value);
    void setRule();
    void setDistribution(const QString& distribution);
    void setShape(const QString& shape);
    void setRateField(const QString& key, const QString& value);
    void setKeysField(const QString& key, const QString& value);
    void updateEnabled();
    QLineEdit* addText(QWidget* parent, const QString& path, const QString& tooltip);

    QTextDocument* m_document;
    QTimer m_readTimer;
    bool m_reading = false;

    QSpinBox* m_nodes;
    QLineEdit* m_maxQps;
    QLineEdit* m_storage;
    QSpinBox* m_replication;
    QComboBox* m_ruleName;
    QLineEdit* m_ruleParams;
    QLabel* m_ruleSynopsis;
    QComboBox* m_distribution;
    QLineEdit* m_theta;
    QLabel* m_thetaMarks;
    QLineEdit* m_hotFraction;
    QLineEdit* m_hotOps;
    QComboBox* m_shape;
    QLineEdit* m_base;
    QLineEdit* m_peak;
    QLabel* m_rateNote;
    QGroupBox* m_rateGroup;
    QLabel* m_ruleNote;
};

} // namespace shardsim::ui
