#pragma once
// The editing side of the window: the YAML text on the left; on the right the form for the common
// fields and the outline of what the core made of the file, as tabs.

#include <QSplitter>

class QTabWidget;

namespace shardsim::ui {

class CodeEditor;
class OutlineView;
class ScenarioDocument;
class ScenarioForm;

class EditorPane : public QSplitter {
    Q_OBJECT
public:
    EditorPane(ScenarioDocument* document, QWidget* parent = nullptr);

    CodeEditor* editor() const { return m_editor; }
    ScenarioForm* form() const { return m_form; }
    OutlineView* outline() const { return m_outline; }
    QTabWidget* sideTabs() const { return m_tabs; }

private:
    CodeEditor* m_editor;
    ScenarioForm* m_form;
    OutlineView* m_outline;
    QTabWidget* m_tabs;
};

} // namespace shardsim::ui
