#include "models/run_history_model.h"

#include <QDateTime>

#include "charts/chart_style.h"
#include "shardsim/common/units.h"

namespace shardsim::ui {

namespace {
    QString localTime(const std::string& iso)
    {
        const QDateTime time = QDateTime::fromString(QString::fromStdString(iso), Qt::ISODate);
        return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                              : QString::fromStdString(iso);
    }

    QString csvField(const std::string& text)
    {
        QString field = QString::fromStdString(text);
        if (field.contains(QLatin1Char(',')) || field.contains(QLatin1Char('"')) || field.contains(QLatin1Char('\n')))
            field = QLatin1Char('"') + field.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
        return field;
    }
}

RunHistoryModel::RunHistoryModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void RunHistoryModel::setRecords(std::vector<RunRecord> records)
{
    beginResetModel();
    m_records = std::move(records);
    endResetModel();
}

const RunRecord* RunHistoryModel::record(int row) const
{
    return row >= 0 && row < rowCount() ? &m_records[static_cast<size_t>(row)] : nullptr;
}

int RunHistoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_records.size());
}

int RunHistoryModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RunHistoryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunRecord& run = m_records[static_cast<size_t>(index.row())];
    const auto column = static_cast<Column>(index.column());
    if (role == kRunIdRole)
        return QVariant::fromValue<qint64>(run.id);
    if (role == Qt::TextAlignmentRole) {
        const bool numeric = column == Id || column == Nodes || column == Ticks || column == Requests;
        return QVariant::fromValue(numeric ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole && column == Scenario)
        return run.scenarioFile.empty() ? QVariant() : QString::fromStdString(run.scenarioFile);
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Id:
        return QVariant::fromValue<qint64>(run.id);
    case Started:
        return localTime(run.startedAt);
    case Scenario:
        return QString::fromStdString(run.scenario);
    case Nodes:
        return run.nodes;
    case Ticks:
        return formatTime(static_cast<double>(run.ticks) * run.tickSeconds);
    case Requests:
        return QString::fromStdString(units::formatCount(run.requests));
    case Engine:
        return QString::fromStdString(run.engine);
    case Expectations:
        if (run.expectations == 0)
            return tr("none");
        return run.expectationsHeld() ? tr("%1 held").arg(run.expectations)
                                      : tr("%1 of %2 failed").arg(run.expectationsFailed).arg(run.expectations);
    case Status:
        return run.cancelled ? tr("stopped early") : tr("complete");
    case ColumnCount:
        break;
    }
    return {};
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (static_cast<Column>(section)) {
    case Id:
        return tr("Run");
    case Started:
        return tr("Started");
    case Scenario:
        return tr("Scenario");
    case Nodes:
        return tr("Nodes");
    case Ticks:
        return tr("Simulated");
    case Requests:
        return tr("Requests");
    case Engine:
        return tr("Engine");
    case Expectations:
        return tr("Expectations");
    case Status:
        return tr("Status");
    case ColumnCount:
        break;
    }
    return {};
}

QString RunHistoryModel::csv() const
{
    QString csv = QStringLiteral(
        "id,started_at,finished_at,scenario,scenario_file,seed,engine,ticks,tick_seconds,nodes,requests,cancelled,"
        "expectations,expectations_failed\n");
    for (const RunRecord& run : m_records) {
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,%13,%14\n")
                   .arg(run.id)
                   .arg(QString::fromStdString(run.startedAt), QString::fromStdString(run.finishedAt),
                       csvField(run.scenario), csvField(run.scenarioFile))
                   .arg(run.seed)
                   .arg(QString::fromStdString(run.engine))
                   .arg(run.ticks)
                   .arg(run.tickSeconds, 0, 'g', 10)
                   .arg(run.nodes)
                   .arg(run.requests, 0, 'g', 12)
                   .arg(run.cancelled ? 1 : 0)
                   .arg(run.expectations)
                   .arg(run.expectationsFailed);
    }
    return csv;
}

} // namespace shardsim::ui
