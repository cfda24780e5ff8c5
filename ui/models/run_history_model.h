#pragma once
// The runs of the run history, newest first: one row per run.

#include <QAbstractTableModel>

#include <vector>

#include "shardsim/history/run_history.h"

namespace shardsim::ui {

class RunHistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, Started, Scenario, Nodes, Ticks, Requests, Engine, Expectations, Status, ColumnCount };
    static constexpr int kRunIdRole = Qt::UserRole;

    explicit RunHistoryModel(QObject* parent = nullptr);

    void setRecords(std::vector<RunRecord> records);
    const std::vector<RunRecord>& records() const { return m_records; }
    const RunRecord* record(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    QString csv() const;

private:
    std::vector<RunRecord> m_records;
};

} // namespace shardsim::ui
