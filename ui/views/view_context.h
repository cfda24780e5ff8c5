#pragma once
// What every view looks at: the scenario, the current run's snapshot, the tick the playback slider
// selects and the selected node. Views read it and listen to it; none of them knows another.

#include <QObject>

#include <map>
#include <memory>
#include <optional>

#include "models/scenario_layout.h"
#include "shardsim/common/diagnostic.h"
#include "workers/run_snapshot.h"

namespace shardsim::ui {

// A moment of a run as a person writes it: "peak" (the tick of the highest offered load), a tick ("120"), a time on
// the clock ("00:30", "1:30:00": the time of day when the scenario has a `start:`, else the time since the start) or
// a duration since the start ("90m", "1h30m"). The tick, or none with `error` saying why.
std::optional<int64_t> tickOfMoment(const QString& text, const RunSnapshot& snapshot, QString* error = nullptr);

class ViewContext : public QObject {
    Q_OBJECT
public:
    explicit ViewContext(QObject* parent = nullptr);

    // The last valid scenario; a broken edit keeps the previous one so the views stay readable.
    void setScenario(std::shared_ptr<const ScenarioConfig> scenario);
    const ScenarioConfig* scenario() const { return m_scenario.get(); }
    std::shared_ptr<const ScenarioConfig> scenarioPtr() const { return m_scenario; }
    const ScenarioLayout& layout() const { return m_layout; }

    void setSnapshot(RunSnapshotPtr snapshot);
    const RunSnapshotPtr& snapshot() const { return m_snapshot; }

    // The tick the views show; follows the newest tick of a running simulation until the user moves it.
    void setTick(int64_t tick);
    int64_t tick() const { return m_tick; }
    // How moments read: the run's clock, else the scenario's (the time of day when it has a `start:`).
    RunClock clock() const;
    // Whether the selected tick is the finished run's peak (its highest offered load).
    bool atPeak() const;
    // The snapshot's window at the selected tick, or none before the first tick.
    const TickWindow* window() const { return m_snapshot ? m_snapshot->windowAt(m_tick) : nullptr; }

    void setSelectedNode(int node); // -1 selects none
    int selectedNode() const { return m_selectedNode; }

    // The current text's problems; empty when it is valid. The views keep showing the last valid
    // scenario meanwhile, and say so.
    void setProblems(const Diagnostics& problems);
    const Diagnostics& problems() const { return m_problems; }

    // Nodes by name and region: the run's when there is one (it knows added nodes), else the scenario's.
    const std::vector<NodeInfo>& nodes() const;

    // The run history file the history view lists and runs are recorded into; empty when there is none.
    void setHistoryPath(const QString& path);
    const QString& historyPath() const { return m_historyPath; }

    // Charts report their plot width; the worker decimates for the narrowest, so no chart receives
    // more points than it has pixels.
    void reportPlotWidth(const QObject* chart, int width);
    int plotWidth() const { return m_plotWidth; }

    // A view asks the window to show a stored run: its scenario text in the editor, its numbers in the views.
    void requestReopen(qint64 runId) { emit reopenRequested(runId); }
    // A view changed the history (deleted a run); the others reread it.
    void notifyHistoryChanged() { emit historyChanged(); }

signals:
    void scenarioChanged(); // also when only the problems changed
    void snapshotChanged();
    void tickChanged(qint64 tick);
    void selectedNodeChanged(int node);
    void plotWidthChanged(int width);
    void historyChanged(); // a run was recorded, or the history file changed
    void reopenRequested(qint64 runId);

private:
    std::shared_ptr<const ScenarioConfig> m_scenario;
    ScenarioLayout m_layout;
    RunSnapshotPtr m_snapshot;
    Diagnostics m_problems;
    int64_t m_tick = 0;
    bool m_tickChosen = false; // setTick() was called since setSnapshot() began announcing a snapshot
    int m_selectedNode = -1;
    QString m_historyPath;
    int64_t m_lastRecordedRun = 0;
    std::map<const QObject*, int> m_plotWidths;
    int m_plotWidth = 640; // pixels the worker decimates for
};

} // namespace shardsim::ui
