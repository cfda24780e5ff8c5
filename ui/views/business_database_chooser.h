#pragma once
// A choice of one business database (data.databases) of the scenario, for the tools that work on one at a
// time: the route tool and the plan view. Hidden when the scenario has none.

#include <QComboBox>

#include "shardsim/scenario/scenario_config.h"

namespace shardsim::ui {

class BusinessDatabaseChooser : public QComboBox {
    Q_OBJECT
public:
    explicit BusinessDatabaseChooser(QWidget* parent = nullptr);

    // Lists the scenario's business databases, keeping the choice (and emitting nothing) when they are the
    // same as before; shows itself when there are any. Returns whether there are.
    bool setScenario(const ScenarioConfig* scenario);
};

} // namespace shardsim::ui
