#include "models/node_table_model.h"

#include <QBrush>

#include "charts/chart_style.h"
#include "charts/color_scales.h"
#include "shardsim/common/units.h"

namespace shardsim::ui {

QString formatLatencyMs(double ms) { return QString::number(ms, 'f', ms < 100 ? 2 : 0); }

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

QVariant NodeTableModel::number(const NodeRow& row, Column column) const
{
    const NodeTick& v = row.values;
    switch (column) {
    case Shards:
        return row.shards;
    case Qps:
        return v.qps;
    case Utilization:
        return v.utilization;
    case Served:
        return v.servedQps;
    case Shed:
        return v.shedQps;
    case Queued:
        return v.queued;
    case P50:
        return v.p50LatencyMs;
    case P95:
        return v.p95LatencyMs;
    case P99:
        return v.p99LatencyMs;
    case P999:
        return v.p999LatencyMs;
    case Rows:
        return v.rows;
    case Storage:
        return v.bytes;
    case Name:
    case Region:
    case ColumnCount:
        break;
    }
    return {};
}

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
        return utilizationColor(row.values.utilization);
    if (role == kSortRole) {
        if (column == Name)
            return index.row(); // node order, not the text order of "node-10" before "node-2"
        if (column == Region)
            return row.region;
        return number(row, column);
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    if (numeric && column != Shards && !m_hasValues)
        return QStringLiteral("–");
    const NodeTick& v = row.values;
    switch (column) {
    case Name:
        return row.name;
    case Region:
        return row.region;
    case Shards:
        return row.shards;
    case Qps:
        return formatRate(v.qps);
    case Utilization:
        return QString::number(v.utilization * 100.0, 'f', 1) + QLatin1Char('%');
    case Served:
        return formatRate(v.servedQps);
    case Shed:
        return formatRate(v.shedQps);
    case Queued:
        return QString::fromStdString(units::formatCount(v.queued));
    case P50:
    case P95:
    case P99:
    case P999: // a node that served nothing (idle or down) has no latency, not a calm one
        return row.values.servedQps > 0 ? formatLatencyMs(number(row, column).toDouble()) : QStringLiteral("–");
    case Rows:
        return QString::fromStdString(units::formatCount(v.rows));
    case Storage:
        return QString::fromStdString(units::formatSize(v.bytes));
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

void NodeTableModel::setCountsRanges(bool ranges)
{
    if (ranges == m_countsRanges)
        return;
    m_countsRanges = ranges;
    emit headerDataChanged(Qt::Horizontal, Shards, Shards);
}

QVariant NodeTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return QAbstractTableModel::headerData(section, orientation, role);
    const bool tip = role == Qt::ToolTipRole;
    switch (static_cast<Column>(section)) {
    case Name:
        return tr("Node");
    case Region:
        return m_groupTitle;
    case Shards:
        if (m_countsRanges)
            return tip ? tr("Ranges whose leader is on the node at the selected moment (as its window ended)")
                       : tr("Ranges");
        return tip ? tr("Logical shards whose primary is on the node") : tr("Shards");
    case Qps:
        return tip ? tr("Requests/s offered to the node: served + queued + shed") : tr("Offered\nreq/s");
    case Utilization:
        return tip ? tr("Offered load: requests/s offered over max_qps. Above 100% the node is overloaded: it serves "
                        "max_qps, queues up to queue_timeout of work and sheds the rest")
                   : tr("Offered\nload");
    case Served:
        return tip ? tr("Requests/s the node served") : tr("Served\nreq/s");
    case Shed:
        return tip ? tr("Requests/s beyond what the node could serve or queue") : tr("Shed\nreq/s");
    case Queued:
        return tip ? tr("Requests waiting in the node's queue") : tr("Queued");
    case P50:
    case P95:
    case P99:
    case P999: {
        static const char* const names[] = { "p50", "p95", "p99", "p99.9" };
        const QString name = QString::fromLatin1(names[section - P50]);
        return tip ? tr("%1 response time of the requests the node served (M/M/c: waiting + service), ms").arg(name)
                   : tr("%1\nms").arg(name);
    }
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
    QString csv = QStringLiteral("node,region,%1,qps,utilization,served_qps,shed_qps,queued,p50_latency_ms,"
                                 "p95_latency_ms,p99_latency_ms,p999_latency_ms,rows,bytes\n")
                      .arg(m_countsRanges ? QStringLiteral("ranges") : QStringLiteral("shards"));
    for (const NodeRow& row : m_rows) {
        const NodeTick& v = row.values;
        csv += QStringLiteral("%1,%2,%3").arg(row.name, row.region).arg(row.shards);
        for (double value : { v.qps, v.utilization, v.servedQps, v.shedQps, v.queued, v.p50LatencyMs, v.p95LatencyMs,
                 v.p99LatencyMs, v.p999LatencyMs, v.rows, v.bytes })
            csv += QLatin1Char(',') + QString::number(value, 'g', 10);
        csv += QLatin1Char('\n');
    }
    return csv;
}

} // namespace shardsim::ui
