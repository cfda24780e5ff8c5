#pragma once
// "Route a key": type a key and see the logical database, table, shard and node it lands on under the
// scenario's rule and placement, with the core's explanation of every step.

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;

#include "views/business_database_chooser.h"

namespace shardsim::ui {

class ViewContext;

class RouteKeyPanel : public QWidget {
    Q_OBJECT
public:
    explicit RouteKeyPanel(ViewContext* context, QWidget* parent = nullptr);

    void setKey(const QString& key);
    QString resultText() const; // "9527 → db1.t_7 on node-1"
    QStringList steps() const;

private:
    void route();

    ViewContext* m_context;
    QLineEdit* m_key;
    QComboBox* m_type;
    BusinessDatabaseChooser* m_database; // the business database whose router routes the key
    QLabel* m_rule;
    QLabel* m_result;
    QLabel* m_details;
    QListWidget* m_steps;
    int m_lastNode = -1; // where the current key lands; selected when the user typed it
    bool m_prefilled = false;
};

} // namespace shardsim::ui
