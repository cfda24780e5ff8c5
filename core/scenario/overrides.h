#pragma once
// Internal: `PATH=VALUE` overrides applied to the scenario tree before it is read.

#include <string>
#include <vector>

#include "read_context.h"
#include "yaml_tree.h"

namespace shardsim::scenario {

// Override k replaces (or creates) the value at its path with its VALUE parsed as YAML; every node it
// brings carries origin k, so later errors about it name the override. Malformed overrides are
// reported and skipped.
void applyOverrides(TreeNode& root, const std::vector<std::string>& overrides, ReadContext& context);

} // namespace shardsim::scenario
