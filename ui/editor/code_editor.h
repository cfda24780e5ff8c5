#pragma once
// The scenario text: line numbers, a fixed-width font, syntax colours, and the current problems
// underlined in place with their message as a tooltip.

#include <QPlainTextEdit>

#include "shardsim/common/diagnostic.h"

namespace shardsim::ui {

class YamlHighlighter;

class CodeEditor : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit CodeEditor(QWidget* parent = nullptr);

    // Takes the document of the scenario; the editor's highlighter moves with it.
    void setScenarioDocument(QTextDocument* document);
    void setDiagnostics(const Diagnostics& diagnostics);
    void goToLine(int line, int column); // 1-based; column 0 for the start of the line
    int lineNumberAreaWidth() const;

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool event(QEvent* event) override;

private:
    friend class LineNumberArea;
    void paintLineNumbers(QPaintEvent* event);
    void updateMargins();

    QWidget* m_lineNumbers;
    YamlHighlighter* m_highlighter = nullptr;
    Diagnostics m_diagnostics;
};

} // namespace shardsim::ui
