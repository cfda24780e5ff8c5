#pragma once
// Every node as a tile coloured by its offered load (utilisation; above 100% what it was asked for, not what it
// served), grouped under its region. Tiles shrink as the cluster grows (a thousand nodes still fit a screen or two
// and the parent scroll area scrolls); hovering shows the numbers, clicking selects the node.

#include <QStaticText>
#include <QWidget>

#include <vector>

#include "models/node_table_model.h"
#include "shardsim/scenario/scenario_config.h"

namespace shardsim::ui {

// What became of a node by the selected moment, beside its load: failed ones must not look like idle ones.
struct NodeStatus {
    enum class State { Up, Failed, CatchingUp, Recovered };
    State state = State::Up;
    double since = -1; // s: when it failed, recovered, or its re-replication started
    QString takeover; // Failed: the node that took over its data, when the run says
    double progress = -1; // 0..1: the re-replication the node is part of (rebuilding its copies or receiving them)
    RunClock clock; // how `since` reads: the run's (or the scenario's) clock
};

// Each of `nodes` nodes' status at `seconds`: failures and recoveries from the scenario's events, the takeover node and
// the re-replications from the run's result when it has one.
std::vector<NodeStatus> nodeStatusesAt(
    const ScenarioConfig* scenario, const RunResult* result, double seconds, size_t nodes);

class NodeTilesWidget : public QWidget {
    Q_OBJECT
public:
    explicit NodeTilesWidget(QWidget* parent = nullptr);

    // `hasValues` false before a run: tiles show names and shards, not load.
    void setNodes(std::vector<NodeRow> nodes, bool hasValues, std::vector<QStringList> shardNames);
    // Whether the rows' shard counts are an auto-range run's ranges at the selected moment.
    void setCountsRanges(bool ranges);
    // Statuses in node order; missing ones are Up.
    void setStatuses(std::vector<NodeStatus> statuses);
    const NodeStatus& status(int node) const;
    // The words a tile shows under its name, for a status other than Up ("failed at 1h30m", "→ node-5 took over").
    QStringList statusLines(int node) const;
    void setSelectedNode(int node);
    int selectedNode() const { return m_selected; }
    // The tile rectangle of `node` in widget coordinates; empty when it is not laid out.
    QRect tileRect(int node) const;
    int nodeAt(const QPoint& position) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;

signals:
    void nodeClicked(int node);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Group {
        QString region;
        std::vector<int> nodes;
        QRect header;
    };
    enum class Density { Large, Medium, Small };

    Density density() const;
    QSize tileSize() const;
    int layoutFor(int width, bool store); // returns the height
    void paintLegend(QPainter& painter, const QRect& area) const;
    void paintTile(QPainter& painter, int node, const QRect& rect) const;
    void paintSmallLabel(QPainter& painter, int node, const QRect& rect) const;
    QString tooltipFor(int node) const;
    QString countLabel(int count) const; // "3 shards", or "3 ranges"

    std::vector<NodeRow> m_nodes;
    std::vector<NodeStatus> m_statuses;
    std::vector<QStringList> m_shardNames;
    bool m_hasValues = false;
    bool m_countsRanges = false;
    int m_selected = -1;
    std::vector<Group> m_groups;
    std::vector<QRect> m_tiles;
    QRect m_legend;
    std::vector<QStaticText> m_numbers; // small tiles' labels, laid out once
    QFont m_smallFont;
};

} // namespace shardsim::ui
