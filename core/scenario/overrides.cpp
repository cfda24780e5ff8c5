#include "overrides.h"

#include <fmt/format.h>

namespace shardsim::scenario {

namespace {

    struct Step {
        std::string key; // a mapping key, or empty for a list selector
        std::string selector; // `[0]` or `[t_user]`, without brackets
        bool isSelector = false;
    };

    // `data.tables[0].rows` -> data, tables, [0], rows. Empty on a malformed path.
    std::vector<Step> splitPath(std::string_view path)
    {
        std::vector<Step> steps;
        std::size_t i = 0;
        bool expectKey = true;
        while (i < path.size()) {
            if (path[i] == '[') {
                const std::size_t close = path.find(']', i);
                if (steps.empty() || close == std::string_view::npos || close == i + 1)
                    return {};
                steps.push_back({ {}, std::string(path.substr(i + 1, close - i - 1)), true });
                i = close + 1;
                expectKey = false;
                continue;
            }
            if (path[i] == '.') {
                if (steps.empty() || expectKey)
                    return {};
                ++i;
                expectKey = true;
                continue;
            }
            if (!expectKey)
                return {};
            std::size_t end = i;
            while (end < path.size() && path[end] != '.' && path[end] != '[' && path[end] != ']')
                ++end;
            if (end == i)
                return {};
            steps.push_back({ std::string(path.substr(i, end - i)), {}, false });
            i = end;
            expectKey = false;
        }
        if (expectKey)
            return {};
        return steps;
    }

    TreeNode* selectItem(TreeNode& list, const std::string& selector)
    {
        const bool numeric = !selector.empty() && selector.size() <= 9
            && selector.find_first_not_of("0123456789") == std::string::npos;
        if (numeric) {
            const std::size_t index = std::stoul(selector);
            return index < list.children.size() ? &list.children[index] : nullptr;
        }
        // A list of named entries (tables, operations) can be addressed by name.
        for (auto& item : list.children) {
            for (const char* field : { "name", "op" }) {
                const TreeNode* name = item.find(field);
                if (name && name->isScalar() && name->scalar == selector)
                    return &item;
            }
        }
        return nullptr;
    }

    void applyOne(TreeNode& root, const std::string& text, int origin, ReadContext& context)
    {
        const std::size_t equals = text.find('=');
        if (equals == std::string::npos || equals == 0) {
            context.errorAt(0, 0, origin, {}, "expected PATH=VALUE, e.g. cluster.nodes=16");
            return;
        }
        const std::string path = text.substr(0, equals);
        const std::vector<Step> steps = splitPath(path);
        if (steps.empty()) {
            context.errorAt(0, 0, origin, path, "malformed path; write it like data.tables[0].rows");
            return;
        }
        TreeNode value;
        std::vector<TreeError> errors;
        const bool usable = parseYamlTree(std::string_view(text).substr(equals + 1), origin, value, errors);
        for (const auto& error : errors)
            context.errorAt(0, 0, origin, path, error.message);
        if (!usable || !errors.empty())
            return;
        if (value.isNull()) {
            context.errorAt(0, 0, origin, path, "no value after '='");
            return;
        }

        TreeNode* current = &root;
        std::string reached;
        for (const Step& step : steps) {
            if (step.isSelector) {
                if (!current->isSequence()) {
                    context.errorAt(
                        0, 0, origin, path, fmt::format("{} is {}, not a list", reached, current->describe()));
                    return;
                }
                TreeNode* item = selectItem(*current, step.selector);
                if (!item) {
                    context.errorAt(0, 0, origin, path,
                        fmt::format(
                            "{} has no entry [{}] (it has {})", reached, step.selector, current->children.size()));
                    return;
                }
                reached += "[" + step.selector + "]";
                current = item;
                continue;
            }
            if (current->isNull()) {
                current->kind = TreeNode::Kind::Map;
                current->origin = origin;
            }
            if (!current->isMap()) {
                context.errorAt(0, 0, origin, path,
                    fmt::format(
                        "{} is {}, not a mapping", reached.empty() ? "the document" : reached, current->describe()));
                return;
            }
            reached += (reached.empty() ? "" : ".") + step.key;
            TreeNode* child = current->find(step.key);
            if (!child) {
                current->children.emplace_back();
                child = &current->children.back();
                child->key = step.key;
                child->origin = origin;
            }
            current = child;
        }
        value.key = current->key;
        value.keyLine = current->keyLine;
        value.keyColumn = current->keyColumn;
        *current = std::move(value);
    }

} // namespace

void applyOverrides(TreeNode& root, const std::vector<std::string>& overrides, ReadContext& context)
{
    for (std::size_t k = 0; k < overrides.size(); ++k)
        applyOne(root, overrides[k], static_cast<int>(k), context);
}

} // namespace shardsim::scenario
