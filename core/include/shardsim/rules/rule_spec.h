#pragma once
// The inline rule form `NAME` or `NAME:param=value,param=value`, list values separated by `|`
// (`range:bounds=10M|20M|30M`). The same text is accepted by the CLI and by `sharding.rule`.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/common/result.h"

namespace shardsim {

struct RuleSpec {
    std::string name;
    // Parameter name -> its values (one unless the value was a `|` list). Ordered for stable output.
    std::map<std::string, std::vector<std::string>> params;

    std::string toString() const;
};

Result<RuleSpec> parseRuleSpec(std::string_view text);

// Typed access to a spec's parameters that remembers which were read, so unknown parameters are
// reported ("did you mean") instead of silently ignored. Errors accumulate; check `errors()` at the end.
class RuleParams {
public:
    explicit RuleParams(const RuleSpec& spec);

    const std::string& ruleName() const { return m_spec.name; }
    bool has(const std::string& name) const;

    // Integer with the count suffixes of the scenario format (K, M, B, `_` separators), within [min, max].
    int64_t integer(const std::string& name, std::optional<int64_t> fallback, int64_t min, int64_t max);
    double number(const std::string& name, std::optional<double> fallback, double min, double max);
    std::string text(const std::string& name, std::optional<std::string> fallback);
    // One of `choices`.
    std::string choice(const std::string& name, std::optional<std::string> fallback,
        const std::vector<std::string>& choices);
    std::vector<std::string> list(const std::string& name, bool required);

    void addError(std::string message) { m_errors.push_back(std::move(message)); }
    // Call after reading every parameter: reports the unread ones, then returns all errors.
    const std::vector<std::string>& finish();

private:
    const std::vector<std::string>* single(const std::string& name, bool required);

    RuleSpec m_spec;
    std::vector<std::string> m_read;
    std::vector<std::string> m_errors;
};

} // namespace shardsim
