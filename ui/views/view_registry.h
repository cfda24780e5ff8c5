#pragma once
// The analysis views the window offers, each one class plugged in by id. The window makes a dock
// for every registered view; a new view is a new class and one line in registerBuiltInViews().

#include <QString>

#include <functional>
#include <vector>

class QWidget;

namespace shardsim::ui {

class AnalysisView;
class ViewContext;

struct ViewInfo {
    QString id; // "load": the --view name and the dock's object name
    QString title; // "Load"
    QString description; // one line for tooltips and --help
    std::function<AnalysisView*(ViewContext* context, QWidget* parent)> create;
};

class ViewRegistry {
public:
    void add(ViewInfo info);
    const std::vector<ViewInfo>& views() const { return m_views; }
    const ViewInfo* find(const QString& id) const;
    QStringList ids() const;

private:
    std::vector<ViewInfo> m_views;
};

// Overview, cluster, load, heat map, migration, compare and history, in that order.
void registerBuiltInViews(ViewRegistry& registry);

} // namespace shardsim::ui
