#pragma once
// The desktop app's window: the scenario editor in the middle, every analysis view in a dock, the run
// controls in the toolbar and the time slider along the bottom. Layout, recent files and run speed
// persist through AppSettings.

#include <QMainWindow>

#include <map>
#include <memory>

#include "views/view_registry.h"
#include "workers/run_controller.h"

class QDockWidget;
class QLabel;
class QListView;
class QMenu;

namespace shardsim::ui {

class AnalysisView;
class AppSettings;
class CodeEditor;
class EditorPane;
class ExampleLibrary;
class LessonPanel;
class PlaybackBar;
class ProblemsModel;
class RunActions;
class RouteKeyPanel;
class RunStatus;
class ScenarioDocument;
class ScenarioForm;
class ViewContext;

struct MainWindowOptions {
    // Off for automation: neither the saved layout is read nor anything written back.
    bool persistent = true;
    // The run history to list and record into; empty: the settings' choice or the core's default path.
    QString historyPath;
    bool recordRuns = true;
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    static constexpr int kLayoutVersion = 4; // bump when docks are added, removed or renamed

    explicit MainWindow(const MainWindowOptions& options = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    bool openFile(const QString& path);
    void openBuiltInExample();
    void openExample(const QString& fileName); // one of the scenarios built into the app
    // A scenario of the built-in library (File → Examples → topic → name); false when there is none.
    bool openLibraryExample(const QString& topic, const QString& name);
    const ExampleLibrary& examples() const { return *m_examples; }
    LessonPanel* lessonPanel() const { return m_lesson; }
    QDockWidget* lessonDock() const { return m_lessonDock; }
    // Starts a run of the current scenario; false (and says why in the status bar) when it is invalid.
    bool startRun();
    // Raises the view's dock; false for an unknown id.
    bool showView(const QString& id);

    const ScenarioDocument& document() const { return *m_document; }
    ScenarioDocument* scenarioDocument() const { return m_document; }
    ProblemsModel* problemsModel() const { return m_problemsModel; }
    QListView* problemsView() const { return m_problemsView; }
    RunController* controller() const { return m_controller; }
    ViewContext* viewContext() const { return m_context; }
    AnalysisView* view(const QString& id) const;
    QDockWidget* viewDock(const QString& id) const;
    const ViewRegistry& registry() const { return m_registry; }
    RouteKeyPanel* routePanel() const { return m_route; }
    CodeEditor* editor() const;
    ScenarioForm* form() const;
    PlaybackBar* playback() const { return m_playback; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createDocks();
    void createActions();
    void createLessonDock();
    void addExamplesMenu(QMenu* file);
    void rebuildRecentMenu();
    void restoreLayout();
    void saveLayout();
    void resetLayout();

    bool maybeSave();
    bool save();
    bool saveAs();
    void showValidation();
    void jumpToProblem(const QModelIndex& index);
    void updateTitle();
    void exportActiveView(const QString& format);
    QString historyPath() const;

    MainWindowOptions m_options;
    std::unique_ptr<AppSettings> m_settings;
    ScenarioDocument* m_document;
    ViewContext* m_context;
    RunController* m_controller;
    ViewRegistry m_registry;
    EditorPane* m_editorPane = nullptr;
    ProblemsModel* m_problemsModel = nullptr;
    QListView* m_problemsView = nullptr;
    QDockWidget* m_problemsDock = nullptr;
    QDockWidget* m_routeDock = nullptr;
    std::unique_ptr<ExampleLibrary> m_examples;
    LessonPanel* m_lesson = nullptr;
    QDockWidget* m_lessonDock = nullptr;
    RouteKeyPanel* m_route = nullptr;
    PlaybackBar* m_playback = nullptr;
    RunStatus* m_runStatus = nullptr;
    QLabel* m_validation = nullptr;
    std::map<QString, QDockWidget*> m_viewDocks;
    std::map<QString, AnalysisView*> m_views;
    AnalysisView* m_activeView = nullptr;
    QByteArray m_defaultLayout;
    bool m_wasValid = false;
    bool m_reopening = false; // the document is replaced by a run from the history, which keeps its results

    QMenu* m_recentMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    RunActions* m_runActions = nullptr;
};

} // namespace shardsim::ui
