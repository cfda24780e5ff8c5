#pragma once
// The operations of a finished run: one row per operation of the mix with its fan-out, amplification, rows read,
// lookups and cross-shard share (RunResult::queries).

#include <QAbstractTableModel>

#include <vector>

#include "shardsim/engine/run_result.h"

namespace shardsim::ui {

class QueryTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Operation,
        Kind,
        Calls,
        MeanFanout,
        MaxFanout,
        Amplification,
        RowsRead,
        Lookups,
        CrossShard,
        ColumnCount
    };
    static constexpr int kSortRole = Qt::UserRole; // the raw number behind a formatted cell

    explicit QueryTableModel(QObject* parent = nullptr);

    void setQueries(std::vector<QuerySummary> queries);
    const std::vector<QuerySummary>& queries() const { return m_queries; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<QuerySummary> m_queries;
};

} // namespace shardsim::ui
