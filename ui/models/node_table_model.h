#pragma once
// Every node at the selected tick: one row per node, sortable by any number column. The load columns say what was
// offered and what became of it (served, shed, still queued), and the served requests' latency percentiles.

#include <QAbstractTableModel>

#include <vector>

#include "shardsim/engine/run_result.h"

namespace shardsim::ui {

struct NodeRow {
    QString name;
    QString region;
    int shards = 0; // logical shards whose primary is on the node (an auto-range run: ranges whose leader is)
    NodeTick values; // at the selected tick's window (TickWindow::node)
};

class NodeTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Name,
        Region,
        Shards,
        Qps, // offered
        Utilization, // offered load
        Served,
        Shed,
        Queued,
        P50,
        P95,
        P99,
        P999,
        Rows,
        Storage,
        ColumnCount
    };
    static constexpr int kSortRole = Qt::UserRole; // the raw number behind a formatted cell

    explicit NodeTableModel(QObject* parent = nullptr);

    // Same node count: the cells change in place, so selection and sorting survive a running update.
    void setRows(std::vector<NodeRow> rows);
    const std::vector<NodeRow>& rows() const { return m_rows; }
    bool hasValues() const { return m_hasValues; }
    void setHasValues(bool hasValues) { m_hasValues = hasValues; }
    // The title of the column that groups nodes: "Region", or "Database" for business databases.
    void setGroupTitle(const QString& title);
    // Whether the Shards column counts an auto-range run's ranges at the selected moment (titled "Ranges").
    void setCountsRanges(bool ranges);
    bool countsRanges() const { return m_countsRanges; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    // Load and latency titles take two lines ("Served" over "req/s"), so every column fits a window's width.
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The rows as CSV, a header line first.
    QString csv() const;

private:
    QVariant number(const NodeRow& row, Column column) const; // the sort value of a number column

    std::vector<NodeRow> m_rows;
    bool m_hasValues = false; // false before a run: only names, regions and shards are known
    QString m_groupTitle = tr("Region");
    bool m_countsRanges = false;
};

// A latency in ms as the tables and tooltips show it: two decimals below 100 ms, none above.
QString formatLatencyMs(double ms);

} // namespace shardsim::ui
