#include "workers/run_snapshot.h"

#include <QCoreApplication>

#include <algorithm>

namespace shardsim::ui {

QString runPhaseName(RunPhase phase)
{
    switch (phase) {
    case RunPhase::Running:
        return QCoreApplication::translate("RunSnapshot", "running");
    case RunPhase::Paused:
        return QCoreApplication::translate("RunSnapshot", "paused");
    case RunPhase::Finished:
        return QCoreApplication::translate("RunSnapshot", "finished");
    case RunPhase::Cancelled:
        return QCoreApplication::translate("RunSnapshot", "stopped");
    case RunPhase::Failed:
        return QCoreApplication::translate("RunSnapshot", "failed");
    }
    return {};
}

int RunSnapshot::windowIndexOf(int64_t tick) const
{
    if (windows.empty())
        return -1;
    // Every window but the last holds exactly `windowTicks` ticks.
    const int64_t index = std::max<int64_t>(0, tick) / std::max<int64_t>(1, windowTicks);
    return static_cast<int>(std::min<int64_t>(index, static_cast<int64_t>(windows.size()) - 1));
}

const TickWindow* RunSnapshot::windowAt(int64_t tick) const
{
    const int index = windowIndexOf(tick);
    return index < 0 ? nullptr : windows[static_cast<size_t>(index)].get();
}

} // namespace shardsim::ui
