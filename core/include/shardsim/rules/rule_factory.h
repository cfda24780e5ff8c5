#pragma once
// Builds a shard rule from its spec. Every rule of the library is listed in `ruleCatalog()`.

#include <string>
#include <string_view>
#include <vector>

#include "shardsim/common/result.h"
#include "shardsim/rules/rule_spec.h"
#include "shardsim/rules/shard_rule.h"

namespace shardsim {

struct RuleContext {
    // Relative file parameters (a directory's CSV) are read from here; empty means the working directory.
    std::string baseDirectory;
};

struct RuleInfo {
    std::string name; // "db-table"
    std::string synopsis; // "db-table:dbs=D,tables=T[,fold=F]"
    std::string summary; // one line for --help
};

const std::vector<RuleInfo>& ruleCatalog();

// All problems of a spec at once (unknown rule with a suggestion, missing, malformed or unknown
// parameters), joined by "; ".
Result<ShardRulePtr> makeRule(const RuleSpec& spec, const RuleContext& context = {});
Result<ShardRulePtr> makeRule(std::string_view specText, const RuleContext& context = {});

} // namespace shardsim
