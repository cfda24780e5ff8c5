#include "models/node_table_model.h"

#include <QBrush>

#include "charts/chart_style.h"
#include "charts/color_scales.h"
#include "shardsim/common/units.h"

namespace shardsim::ui {

NodeTableModel::NodeTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void NodeTableModel::setRows(std::vector<NodeRow> rows)
{
    if (rows.size() == m_rows.size()) {
        m_rows = std::move(rows);
        if (!m_rows.empty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int NodeTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int NodeTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant NodeTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const NodeRow& row = m_rows[static_cast<size_t>(index.row())];
    const auto column = static_cast<Column>(index.column());
    const bool numeric = column >= Shards;
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(numeric ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
    if (role == Qt::DecorationRole && column == Utilization && m_hasValues)
        return utilizationColor(row.utilization);
    if (role == kSortRole) {
        switch (column) {
        case Name:
            return index.row(); // node order, not the text order of "node-10" before "node-2"
        case Region:
            return row.region;
        case Shards:
            return row.shards;
        case Qps:
            return row.qps;
        case Utilization:
            return row.utilization;
        case P99:
            return row.p99LatencyMs;
        case Rows:
            return row.rows;
        case Storage:
            return row.bytes;
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    if (numeric && column != Shards && !m_hasValues)
        return QStringLiteral("–");
    switch (column) {
    case Name:
        return row.name;
    case Region:
        return row.region;
    case Shards:
        return row.shards;
    case Qps:
        return formatRate(row.qps);
    case Utilization:
        return QString::number(row.utilization * 100.0, 'f', 1) + QLatin1Char('%');
    case P99:
        return QString::number(row.p99LatencyMs, 'f', 2);
    case Rows:
        return QString::fromStdString(units::formatCount(row.rows));
    case Storage:
        return QString::fromStdString(units::formatSize(row.bytes));
    case ColumnCount:
        break;
    }
    return {};
}

void NodeTableModel::setGroupTitle(const QString& title)
{
    if (title == m_groupTitle)
        return;
    m_groupTitle = title;
    emit headerDataChanged(Qt::Horizontal, Region, Region);
}

QVariant NodeTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (static_cast<Column>(section)) {
    case Name:
        return tr("Node");
    case Region:
        return m_groupTitle;
    case Shards:
        return tr("Shards");
    case Qps:
        return tr("Requests/s");
    case Utilization:
        return tr("Utilisation");
    case P99:
        return tr("p99 latency (ms)");
    case Rows:
        return tr("Rows");
    case Storage:
        return tr("Storage");
    case ColumnCount:
        break;
    }
    return {};
}

QString NodeTableModel::csv() const
{
    QString csv = QStringLiteral("node,region,shards,qps,utilization,p99_latency_ms,rows,bytes\n");
    for (const NodeRow& row : m_rows)
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8\n")
                   .arg(row.name, row.region)
                   .arg(row.shards)
                   .arg(row.qps, 0, 'g', 10)
                   .arg(row.utilization, 0, 'g', 6)
                   .arg(row.p99LatencyMs, 0, 'g', 6)
                   .arg(row.rows, 0, 'g', 10)
                   .arg(row.bytes, 0, 'g', 10);
    return csv;
}

} // namespace shardsim::ui
