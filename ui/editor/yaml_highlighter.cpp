#include "editor/yaml_highlighter.h"

#include <QGuiApplication>
#include <QPalette>

namespace shardsim::ui {

namespace {
    constexpr qsizetype kMaxHighlightedLine = 4'000; // characters

    // Colours that read on both light and dark palettes.
    QTextCharFormat coloured(const QColor& light, const QColor& dark, bool bold = false)
    {
        const bool isDark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
        QTextCharFormat format;
        format.setForeground(isDark ? dark : light);
        if (bold)
            format.setFontWeight(QFont::DemiBold);
        return format;
    }
}

YamlHighlighter::YamlHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document)
{
    updateColors();
}

void YamlHighlighter::updateColors()
{
    const auto key = coloured(QColor(0x1f, 0x4e, 0x8c), QColor(0x7c, 0xb7, 0xff), true);
    const auto quantity = coloured(QColor(0x8a, 0x3f, 0x00), QColor(0xff, 0xb8, 0x6c));
    const auto keyword = coloured(QColor(0x6f, 0x2d, 0xa8), QColor(0xd2, 0xa8, 0xff));
    const auto string = coloured(QColor(0x2a, 0x6e, 0x2a), QColor(0x8f, 0xd8, 0x8f));
    m_patterns = {
        { QRegularExpression(QStringLiteral(
              R"(\b\d[\d_.]*(ms|s|m|h|d|w|y|B|KB|MB|GB|TB|KiB|MiB|GiB|TiB|K|M|x|%)?(/(s|min|h|day))?\b%?)")),
            quantity },
        { QRegularExpression(QStringLiteral(R"(\b(true|false|null)\b)")), keyword },
        { QRegularExpression(QStringLiteral(R"("[^"]*"|'[^']*')")), string },
        { QRegularExpression(QStringLiteral(R"([A-Za-z_][\w.-]*(?=\s*:(\s|$)))")), key },
    };
    m_comment = coloured(QColor(0x6a, 0x73, 0x7d), QColor(0x8b, 0x94, 0x9e));
    m_comment.setFontItalic(true);
    rehighlight();
}

void YamlHighlighter::highlightBlock(const QString& text)
{
    // No scenario line is this long; a pasted blob is left plain, since the key pattern rescans the rest of a
    // line from every letter (quadratic on 200,000 characters without a colon).
    if (text.size() > kMaxHighlightedLine)
        return;
    for (const Pattern& pattern : m_patterns) {
        auto matches = pattern.expression.globalMatch(text);
        while (matches.hasNext()) {
            const auto match = matches.next();
            setFormat(match.capturedStart(), match.capturedLength(), pattern.format);
        }
    }
    // A '#' starts a comment unless it sits inside a quoted string.
    bool inSingle = false;
    bool inDouble = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == '\'' && !inDouble)
            inSingle = !inSingle;
        else if (c == '"' && !inSingle)
            inDouble = !inDouble;
        else if (c == '#' && !inSingle && !inDouble && (i == 0 || text.at(i - 1).isSpace())) {
            setFormat(i, text.size() - i, m_comment);
            break;
        }
    }
}

} // namespace shardsim::ui
