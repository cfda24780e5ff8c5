#include "editor/code_editor.h"

#include <QFontDatabase>
#include <QHelpEvent>
#include <QPainter>
#include <QTextBlock>
#include <QToolTip>

#include "editor/yaml_highlighter.h"

namespace shardsim::ui {

class LineNumberArea : public QWidget {
public:
    explicit LineNumberArea(CodeEditor* editor)
        : QWidget(editor)
        , m_editor(editor)
    {
    }
    QSize sizeHint() const override { return { m_editor->lineNumberAreaWidth(), 0 }; }

protected:
    void paintEvent(QPaintEvent* event) override { m_editor->paintLineNumbers(event); }

private:
    CodeEditor* m_editor;
};

namespace {
    const QColor kErrorColor(0xd6, 0x3a, 0x2f);
    constexpr int kMaxUnderline = 200; // characters of one line a problem underlines
}

CodeEditor::CodeEditor(QWidget* parent)
    : QPlainTextEdit(parent)
    , m_lineNumbers(new LineNumberArea(this))
{
    setObjectName(QStringLiteral("scenarioEditor"));
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabChangesFocus(false);
    setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * 2);
    connect(this, &QPlainTextEdit::blockCountChanged, this, &CodeEditor::updateMargins);
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect& rect, int dy) {
        if (dy != 0)
            m_lineNumbers->scroll(0, dy);
        else
            m_lineNumbers->update(0, rect.y(), m_lineNumbers->width(), rect.height());
    });
    updateMargins();
}

void CodeEditor::setScenarioDocument(QTextDocument* document)
{
    document->setDocumentLayout(new QPlainTextDocumentLayout(document));
    document->setDefaultFont(font());
    setDocument(document);
    delete m_highlighter;
    m_highlighter = new YamlHighlighter(document);
    updateMargins();
}

int CodeEditor::lineNumberAreaWidth() const
{
    int digits = 1;
    for (int max = std::max(1, blockCount()); max >= 10; max /= 10)
        ++digits;
    return 14 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * std::max(3, digits);
}

void CodeEditor::updateMargins() { setViewportMargins(lineNumberAreaWidth(), 0, 0, 0); }

void CodeEditor::resizeEvent(QResizeEvent* event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect area = contentsRect();
    m_lineNumbers->setGeometry(QRect(area.left(), area.top(), lineNumberAreaWidth(), area.height()));
}

void CodeEditor::paintLineNumbers(QPaintEvent* event)
{
    QPainter painter(m_lineNumbers);
    painter.fillRect(event->rect(), palette().color(QPalette::AlternateBase));
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    int bottom = top + qRound(blockBoundingRect(block).height());
    const int current = textCursor().blockNumber();
    while (block.isValid() && top <= event->rect().bottom()) {
        if (block.isVisible() && bottom >= event->rect().top()) {
            const int line = block.blockNumber() + 1;
            const bool hasError = std::any_of(
                m_diagnostics.begin(), m_diagnostics.end(), [line](const Diagnostic& d) { return d.line == line; });
            if (hasError) {
                painter.setPen(Qt::NoPen);
                painter.setBrush(kErrorColor);
                painter.drawEllipse(QPointF(6, top + fontMetrics().height() / 2.0), 3.5, 3.5);
            }
            painter.setPen(block.blockNumber() == current ? palette().color(QPalette::Text)
                                                          : palette().color(QPalette::PlaceholderText));
            painter.drawText(
                0, top, m_lineNumbers->width() - 6, fontMetrics().height(), Qt::AlignRight, QString::number(line));
        }
        block = block.next();
        top = bottom;
        bottom = top + qRound(blockBoundingRect(block).height());
    }
}

void CodeEditor::setDiagnostics(const Diagnostics& diagnostics)
{
    m_diagnostics = diagnostics;
    QList<QTextEdit::ExtraSelection> selections;
    for (const Diagnostic& diagnostic : diagnostics) {
        if (diagnostic.line <= 0)
            continue;
        const QTextBlock block = document()->findBlockByNumber(diagnostic.line - 1);
        if (!block.isValid())
            continue;
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(block);
        // Positions, not cursor moves: each move Right asks the block for its text direction, which scans the
        // whole line, so a 200,000-character line of brackets took seconds.
        const int column = std::clamp(diagnostic.column - 1, 0, std::max(0, block.length() - 1));
        const int rest = block.length() - 1 - column;
        const int from = block.position() + column;
        // To the end of the line, but not under a whole pasted blob; an error at the end of a line marks its start.
        selection.cursor.setPosition(rest > 0 ? from : from - std::min(column, kMaxUnderline));
        selection.cursor.setPosition(rest > 0 ? from + std::min(rest, kMaxUnderline) : from, QTextCursor::KeepAnchor);
        selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        selection.format.setUnderlineColor(kErrorColor);
        selections.append(selection);
    }
    setExtraSelections(selections);
    m_lineNumbers->update();
}

void CodeEditor::goToLine(int line, int column)
{
    if (line <= 0)
        return;
    const QTextBlock block = document()->findBlockByNumber(line - 1);
    if (!block.isValid())
        return;
    QTextCursor cursor(block);
    cursor.setPosition(block.position() + std::clamp(column - 1, 0, std::max(0, block.length() - 1)));
    setTextCursor(cursor);
    centerCursor();
    setFocus();
}

bool CodeEditor::event(QEvent* event)
{
    // The message of an underlined problem, where the mouse is.
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QPoint position = viewport()->mapFrom(this, help->pos());
        const int line = cursorForPosition(position).blockNumber() + 1;
        QStringList messages;
        for (const Diagnostic& diagnostic : m_diagnostics)
            if (diagnostic.line == line)
                messages.append(QString::fromStdString(
                    diagnostic.path.empty() ? diagnostic.message : diagnostic.path + ": " + diagnostic.message));
        if (!messages.isEmpty())
            QToolTip::showText(help->globalPos(), messages.join(QLatin1Char('\n')), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QPlainTextEdit::event(event);
}

void CodeEditor::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange && m_highlighter) {
        m_highlighter->updateColors();
        m_lineNumbers->update();
    }
    QPlainTextEdit::changeEvent(event);
}

} // namespace shardsim::ui
