#include "views/view_registry.h"

#include <QStringList>

namespace shardsim::ui {

void ViewRegistry::add(ViewInfo info) { m_views.push_back(std::move(info)); }

const ViewInfo* ViewRegistry::find(const QString& id) const
{
    for (const ViewInfo& info : m_views)
        if (info.id == id)
            return &info;
    return nullptr;
}

QStringList ViewRegistry::ids() const
{
    QStringList ids;
    for (const ViewInfo& info : m_views)
        ids.append(info.id);
    return ids;
}

} // namespace shardsim::ui
