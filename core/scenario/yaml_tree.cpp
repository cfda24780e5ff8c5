#include "yaml_tree.h"

#include <map>
#include <new>
#include <stdexcept>

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "shardsim/scenario/input_limits.h"

namespace shardsim::scenario {

namespace {

    // Where the text stops being UTF-8 (or holds a NUL), as a 1-based line; 0 when it is clean.
    int firstBadLine(std::string_view text, std::string& what)
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
            std::size_t length = 0;
            uint32_t min = 0;
            if ((c & 0xE0) == 0xC0) {
                length = 2;
                min = 0x80;
            } else if ((c & 0xF0) == 0xE0) {
                length = 3;
                min = 0x800;
            } else if ((c & 0xF8) == 0xF0) {
                length = 4;
                min = 0x10000;
            } else {
                what = fmt::format("the byte 0x{:02X}, which is not UTF-8", c);
                return line;
            }
            if (i + length > text.size()) {
                what = "a UTF-8 sequence cut short at the end";
                return line;
            }
            uint32_t code = c & (0x7F >> length);
            for (std::size_t k = 1; k < length; ++k) {
                const auto next = static_cast<unsigned char>(text[i + k]);
                if ((next & 0xC0) != 0x80) {
                    what = fmt::format("the byte 0x{:02X}, which is not UTF-8", c);
                    return line;
                }
                code = (code << 6) | (next & 0x3F);
            }
            if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
                what = "an invalid UTF-8 sequence";
                return line;
            }
            i += length;
        }
        return 0;
    }

    void setPlace(const YAML::Mark& mark, int& line, int& column)
    {
        if (mark.line >= 0 && mark.column >= 0) {
            line = mark.line + 1;
            column = mark.column + 1;
        }
    }

    class Converter {
    public:
        Converter(int origin, std::vector<TreeError>& errors)
            : m_origin(origin)
            , m_errors(errors)
        {
        }

        bool exhausted() const { return m_exhausted; }

        void convert(const YAML::Node& in, TreeNode& out, int depth)
        {
            out.origin = m_origin;
            setPlace(in.Mark(), out.line, out.column);
            if (m_exhausted)
                return;
            // Aliases share one node, so a small file can name a huge tree: count every visit.
            if (++m_visited > input_limits::kMaxYamlNodes) {
                m_exhausted = true;
                // Blame the top-level entry being expanded: the alias that exploded is somewhere in it.
                const bool blameEntry = m_entryLine > 0;
                m_errors.push_back({ blameEntry ? m_entryLine : out.line, blameEntry ? m_entryColumn : out.column,
                    fmt::format("the document expands to more than {} values (through aliases?); that is the limit",
                        input_limits::kMaxYamlNodes) });
                return;
            }
            switch (in.Type()) {
            case YAML::NodeType::Scalar:
                out.kind = TreeNode::Kind::Scalar;
                out.scalar = in.Scalar();
                return;
            case YAML::NodeType::Sequence:
            case YAML::NodeType::Map:
                break;
            default:
                out.kind = TreeNode::Kind::Null;
                return;
            }
            if (depth >= input_limits::kMaxDepth) {
                if (!m_tooDeep) {
                    m_tooDeep = true;
                    m_errors.push_back({ out.line, out.column,
                        fmt::format("nested deeper than {} levels; that is the limit", input_limits::kMaxDepth) });
                }
                return;
            }
            if (in.IsSequence()) {
                out.kind = TreeNode::Kind::Sequence;
                for (const auto& item : in) {
                    out.children.emplace_back();
                    convert(item, out.children.back(), depth + 1);
                    if (m_exhausted)
                        return;
                }
                return;
            }
            out.kind = TreeNode::Kind::Map;
            std::map<std::string, int, std::less<>> seen; // key -> line of its first occurrence
            for (auto it = in.begin(); it != in.end(); ++it) {
                int keyLine = 0;
                int keyColumn = 0;
                setPlace(it->first.Mark(), keyLine, keyColumn);
                if (!it->first.IsScalar()) {
                    m_errors.push_back({ keyLine ? keyLine : out.line, keyLine ? keyColumn : out.column,
                        it->first.IsNull() ? "a key is missing before ':'"
                                           : "a key must be a plain name, not a mapping or a list" });
                    continue;
                }
                const std::string& key = it->first.Scalar();
                if (auto [where, inserted] = seen.emplace(key, keyLine); !inserted) {
                    m_errors.push_back({ keyLine, keyColumn,
                        where->second > 0 ? fmt::format("duplicate key '{}' (first at line {})", key, where->second)
                                          : fmt::format("duplicate key '{}'", key) });
                    continue;
                }
                out.children.emplace_back();
                TreeNode& value = out.children.back();
                value.key = key;
                value.keyLine = keyLine;
                value.keyColumn = keyColumn;
                if (depth == 0) {
                    m_entryLine = keyLine;
                    m_entryColumn = keyColumn;
                }
                convert(it->second, value, depth + 1);
                if (m_exhausted)
                    return;
            }
        }

    private:
        int m_origin;
        std::vector<TreeError>& m_errors;
        std::size_t m_visited = 0;
        bool m_exhausted = false;
        bool m_tooDeep = false;
        int m_entryLine = 0; // key of the top-level entry being converted
        int m_entryColumn = 0;
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
            fmt::format("the text is {} bytes; more than {} (16 MiB) is not read", text.size(),
                input_limits::kMaxFileBytes) });
        return false;
    }
    std::string what;
    if (int line = firstBadLine(text, what)) {
        errors.push_back({ line, 0, "not a text file: found " + what });
        return false;
    }
    try {
        const std::vector<YAML::Node> documents = YAML::LoadAll(std::string(text));
        if (documents.empty())
            return true;
        for (std::size_t i = 1; i < documents.size(); ++i) {
            if (!documents[i].IsNull()) {
                int line = 0;
                int column = 0;
                setPlace(documents[i].Mark(), line, column);
                errors.push_back({ line, column, "a second YAML document (after '---'); a scenario is one document" });
                return false;
            }
        }
        Converter converter(origin, errors);
        converter.convert(documents.front(), out, 0);
        return !converter.exhausted();
    } catch (const YAML::DeepRecursion& e) {
        int line = 0;
        int column = 0;
        setPlace(e.mark, line, column);
        errors.push_back({ line, column,
            fmt::format("nested deeper than {} levels; that is the limit", input_limits::kMaxDepth) });
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
