#include "yaml_tree.h"

#include <map>
#include <new>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <yaml-cpp/anchor.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include "shardsim/common/printable.h"
#include "shardsim/scenario/input_limits.h"

namespace shardsim::scenario {

int firstNonTextLine(std::string_view text, std::string& what)
{
    int line = 1;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++line;
            ++i;
            continue;
        }
        if (c == 0) {
            what = "a NUL byte";
            return line;
        }
        if (c < 0x80) {
            ++i;
            continue;
        }
        const std::size_t length = decodeUtf8(text, i).length;
        if (length == 0) {
            what = fmt::format("the byte 0x{:02X}, which is not UTF-8", c);
            return line;
        }
        i += length;
    }
    return 0;
}

namespace {

    // Where flow collections (`[`, `{`) open more than kMaxDepth deep, found before yaml-cpp sees the text: its
    // scanner would first tokenise every bracket of a pasted 200 KB line, at a cost of time and memory. Only a bracket
    // that opens a collection counts (after the start of a line, `:`, `-`, `,`, `?` or another bracket), not one in
    // a quoted or plain scalar (`a[b`), nor in a comment; so this finds a subset of what the tree builder refuses.
    bool tooDeepFlow(std::string_view text, int& line, int& column)
    {
        int depth = 0;
        int row = 1;
        int col = 0;
        char quote = 0;
        char previous = '\n'; // the last character that was not a space
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            ++col;
            if (c == '\n') {
                ++row;
                col = 0;
                previous = '\n';
                continue;
            }
            if (quote) {
                if (c == '\\' && quote == '"' && i + 1 < text.size() && text[i + 1] != '\n') {
                    ++i; // the escaped character
                    ++col;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == ' ' || c == '\t')
                continue;
            const bool opensValue = std::string_view("\n:-,?[{").find(previous) != std::string_view::npos;
            if ((c == '"' || c == '\'') && opensValue) {
                quote = c;
            } else if (c == '#' && (col == 1 || text[i - 1] == ' ' || text[i - 1] == '\t')) {
                while (i + 1 < text.size() && text[i + 1] != '\n')
                    ++i;
                continue;
            } else if ((c == '[' || c == '{') && opensValue) {
                if (++depth > input_limits::kMaxDepth) {
                    line = row;
                    column = col;
                    return true;
                }
            } else if ((c == ']' || c == '}') && depth > 0) {
                --depth;
            }
            previous = c;
        }
        return false;
    }

    void setPlace(const YAML::Mark& mark, int& line, int& column)
    {
        if (mark.line >= 0 && mark.column >= 0) {
            line = mark.line + 1;
            column = mark.column + 1;
        }
    }

    std::size_t sizeOf(const TreeNode& node)
    {
        std::size_t size = 1;
        for (const auto& child : node.children)
            size += sizeOf(child);
        return size;
    }

    // Builds the tree straight from the parser's events. Doing it here rather than through
    // YAML::Load keeps the document loop, alias expansion and nesting under our control: an alias is
    // a copy whose size counts against kMaxYamlNodes, so a billion-laughs file stops early.
    class TreeBuilder : public YAML::EventHandler {
    public:
        TreeBuilder(int origin, std::vector<TreeError>& errors)
            : m_origin(origin)
            , m_errors(errors)
        {
        }

        bool hasRoot() const { return m_hasRoot; }
        TreeNode& root() { return m_root; }
        bool exhausted() const { return m_exhausted; }

        void OnDocumentStart(const YAML::Mark&) override { }
        void OnDocumentEnd() override { }

        void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override
        {
            TreeNode node = make(mark, TreeNode::Kind::Null);
            finish(std::move(node), anchor);
        }

        void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override
        {
            if (m_exhausted)
                return;
            TreeNode node = make(mark, TreeNode::Kind::Null);
            if (anchor >= m_anchors.size() || !m_anchors[anchor]) {
                // `&a [*a]`: the anchor is still open, so the alias would contain itself.
                fail(node.line, node.column, "an alias refers to the value it is part of");
                finish(std::move(node), YAML::NullAnchor);
                return;
            }
            const Anchored& target = *m_anchors[anchor];
            if (!count(target.size, node.line, node.column))
                return;
            node = target.node;
            node.line = 0;
            setPlace(mark, node.line, node.column);
            finish(std::move(node), YAML::NullAnchor);
        }

        void OnScalar(
            const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string& value) override
        {
            TreeNode node = make(mark, TreeNode::Kind::Scalar);
            if (!m_exhausted && !skipping())
                node.scalar = value;
            finish(std::move(node), anchor);
        }

        void OnSequenceStart(
            const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override
        {
            open(mark, TreeNode::Kind::Sequence, anchor);
        }
        void OnSequenceEnd() override { close(); }

        void OnMapStart(
            const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override
        {
            open(mark, TreeNode::Kind::Map, anchor);
        }
        void OnMapEnd() override { close(); }

    private:
        struct Frame {
            TreeNode node;
            YAML::anchor_t anchor = YAML::NullAnchor;
            bool skip = false; // nested too deep: children are dropped
            // Maps: the key waiting for its value, and the keys seen (-> line of first use).
            std::optional<TreeNode> key;
            bool badKey = false;
            std::map<std::string, int, std::less<>> seen;
        };
        struct Anchored {
            TreeNode node;
            std::size_t size = 0;
        };

        bool skipping() const { return !m_stack.empty() && m_stack.back().skip; }

        TreeNode make(const YAML::Mark& mark, TreeNode::Kind kind) const
        {
            TreeNode node;
            node.kind = kind;
            node.origin = m_origin;
            setPlace(mark, node.line, node.column);
            return node;
        }

        void fail(int line, int column, std::string message)
        {
            m_errors.push_back({ line, column, std::move(message) });
        }

        bool count(std::size_t values, int line, int column)
        {
            if (m_exhausted)
                return false;
            m_visited += values;
            if (m_visited <= input_limits::kMaxYamlNodes)
                return true;
            m_exhausted = true;
            fail(line, column,
                fmt::format("the document expands to more than {} values (through aliases?); that is the limit",
                    input_limits::kMaxYamlNodes));
            return false;
        }

        void open(const YAML::Mark& mark, TreeNode::Kind kind, YAML::anchor_t anchor)
        {
            Frame frame;
            frame.node = make(mark, kind);
            frame.anchor = anchor;
            frame.skip = skipping() || m_exhausted;
            if (!frame.skip && m_stack.size() >= static_cast<std::size_t>(input_limits::kMaxDepth)) {
                frame.skip = true;
                if (!m_tooDeep) {
                    m_tooDeep = true;
                    fail(frame.node.line, frame.node.column,
                        fmt::format("nested deeper than {} levels; that is the limit", input_limits::kMaxDepth));
                }
            }
            m_stack.push_back(std::move(frame));
        }

        void close()
        {
            if (m_stack.empty())
                return;
            Frame frame = std::move(m_stack.back());
            m_stack.pop_back();
            if (frame.skip) {
                // The outermost skipped collection stands in as nothing.
                if (!skipping())
                    finish(make(YAML::Mark::null_mark(), TreeNode::Kind::Null), YAML::NullAnchor, &frame.node);
                return;
            }
            finish(std::move(frame.node), frame.anchor);
        }

        // A complete value: becomes the root, a sequence item, a map key or a map value.
        void finish(TreeNode node, YAML::anchor_t anchor, const TreeNode* placeOf = nullptr)
        {
            if (placeOf) {
                node.line = placeOf->line;
                node.column = placeOf->column;
            }
            if (m_exhausted || skipping())
                return;
            if (!count(1, node.line, node.column))
                return;
            if (anchor != YAML::NullAnchor) {
                if (m_anchors.size() <= anchor)
                    m_anchors.resize(anchor + 1);
                m_anchors[anchor] = Anchored { node, sizeOf(node) };
            }
            if (m_stack.empty()) {
                m_root = std::move(node);
                m_hasRoot = true;
                return;
            }
            Frame& parent = m_stack.back();
            if (parent.node.isSequence()) {
                parent.node.children.push_back(std::move(node));
                return;
            }
            if (!parent.key && !parent.badKey) {
                if (!node.isScalar()) {
                    fail(node.line ? node.line : parent.node.line, node.line ? node.column : parent.node.column,
                        node.isNull() ? "a key is missing before ':'"
                                      : "a key must be a plain name, not a mapping or a list");
                    parent.badKey = true;
                    return;
                }
                parent.key = std::move(node);
                return;
            }
            if (parent.badKey) {
                parent.badKey = false;
                return;
            }
            TreeNode key = std::move(*parent.key);
            parent.key.reset();
            if (auto [where, inserted] = parent.seen.emplace(key.scalar, key.line); !inserted) {
                fail(key.line, key.column,
                    where->second > 0 ? fmt::format("duplicate key '{}' (first at line {})", key.scalar, where->second)
                                      : fmt::format("duplicate key '{}'", key.scalar));
                return;
            }
            node.key = std::move(key.scalar);
            node.keyLine = key.line;
            node.keyColumn = key.column;
            parent.node.children.push_back(std::move(node));
        }

        int m_origin;
        std::vector<TreeError>& m_errors;
        std::vector<Frame> m_stack;
        std::vector<std::optional<Anchored>> m_anchors; // by anchor id; set once the anchored value is complete
        TreeNode m_root;
        bool m_hasRoot = false;
        std::size_t m_visited = 0;
        bool m_exhausted = false;
        bool m_tooDeep = false;
    };

} // namespace

const TreeNode* TreeNode::find(std::string_view name) const
{
    if (!isMap())
        return nullptr;
    for (const auto& child : children) {
        if (child.key == name)
            return &child;
    }
    return nullptr;
}

TreeNode* TreeNode::find(std::string_view name)
{
    return const_cast<TreeNode*>(static_cast<const TreeNode*>(this)->find(name));
}

std::string TreeNode::describe() const
{
    switch (kind) {
    case Kind::Null:
        return "nothing";
    case Kind::Sequence:
        return children.empty() ? "an empty list" : "a list";
    case Kind::Map:
        return children.empty() ? "an empty mapping" : "a mapping";
    case Kind::Scalar:
        break;
    }
    // Quote the value as written, cut so a pasted blob does not flood the message.
    constexpr std::size_t kShown = 40;
    std::string shown;
    for (char c : scalar.substr(0, kShown))
        shown += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    return "'" + shown + (scalar.size() > kShown ? "...'" : "'");
}

bool parseYamlTree(std::string_view text, int origin, TreeNode& out, std::vector<TreeError>& errors)
{
    out = TreeNode {};
    out.origin = origin;
    if (text.size() > input_limits::kMaxFileBytes) {
        errors.push_back({ 0, 0,
            fmt::format(
                "the text is {} bytes; more than {} (16 MiB) is not read", text.size(), input_limits::kMaxFileBytes) });
        return false;
    }
    std::string what;
    if (int line = firstNonTextLine(text, what)) {
        errors.push_back({ line, 0, "not a text file: found " + what });
        return false;
    }
    if (int line = 0, column = 0; tooDeepFlow(text, line, column)) {
        errors.push_back(
            { line, column, fmt::format("nested deeper than {} levels; that is the limit", input_limits::kMaxDepth) });
        return false;
    }
    try {
        std::istringstream stream { std::string(text) };
        YAML::Parser parser(stream);
        TreeBuilder builder(origin, errors);
        if (!parser.HandleNextDocument(builder) || !builder.hasRoot())
            return !builder.exhausted();
        if (builder.exhausted())
            return false;
        // One document only. yaml-cpp reports stray tokens after a document (`[a],`) as endless empty
        // documents, so look at most twice.
        for (int extra = 0; extra < 2; ++extra) {
            std::vector<TreeError> ignored;
            TreeBuilder next(origin, ignored);
            if (!parser.HandleNextDocument(next))
                break;
            const TreeNode& root = next.root();
            if (next.hasRoot() && !root.isNull()) {
                errors.push_back(
                    { root.line, root.column, "a second YAML document (after '---'); a scenario is one document" });
                return false;
            }
            if (extra == 1) {
                errors.push_back(
                    { root.line, root.column, "YAML syntax error: unexpected text after the end of the document" });
                return false;
            }
        }
        out = std::move(builder.root());
        return true;
    } catch (const YAML::DeepRecursion& e) {
        int line = 0;
        int column = 0;
        setPlace(e.mark, line, column);
        errors.push_back(
            { line, column, fmt::format("nested deeper than {} levels; that is the limit", input_limits::kMaxDepth) });
    } catch (const YAML::Exception& e) {
        int line = 0;
        int column = 0;
        setPlace(e.mark, line, column);
        errors.push_back({ line, column, "YAML syntax error: " + (e.msg.empty() ? std::string(e.what()) : e.msg) });
    } catch (const std::bad_alloc&) {
        errors.push_back({ 0, 0, "out of memory while reading the YAML" });
    } catch (const std::exception& e) {
        errors.push_back({ 0, 0, std::string("cannot read the YAML: ") + e.what() });
    } catch (...) {
        errors.push_back({ 0, 0, "cannot read the YAML" });
    }
    out = TreeNode {};
    out.origin = origin;
    return false;
}

} // namespace shardsim::scenario
