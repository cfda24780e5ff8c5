#pragma once
// The rule families the capacity planner can size: each turns a number of databases D (the units the
// rule spreads keys over, placed round-robin on the nodes) and tables per database T into a rule spec.
// docs/planner.md lists them and how each is sized.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shardsim/rules/rule_spec.h"

namespace shardsim {

struct RuleFamily {
    std::string name; // "jump": the rule's name in the catalog
    bool integerKeysOnly = false; // arithmetic on the key itself: needs sequential or numeric ids
    bool tablesInRule = false; // db-table: the rule itself routes to a table, so T is part of the spec
    std::string sizedBy; // the parameter set to D, for the docs and reports ("buckets")
    // auto-range: the rule as named, whatever the node count. Its ranges follow the data (split from the preset's
    // size over the table's bytes as a run loads it, then split, merged and moved by the balancer), so only the node
    // count sizes it and D is ignored.
    std::optional<RuleSpec> fixedRule;
};

const std::vector<RuleFamily>& ruleFamilies();
const RuleFamily* findRuleFamily(const std::string& name);

// The family of an `auto-range:preset=...` spec, named by its canonical text ("auto-range:preset=tikv"), or nullopt
// when `spec` is not a valid auto-range rule. `error` (optional) says why not.
std::optional<RuleFamily> autoRangeFamily(const RuleSpec& spec, std::string* error = nullptr);

// A name in plan.rules: one of ruleFamilies(), or an auto-range spec.
std::optional<RuleFamily> plannedRuleFamily(const std::string& name, std::string* error = nullptr);

// The family's rule over `databases` databases of `tables` tables each. `keyCount` is the key space the
// range family splits into equal parts (keys 1..keyCount).
RuleSpec ruleSpecFor(const RuleFamily& family, int databases, int tables, uint64_t keyCount);

} // namespace shardsim
