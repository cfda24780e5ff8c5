#include "views/outline_view.h"

#include <QHeaderView>

#include "charts/chart_style.h"
#include "shardsim/report/scenario_outline.h"

namespace shardsim::ui {

OutlineView::OutlineView(QWidget* parent)
    : QTreeWidget(parent)
{
    setColumnCount(2);
    setHeaderLabels({ tr("Scenario"), tr("Value") });
    setAlternatingRowColors(true);
    setRootIsDecorated(true);
    setUniformRowHeights(true);
    setWordWrap(false);
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    header()->setStretchLastSection(true);
}

void OutlineView::showLoad(const ScenarioLoad& load)
{
    clear();
    if (!load.ok()) {
        auto* item = new QTreeWidgetItem(this,
            { tr("Invalid scenario"),
                countText(static_cast<qint64>(load.diagnostics.size()), tr("problem"), tr("problems"))
                    + tr(": see Problems") });
        item->setForeground(1, palette().color(QPalette::PlaceholderText));
        return;
    }
    auto* title = new QTreeWidgetItem(
        this, { QString::fromStdString(load.config->name), QString::fromStdString(load.config->description) });
    QFont bold = title->font(0);
    bold.setBold(true);
    title->setFont(0, bold);
    for (const OutlineSection& section : outlineScenario(*load.config)) {
        auto* sectionItem = new QTreeWidgetItem(this, { QString::fromStdString(section.title) });
        sectionItem->setFont(0, bold);
        for (const auto& [label, value] : section.rows) {
            auto* row
                = new QTreeWidgetItem(sectionItem, { QString::fromStdString(label), QString::fromStdString(value) });
            row->setToolTip(1, row->text(1));
        }
    }
    expandAll();
}

} // namespace shardsim::ui
