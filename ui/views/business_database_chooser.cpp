#include "views/business_database_chooser.h"

#include <QSignalBlocker>

namespace shardsim::ui {

BusinessDatabaseChooser::BusinessDatabaseChooser(QWidget* parent)
    : QComboBox(parent)
{
    setToolTip(tr("The business database to work on: each one is sharded on its own nodes"));
    hide();
}

bool BusinessDatabaseChooser::setScenario(const ScenarioConfig* scenario)
{
    QStringList names;
    if (scenario)
        for (const BusinessDatabase& database : scenario->data.databases)
            names.append(QString::fromStdString(database.name));
    QStringList current;
    for (int i = 0; i < count(); ++i)
        current.append(itemText(i));
    if (names != current) {
        const QSignalBlocker blocker(this);
        clear();
        addItems(names);
    }
    setVisible(!names.isEmpty());
    return !names.isEmpty();
}

} // namespace shardsim::ui
