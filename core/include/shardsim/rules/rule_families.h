#pragma once
// The rule families the capacity planner can size: each turns a number of databases D (the units the
// rule spreads keys over, placed round-robin on the nodes) and tables per database T into a rule spec.
// docs/planner.md lists them and how each is sized.

#include <cstdint>
#include <string>
#include <vector>

#include "shardsim/rules/rule_spec.h"

namespace shardsim {

struct RuleFamily {
    std::string name; // "jump": the rule's name in the catalog
    bool integerKeysOnly = false; // arithmetic on the key itself: needs sequential or numeric ids
    bool tablesInRule = false; // db-table: the rule itself routes to a table, so T is part of the spec
    std::string sizedBy; // the parameter set to D, for the docs and reports ("buckets")
};

const std::vector<RuleFamily>& ruleFamilies();
const RuleFamily* findRuleFamily(const std::string& name);

// The family's rule over `databases` databases of `tables` tables each. `keyCount` is the key space the
// range family splits into equal parts (keys 1..keyCount).
RuleSpec ruleSpecFor(const RuleFamily& family, int databases, int tables, uint64_t keyCount);

} // namespace shardsim
