#include "models/query_table_model.h"

#include <cmath>

#include "charts/chart_style.h"
#include "shardsim/common/units.h"

namespace shardsim::ui {

QueryTableModel::QueryTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void QueryTableModel::setQueries(std::vector<QuerySummary> queries)
{
    beginResetModel();
    m_queries = std::move(queries);
    endResetModel();
}

int QueryTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_queries.size());
}

int QueryTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant QueryTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const QuerySummary& query = m_queries[static_cast<size_t>(index.row())];
    const auto column = static_cast<Column>(index.column());
    if (role == Qt::TextAlignmentRole)
        return column == Operation || column == Kind ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                     : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    const auto number = [&]() -> double {
        switch (column) {
        case Calls:
            return query.calls;
        case MeanFanout:
            return query.meanFanout;
        case MaxFanout:
            return query.maxFanout;
        case Amplification:
            return query.amplification;
        case RowsRead:
            return query.rowsReadPerCall;
        case Lookups:
            return query.extraLookupsPerCall;
        case CrossShard:
            return query.crossShardFraction;
        default:
            return 0;
        }
    };
    if (role == kSortRole)
        return column == Operation ? QVariant(QString::fromStdString(query.op))
            : column == Kind       ? QVariant(QString::fromStdString(query.kind))
                                   : QVariant(number());
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Operation:
        return QString::fromStdString(query.op);
    case Kind:
        return QString::fromStdString(query.kind);
    case Calls:
        return QString::fromStdString(units::formatCount(query.calls)); // 2.81B, not 2811889637
    case MaxFanout:
        return query.maxFanout;
    case CrossShard:
        return QStringLiteral("%1%").arg(100 * query.crossShardFraction, 0, 'f', 1);
    default:
        // Large numbers in K, M, B rather than an exponent (1.33e+09).
        return std::abs(number()) >= 1e5 ? QString::fromStdString(units::formatCount(number()))
                                         : QString::number(number(), 'g', 5);
    }
}

QVariant QueryTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (static_cast<Column>(section)) {
    case Operation:
        return tr("Operation");
    case Kind:
        return tr("Kind");
    case Calls:
        return tr("Calls");
    case MeanFanout:
        return tr("Mean fan-out");
    case MaxFanout:
        return tr("Max fan-out");
    case Amplification:
        return tr("Shard requests / call");
    case RowsRead:
        return tr("Rows read / call");
    case Lookups:
        return tr("Lookups / call");
    case CrossShard:
        return tr("Cross-shard / 2PC");
    default:
        return {};
    }
}

} // namespace shardsim::ui
