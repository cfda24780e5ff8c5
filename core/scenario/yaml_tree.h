#pragma once
// Internal: the scenario document as a plain tree with 1-based places, built from yaml-cpp in one
// guarded pass. Reading from this tree instead of YAML::Node keeps yaml-cpp's exceptions, alias
// sharing (billion laughs) and unbounded nesting out of the typed readers, and lets overrides carry
// their own origin.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace shardsim::scenario {

struct TreeNode {
    enum class Kind { Null, Scalar, Sequence, Map };

    Kind kind = Kind::Null;
    std::string scalar; // Scalar
    std::vector<TreeNode> children; // Sequence items, or Map values in file order (each with its key)
    std::string key; // set on a Map's values: their key
    int line = 0; // 1-based place of the value; 0 when unknown
    int column = 0;
    int keyLine = 0; // 1-based place of the key, on a Map's values
    int keyColumn = 0;
    int origin = -1; // -1: the scenario text; k >= 0: override number k

    bool isNull() const { return kind == Kind::Null; }
    bool isScalar() const { return kind == Kind::Scalar; }
    bool isSequence() const { return kind == Kind::Sequence; }
    bool isMap() const { return kind == Kind::Map; }

    const TreeNode* find(std::string_view name) const;
    TreeNode* find(std::string_view name);
    // "a mapping", "a list", "'abc'", "nothing": what a message says it got.
    std::string describe() const;
};

struct TreeError {
    int line = 0; // 1-based; 0 when the error has no place
    int column = 0;
    std::string message;
};

// Parses one YAML document. Rejects text that is not UTF-8 or holds NUL bytes, more than one
// document, syntax errors (with yaml-cpp's place), duplicate and non-scalar keys, nesting deeper than
// input_limits::kMaxDepth and documents that expand (through aliases) to more than kMaxYamlNodes.
// Returns false when the tree is unusable; `errors` may be non-empty either way. Never throws.
bool parseYamlTree(std::string_view text, int origin, TreeNode& out, std::vector<TreeError>& errors);

// Where the text stops being UTF-8 (or holds a NUL), as a 1-based line, with what was found there in `what`;
// 0 when it is clean text.
int firstNonTextLine(std::string_view text, std::string& what);

} // namespace shardsim::scenario
