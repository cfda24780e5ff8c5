#include "models/problems_model.h"

#include <QApplication>
#include <QStyle>

namespace shardsim::ui {

ProblemsModel::ProblemsModel(QObject* parent)
    : QAbstractListModel(parent)
{
}

void ProblemsModel::setDiagnostics(Diagnostics diagnostics)
{
    beginResetModel();
    m_diagnostics = std::move(diagnostics);
    endResetModel();
}

void ProblemsModel::setMessage(const QString& message)
{
    Diagnostic diagnostic;
    diagnostic.message = message.toStdString();
    setDiagnostics({ diagnostic });
}

int ProblemsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_diagnostics.size());
}

QVariant ProblemsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Diagnostic& diagnostic = m_diagnostics[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole: {
        QString text;
        if (diagnostic.line > 0)
            text = tr("Line %1:%2  ").arg(diagnostic.line).arg(diagnostic.column);
        if (!diagnostic.path.empty())
            text += QString::fromStdString(diagnostic.path) + QStringLiteral(": ");
        return text + QString::fromStdString(diagnostic.message);
    }
    case Qt::ToolTipRole:
        return QString::fromStdString(diagnostic.format());
    case Qt::DecorationRole:
        return QApplication::style()->standardIcon(QStyle::SP_MessageBoxCritical);
    case LineRole:
        return diagnostic.line;
    case ColumnRole:
        return diagnostic.column;
    case PathRole:
        return QString::fromStdString(diagnostic.path);
    default:
        return {};
    }
}

} // namespace shardsim::ui
