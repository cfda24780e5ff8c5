#pragma once
// The scenario as the core understood it: sections of label/value rows, or the reason there is none.

#include <QTreeWidget>

#include "shardsim/scenario/scenario_reader.h"

namespace shardsim::ui {

class OutlineView : public QTreeWidget {
    Q_OBJECT
public:
    explicit OutlineView(QWidget* parent = nullptr);
    void showLoad(const ScenarioLoad& load);
};

} // namespace shardsim::ui
