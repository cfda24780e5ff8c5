#pragma once
// Finds the mapping values of a scenario file by dotted path ("cluster.node.max_qps") in its text,
// block or flow style, and computes the text edit that sets one — touching only that value, so
// comments, order and formatting survive. The core reads the file; this only points into it.
// Sequences are not entered: paths address mappings only.

#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace shardsim::ui {

struct YamlValue {
    int start = 0; // character offset of the value in the text
    int length = 0;
    QString text; // the scalar without its quotes
    bool scalar = false; // false: a mapping, a sequence, or something this locator does not read
    bool mapping = false;
    bool inFlow = false; // inside `{ ... }`: commas and braces need quoting
    QChar quote; // the quote the scalar was written with, if any
};

struct YamlEdit {
    int start = 0;
    int removeLength = 0;
    QString insert;
};

class YamlLocator {
public:
    explicit YamlLocator(const QString& text);
    ~YamlLocator();
    YamlLocator(YamlLocator&&) noexcept;
    YamlLocator& operator=(YamlLocator&&) noexcept;

    std::optional<YamlValue> find(const QString& path) const;
    // Sets a scalar, adding the key (and missing parent mappings) when absent. Fails (nullopt) when a
    // value on the path is not a mapping, or the value itself is a mapping or sequence.
    std::optional<YamlEdit> setValue(const QString& path, const QString& value) const;

    // Removes a key and its value (a block entry's lines, or a flow entry with its comma); nullopt when absent.
    std::optional<YamlEdit> removeKey(const QString& path) const;

    // `value` as a YAML scalar: quoted when plain text would be misread in that context.
    static QString scalarText(const QString& value, bool inFlow, QChar preferredQuote = {});

    struct Node;

private:
    QString m_text;
    std::unique_ptr<Node> m_root;
};

} // namespace shardsim::ui
