#include "shardsim/rules/rule_families.h"

#include <algorithm>

#include "shardsim/rules/auto_range_rule.h"
#include "shardsim/rules/rule_factory.h"

namespace shardsim {

const std::vector<RuleFamily>& ruleFamilies()
{
    // Order is the report's order among equally good rules: minimal-movement rules first, since they
    // make growth cheapest (docs/planner.md#choosing-a-rule).
    static const std::vector<RuleFamily> families {
        { "jump", false, false, "buckets" },
        { "rendezvous", false, false, "nodes" },
        { "maglev", false, false, "nodes" },
        { "ring", false, false, "nodes" },
        { "hash-mod", false, false, "n" },
        { "mod", true, false, "n" },
        { "db-table", true, true, "dbs" },
        { "range", true, false, "bounds" },
        { "kafka", false, false, "partitions" },
        { "redis-cluster", false, false, "nodes" },
        { "citus", false, false, "shards" },
        { "elasticsearch", false, false, "shards" },
        { "shardingsphere-hash-mod", false, false, "count" },
        { "mycat-murmur", false, false, "nodes" },
        { "mycat-crc32slot", false, false, "nodes" },
        { "rendezvous-skeleton", false, false, "nodes" },
    };
    return families;
}

const RuleFamily* findRuleFamily(const std::string& name)
{
    const auto& families = ruleFamilies();
    auto found = std::find_if(families.begin(), families.end(), [&](const RuleFamily& f) { return f.name == name; });
    return found == families.end() ? nullptr : &*found;
}

std::optional<RuleFamily> autoRangeFamily(const RuleSpec& spec, std::string* error)
{
    if (spec.name != "auto-range") {
        if (error)
            *error = "not an auto-range rule";
        return std::nullopt;
    }
    auto rule = makeRule(spec);
    if (!rule) {
        if (error)
            *error = rule.error();
        return std::nullopt;
    }
    const std::string canonical = (*rule)->spec();
    auto fixed = parseRuleSpec(canonical);
    if (!fixed) {
        if (error)
            *error = fixed.error();
        return std::nullopt;
    }
    // Ranges are cut from ordered integer keys; "nodes" is what sizes it.
    return RuleFamily { canonical, true, false, "nodes", *fixed };
}

std::optional<RuleFamily> plannedRuleFamily(const std::string& name, std::string* error)
{
    if (const RuleFamily* family = findRuleFamily(name))
        return *family;
    auto spec = parseRuleSpec(name);
    if (!spec) {
        if (error)
            *error = spec.error();
        return std::nullopt;
    }
    return autoRangeFamily(*spec, error);
}

RuleSpec ruleSpecFor(const RuleFamily& family, int databases, int tables, uint64_t keyCount)
{
    if (family.fixedRule)
        return *family.fixedRule;
    RuleSpec spec;
    spec.name = family.name;
    if (family.name == "db-table") {
        spec.params["dbs"] = { std::to_string(databases) };
        spec.params["tables"] = { std::to_string(std::max(tables, 1)) };
    } else if (family.name == "range") {
        // D equal parts of keys 1..keyCount: bound i is the first key of part i.
        std::vector<std::string> bounds;
        const uint64_t keys = std::max<uint64_t>(keyCount, uint64_t(databases));
        for (int i = 1; i < databases; ++i)
            bounds.push_back(std::to_string(1 + keys / uint64_t(databases) * uint64_t(i)));
        if (bounds.empty())
            spec.params["bounds"] = { std::to_string(keys + 1) };
        else
            spec.params["bounds"] = std::move(bounds);
    } else {
        spec.params[family.sizedBy] = { std::to_string(databases) };
    }
    return spec;
}

} // namespace shardsim
