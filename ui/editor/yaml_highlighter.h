#pragma once
// Syntax colours for scenario YAML: keys, comments, units and rule specs.

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace shardsim::ui {

class YamlHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    explicit YamlHighlighter(QTextDocument* document);
    // Picks colours for the application's current palette (light or dark) and recolours the text.
    void updateColors();

protected:
    void highlightBlock(const QString& text) override;

private:
    struct Pattern {
        QRegularExpression expression;
        QTextCharFormat format;
    };
    QList<Pattern> m_patterns;
    QTextCharFormat m_comment;
};

} // namespace shardsim::ui
