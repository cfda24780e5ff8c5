#include "editor/yaml_locator.h"

#include <QStringList>

#include <algorithm>

namespace shardsim::ui {

struct YamlLocator::Node {
    enum class Kind { Root, BlockMap, FlowMap, Scalar, Other };

    QString key;
    Kind kind = Kind::Other;
    int keyStart = 0; // offset of the key
    int lineStart = 0; // block entries: offset of the key's line
    int indent = -1; // block entries: column of the key
    int childIndent = -1; // block maps: column of their first child
    int valueStart = 0; // offset of the value (scalar text, '{' of a flow map)
    int valueLength = 0;
    int blockEnd = 0; // block maps and root: offset just past the last line they own
    bool inFlow = false;
    QChar quote;
    QString scalar;
    std::vector<std::unique_ptr<Node>> children;

    Node* child(const QString& name) const
    {
        for (const auto& node : children)
            if (node->key == name)
                return node.get();
        return nullptr;
    }
};

namespace {
    using Node = YamlLocator::Node;

    bool isSpace(QChar c) { return c == QLatin1Char(' ') || c == QLatin1Char('\t'); }

    // Where the comment of a line starts (or the line's length): '#' after a space, outside quotes.
    int commentStart(const QString& line)
    {
        QChar quote;
        for (int i = 0; i < line.size(); ++i) {
            const QChar c = line[i];
            if (!quote.isNull()) {
                if (c == quote)
                    quote = QChar();
            } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
                quote = c;
            } else if (c == QLatin1Char('#') && (i == 0 || isSpace(line[i - 1]))) {
                return i;
            }
        }
        return static_cast<int>(line.size());
    }

    // A scalar in [begin, end): trims spaces, strips and remembers quotes.
    void readScalar(const QString& text, int begin, int end, Node& node)
    {
        while (begin < end && isSpace(text[begin]))
            ++begin;
        while (end > begin && isSpace(text[end - 1]))
            --end;
        node.kind = Node::Kind::Scalar;
        node.valueStart = begin;
        node.valueLength = end - begin;
        QString value = text.mid(begin, end - begin);
        if (value.size() >= 2 && (value.front() == QLatin1Char('"') || value.front() == QLatin1Char('\''))
            && value.back() == value.front()) {
            node.quote = value.front();
            value = value.mid(1, value.size() - 2);
        }
        node.scalar = value;
    }

    // Skips a bracketed flow collection starting at `pos` ('{' or '['); returns the offset past its end,
    // or -1 when it does not close before `end`.
    int skipFlow(const QString& text, int pos, int end)
    {
        int depth = 0;
        QChar quote;
        for (int i = pos; i < end; ++i) {
            const QChar c = text[i];
            if (!quote.isNull()) {
                if (c == quote)
                    quote = QChar();
            } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
                quote = c;
            } else if (c == QLatin1Char('{') || c == QLatin1Char('[')) {
                ++depth;
            } else if (c == QLatin1Char('}') || c == QLatin1Char(']')) {
                if (--depth == 0)
                    return i + 1;
            }
        }
        return -1;
    }

    // Deeper flow mappings are not entered: each level rescans its text, and a hostile line of 100,000 nested
    // braces would cost quadratic time and the whole stack. The core refuses such files anyway (kMaxDepth).
    constexpr int kMaxFlowDepth = 64;

    // A flow mapping `{ k: v, ... }` at `pos`; fills `node` and returns the offset past '}', or -1.
    int parseFlowMap(const QString& text, int pos, int end, Node& node, int depth = 0)
    {
        if (depth > kMaxFlowDepth)
            return -1;
        const int close = skipFlow(text, pos, end);
        if (close < 0)
            return -1;
        node.kind = Node::Kind::FlowMap;
        node.valueStart = pos;
        node.valueLength = close - pos;
        int i = pos + 1;
        while (i < close - 1) {
            while (i < close - 1 && (isSpace(text[i]) || text[i] == QLatin1Char(',')))
                ++i;
            if (i >= close - 1)
                break;
            const int colon = text.indexOf(QLatin1Char(':'), i);
            if (colon < 0 || colon >= close - 1)
                break;
            auto child = std::make_unique<Node>();
            child->key = text.mid(i, colon - i).trimmed();
            child->keyStart = i;
            child->inFlow = true;
            int v = colon + 1;
            while (v < close - 1 && isSpace(text[v]))
                ++v;
            if (text[v] == QLatin1Char('{')) {
                i = parseFlowMap(text, v, close - 1, *child, depth + 1);
                if (i < 0)
                    return -1;
            } else if (text[v] == QLatin1Char('[')) {
                const int after = skipFlow(text, v, close - 1);
                if (after < 0)
                    return -1;
                child->kind = Node::Kind::Other;
                child->valueStart = v;
                child->valueLength = after - v;
                i = after;
            } else {
                int e = v;
                QChar quote;
                for (; e < close - 1; ++e) {
                    const QChar c = text[e];
                    if (!quote.isNull()) {
                        if (c == quote)
                            quote = QChar();
                    } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
                        quote = c;
                    } else if (c == QLatin1Char(',') || c == QLatin1Char('}')) {
                        break;
                    }
                }
                readScalar(text, v, e, *child);
                child->inFlow = true;
                i = e;
            }
            node.children.push_back(std::move(child));
        }
        return close;
    }

    struct Line {
        int start; // offset of the line's first character
        int indent; // leading spaces
        int contentEnd; // offset where the comment starts or the line ends, trailing spaces removed
        int end; // offset of the line break (or the text's end)
    };

    std::vector<Line> splitLines(const QString& text)
    {
        std::vector<Line> lines;
        int start = 0;
        while (start <= text.size()) {
            int end = text.indexOf(QLatin1Char('\n'), start);
            if (end < 0)
                end = static_cast<int>(text.size());
            const QString line = text.mid(start, end - start);
            int indent = 0;
            while (indent < line.size() && line[indent] == QLatin1Char(' '))
                ++indent;
            int contentEnd = commentStart(line);
            while (contentEnd > indent && isSpace(line[contentEnd - 1]))
                --contentEnd;
            lines.push_back(Line { start, indent, start + contentEnd, end });
            if (end >= text.size())
                break;
            start = end + 1;
        }
        return lines;
    }
}

YamlLocator::YamlLocator(const QString& text)
    : m_text(text)
    , m_root(std::make_unique<Node>())
{
    m_root->kind = Node::Kind::Root;
    m_root->indent = -1;
    m_root->childIndent = 0;
    m_root->blockEnd = static_cast<int>(text.size());

    // Open block mappings, innermost last.
    std::vector<Node*> stack { m_root.get() };
    for (const Line& line : splitLines(text)) {
        const int contentStart = line.start + line.indent;
        if (contentStart >= line.contentEnd)
            continue; // blank or comment-only
        while (stack.size() > 1 && line.indent <= stack.back()->indent)
            stack.pop_back();
        Node* parent = stack.back();
        // The parent owns this line: a key after it goes after this line.
        for (Node* open : stack)
            open->blockEnd = line.end;
        if (parent->kind == Node::Kind::Other)
            continue; // inside a sequence or a multi-line value
        if (parent->childIndent < 0)
            parent->childIndent = line.indent;
        if (text[contentStart] == QLatin1Char('-')
            && (contentStart + 1 == line.contentEnd || isSpace(text[contentStart + 1]))) {
            // A sequence item. Indented under its key, it makes that key's value a sequence; YAML also
            // allows the dashes at the key's own indent ("tables:\n- name: x"), so look at the last key too.
            Node* last = parent->children.empty() ? nullptr : parent->children.back().get();
            if (last && last->indent == line.indent
                && (last->kind == Node::Kind::Other
                    || (last->kind == Node::Kind::BlockMap && last->children.empty()))) {
                last->kind = Node::Kind::Other;
                last->blockEnd = line.end;
                stack.push_back(last); // owns the item's deeper lines
            } else if (parent->kind == Node::Kind::BlockMap && parent->children.empty())
                parent->kind = Node::Kind::Other;
            continue;
        }
        if (parent->kind == Node::Kind::Scalar)
            continue;
        // `key: value` — the key ends at the first ": " or ":" at the end of the content.
        int colon = -1;
        for (int i = contentStart; i < line.contentEnd; ++i) {
            if (text[i] == QLatin1Char(':') && (i + 1 == line.contentEnd || isSpace(text[i + 1]))) {
                colon = i;
                break;
            }
            if (text[i] == QLatin1Char('"') || text[i] == QLatin1Char('\'') || text[i] == QLatin1Char('{')
                || text[i] == QLatin1Char('['))
                break;
        }
        if (colon < 0)
            continue;
        auto node = std::make_unique<Node>();
        node->key = text.mid(contentStart, colon - contentStart).trimmed();
        node->keyStart = contentStart;
        node->lineStart = line.start;
        node->indent = line.indent;
        node->blockEnd = line.end;
        int v = colon + 1;
        while (v < line.contentEnd && isSpace(text[v]))
            ++v;
        Node* raw = node.get();
        if (v >= line.contentEnd) {
            raw->kind = Node::Kind::BlockMap; // or a sequence: the first child line decides
            raw->valueStart = line.end;
            stack.push_back(raw);
        } else if (text[v] == QLatin1Char('{')) {
            if (parseFlowMap(text, v, line.contentEnd, *raw) < 0)
                raw->kind = Node::Kind::Other;
        } else if (text[v] == QLatin1Char('[') || text[v] == QLatin1Char('|') || text[v] == QLatin1Char('>')
            || text[v] == QLatin1Char('&') || text[v] == QLatin1Char('*') || text[v] == QLatin1Char('!')) {
            raw->kind = Node::Kind::Other;
            raw->valueStart = v;
            raw->valueLength = line.contentEnd - v;
            stack.push_back(raw); // owns any continuation lines
        } else {
            readScalar(text, v, line.contentEnd, *raw);
            stack.push_back(raw); // a plain scalar may continue on deeper lines
        }
        parent->children.push_back(std::move(node));
    }
}

YamlLocator::~YamlLocator() = default;
YamlLocator::YamlLocator(YamlLocator&&) noexcept = default;
YamlLocator& YamlLocator::operator=(YamlLocator&&) noexcept = default;

std::optional<YamlValue> YamlLocator::find(const QString& path) const
{
    const Node* node = m_root.get();
    for (const QString& key : path.split(QLatin1Char('.'))) {
        if (node->kind != Node::Kind::Root && node->kind != Node::Kind::BlockMap && node->kind != Node::Kind::FlowMap)
            return std::nullopt;
        node = node->child(key);
        if (!node)
            return std::nullopt;
    }
    YamlValue value;
    value.start = node->valueStart;
    value.length = node->valueLength;
    value.scalar = node->kind == Node::Kind::Scalar;
    value.mapping = node->kind == Node::Kind::BlockMap || node->kind == Node::Kind::FlowMap;
    value.inFlow = node->inFlow;
    value.quote = node->quote;
    value.text = value.scalar ? node->scalar : m_text.mid(node->valueStart, node->valueLength);
    return value;
}

std::optional<YamlEdit> YamlLocator::removeKey(const QString& path) const
{
    const QStringList keys = path.split(QLatin1Char('.'));
    const Node* parent = m_root.get();
    for (int i = 0; i + 1 < keys.size(); ++i) {
        parent = parent->child(keys[i]);
        if (!parent)
            return std::nullopt;
    }
    const auto& siblings = parent->children;
    size_t index = 0;
    while (index < siblings.size() && siblings[index]->key != keys.back())
        ++index;
    if (index == siblings.size())
        return std::nullopt;
    const Node& node = *siblings[index];
    if (!node.inFlow) {
        // The key's line and every line it owns, with the final line break.
        const int end = std::min(static_cast<int>(m_text.size()), node.blockEnd + 1);
        return YamlEdit { node.lineStart, end - node.lineStart, QString() };
    }
    const int valueEnd = node.valueStart + node.valueLength;
    if (index > 0) {
        const Node& previous = *siblings[index - 1];
        const int from = previous.valueStart + previous.valueLength;
        return YamlEdit { from, valueEnd - from, QString() };
    }
    if (index + 1 < siblings.size())
        return YamlEdit { node.keyStart, siblings[index + 1]->keyStart - node.keyStart, QString() };
    return YamlEdit { node.keyStart, valueEnd - node.keyStart, QString() };
}

QString YamlLocator::scalarText(const QString& value, bool inFlow, QChar preferredQuote)
{
    static const QString kSpecialStart = QStringLiteral("!&*-?{}[],#|>@`\"'%");
    bool quote = !preferredQuote.isNull() || value.isEmpty() || kSpecialStart.contains(value.front())
        || value.contains(QStringLiteral(": ")) || value.contains(QStringLiteral(" #"))
        || value.endsWith(QLatin1Char(':')) || value.front().isSpace() || value.back().isSpace();
    if (inFlow)
        quote = quote || value.contains(QLatin1Char(',')) || value.contains(QLatin1Char('{'))
            || value.contains(QLatin1Char('}')) || value.contains(QLatin1Char('[')) || value.contains(QLatin1Char(']'));
    if (!quote)
        return value;
    if (preferredQuote == QLatin1Char('\'') || (preferredQuote.isNull() && !value.contains(QLatin1Char('\''))))
        return QLatin1Char('\'') + QString(value).replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
    QString escaped = value;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

std::optional<YamlEdit> YamlLocator::setValue(const QString& path, const QString& value) const
{
    const QStringList keys = path.split(QLatin1Char('.'));
    const Node* node = m_root.get();
    int depth = 0;
    for (; depth < keys.size(); ++depth) {
        const Node* next = node->child(keys[depth]);
        if (!next)
            break;
        node = next;
    }
    if (depth == keys.size()) {
        if (node->kind != Node::Kind::Scalar)
            return std::nullopt;
        return YamlEdit { node->valueStart, node->valueLength, scalarText(value, node->inFlow, node->quote) };
    }
    const QStringList missing = keys.mid(depth);
    if (node->kind == Node::Kind::FlowMap) {
        // `{ a: 1 }` + b.c = 2  ->  `{ a: 1, b: { c: 2 } }`
        QString insert = missing.back() + QStringLiteral(": ") + scalarText(value, true);
        for (int i = static_cast<int>(missing.size()) - 2; i >= 0; --i)
            insert = missing[i] + QStringLiteral(": { ") + insert + QStringLiteral(" }");
        int close = node->valueStart + node->valueLength - 1; // the '}'
        int before = close;
        while (before > node->valueStart + 1 && isSpace(m_text[before - 1]))
            --before;
        if (node->children.empty())
            return YamlEdit { node->valueStart + 1, close - node->valueStart - 1,
                QLatin1Char(' ') + insert + QLatin1Char(' ') };
        return YamlEdit { before, 0, QStringLiteral(", ") + insert };
    }
    if (node->kind != Node::Kind::Root && node->kind != Node::Kind::BlockMap)
        return std::nullopt;
    // A block mapping: new lines after the last line it owns, indented like its children.
    int indent = node->childIndent >= 0 && !node->children.empty() ? node->childIndent : node->indent + 2;
    if (node->kind == Node::Kind::Root)
        indent = 0;
    QString insert;
    for (int i = 0; i < missing.size(); ++i) {
        insert += QString(indent + 2 * i, QLatin1Char(' ')) + missing[i] + QLatin1Char(':');
        insert += i + 1 == missing.size() ? QLatin1Char(' ') + scalarText(value, false) : QString();
        insert += QLatin1Char('\n');
    }
    int at = node->kind == Node::Kind::Root ? static_cast<int>(m_text.size()) : node->blockEnd;
    if (at < m_text.size())
        return YamlEdit { at + 1, 0, insert }; // after the line break of the last owned line
    // At the end of the text: start a new line if the text does not end with one, and end the same way.
    if (!m_text.isEmpty() && !m_text.endsWith(QLatin1Char('\n'))) {
        insert.prepend(QLatin1Char('\n'));
        insert.chop(1);
    }
    return YamlEdit { static_cast<int>(m_text.size()), 0, insert };
}

} // namespace shardsim::ui
