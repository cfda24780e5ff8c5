#pragma once
// The scenario's problems, one row each, in the order of their place in the file.

#include <QAbstractListModel>

#include "shardsim/common/diagnostic.h"

namespace shardsim::ui {

class ProblemsModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { LineRole = Qt::UserRole, ColumnRole, PathRole };

    explicit ProblemsModel(QObject* parent = nullptr);

    void setDiagnostics(Diagnostics diagnostics);
    // A problem that is not about the text (the file cannot be read).
    void setMessage(const QString& message);
    const Diagnostics& diagnostics() const { return m_diagnostics; }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    Diagnostics m_diagnostics;
};

} // namespace shardsim::ui
