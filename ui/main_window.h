#pragma once
// The desktop app's window: the scenario text, what the core made of it, and its problems.

#include <QMainWindow>

class QListWidget;
class QListWidgetItem;
class QPlainTextEdit;

namespace shardsim::ui {

class OutlineView;
class ScenarioDocument;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    bool openFile(const QString& path);
    void openBuiltInExample();
    const ScenarioDocument& document() const { return *m_document; }
    QListWidget* problems() const { return m_problems; }

private:
    void createActions();
    void showValidation();
    void underlineErrors();
    void jumpToProblem(QListWidgetItem* item);
    bool saveTo(const QString& path);
    void updateTitle();

    ScenarioDocument* m_document = nullptr;
    QPlainTextEdit* m_editor = nullptr;
    OutlineView* m_outline = nullptr;
    QListWidget* m_problems = nullptr;
    bool m_loadingText = false;
};

} // namespace shardsim::ui
