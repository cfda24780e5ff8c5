#pragma once
// The base of every analysis view (overview, cluster, load, heat map, history, and the views later
// issues add): a strip of controls on top, the content below, and export of the picture as PNG or SVG
// and of the data as CSV. A view reads the shared ViewContext and never talks to another view.

#include <QWidget>

class QLabel;
class QToolBar;
class QVBoxLayout;

namespace shardsim::ui {

class ViewContext;

class AnalysisView : public QWidget {
    Q_OBJECT
public:
    AnalysisView(ViewContext* context, QWidget* parent);

    ViewContext* context() const { return m_context; }
    // What PNG and SVG exports show: the chart or picture without the controls.
    virtual QWidget* exportWidget() { return m_content; }
    // The numbers behind the picture as CSV, a header line first; empty when there is nothing yet.
    virtual QString csv() const = 0;
    // True while the view computes what it will show (the plan view's planner): automation waits for it.
    virtual bool busy() const { return false; }
    // A name for exported files: "load", "heatmap".
    QString exportBaseName() const { return objectName(); }

    // Writes the export widget as PNG or SVG (by the suffix), or the CSV.
    bool saveImage(const QString& path, QString* error);
    bool saveCsv(const QString& path, QString* error);

    // Asks where to save and saves; errors are shown in a message box.
    void exportImageInteractively(const QString& format);
    void exportCsvInteractively();

    // Brings a view that was hidden (or has an update pending) up to date now.
    void ensureFresh();
    // Whether the view can be seen: a dock behind another tab keeps its widgets "visible" to Qt, so the
    // window tells the view when its tab is selected.
    void setOnScreen(bool onScreen);
    bool isOnScreen() const { return m_onScreen && isVisible(); }

protected:
    // Redraws the view from the context. Called at most once per pass of the event loop however many
    // context signals arrived, and never for a hidden view: a running simulation updates only what
    // the user can see, so the GUI thread stays free.
    virtual void refresh() = 0;
    void requestRefresh();
    void showEvent(QShowEvent* event) override;

    QToolBar* toolBar() const { return m_toolBar; }
    void setContent(QWidget* content);
    // A line under the controls saying why there is nothing to see ("Run the scenario to see ...").
    void setNotice(const QString& text);

private:
    ViewContext* m_context;
    QToolBar* m_toolBar;
    QLabel* m_notice;
    QVBoxLayout* m_layout;
    QWidget* m_content = nullptr;
    bool m_dirty = true;
    bool m_onScreen = true;
    bool m_scheduled = false;
};

} // namespace shardsim::ui
