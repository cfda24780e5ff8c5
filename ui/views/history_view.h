#pragma once
// `history`: the runs kept in the run history. Reopen one in every view, delete runs, or select two
// to compare their numbers side by side.

#include <optional>

#include "shardsim/history/run_history.h"
#include "views/analysis_view.h"

class QAction;
class QLabel;
class QTableView;
class QTextBrowser;

namespace shardsim::ui {

class RunHistoryModel;

class HistoryView : public AnalysisView {
    Q_OBJECT
public:
    HistoryView(ViewContext* context, QWidget* parent = nullptr);
    QString csv() const override;
    QWidget* exportWidget() override { return m_page; }
    RunHistoryModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    void refresh() override; // rereads the history file
    void deleteSelected(bool confirm);

private:
    void showSelection();
    std::vector<int64_t> selectedRuns() const;

    RunHistoryModel* m_model;
    QTableView* m_table;
    QTextBrowser* m_details;
    QWidget* m_page;
    QLabel* m_location;
    QAction* m_reopen;
    QAction* m_delete;
    std::optional<RunHistory> m_history;
    QString m_openPath;
    int64_t m_shownRecordedRun = 0;
};

} // namespace shardsim::ui
