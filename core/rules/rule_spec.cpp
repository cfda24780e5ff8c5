#include "shardsim/rules/rule_spec.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "shardsim/common/suggest.h"
#include "shardsim/common/units.h"

namespace shardsim {

namespace {

    std::string_view trim(std::string_view text)
    {
        while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
            text.remove_prefix(1);
        while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
            text.remove_suffix(1);
        return text;
    }

    std::vector<std::string_view> split(std::string_view text, char separator)
    {
        std::vector<std::string_view> parts;
        size_t start = 0;
        while (true) {
            const size_t at = text.find(separator, start);
            parts.push_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
            if (at == std::string_view::npos)
                return parts;
            start = at + 1;
        }
    }

    bool isNameChar(char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

} // namespace

std::string RuleSpec::toString() const
{
    std::string out = name;
    char separator = ':';
    for (const auto& [key, values] : params) {
        out += separator;
        out += key + '=';
        for (size_t i = 0; i < values.size(); ++i)
            out += (i ? "|" : "") + values[i];
        separator = ',';
    }
    return out;
}

Result<RuleSpec> parseRuleSpec(std::string_view text)
{
    text = trim(text);
    if (text.empty())
        return fail("empty rule spec; expected NAME or NAME:param=value,...");
    RuleSpec spec;
    const size_t colon = text.find(':');
    spec.name = std::string(trim(text.substr(0, colon)));
    if (spec.name.empty() || !std::all_of(spec.name.begin(), spec.name.end(), isNameChar))
        return fail(fmt::format("'{}' is not a rule name; expected NAME or NAME:param=value,...", spec.name));
    if (colon == std::string_view::npos)
        return spec;
    const std::string_view body = text.substr(colon + 1);
    if (trim(body).empty())
        return fail(fmt::format("rule '{}' has ':' but no parameters", spec.name));
    for (std::string_view item : split(body, ',')) {
        item = trim(item);
        const size_t equals = item.find('=');
        if (equals == std::string_view::npos)
            return fail(fmt::format("parameter '{}' of rule '{}' needs a value: param=value", item, spec.name));
        const std::string key(trim(item.substr(0, equals)));
        if (key.empty() || !std::all_of(key.begin(), key.end(), isNameChar))
            return fail(fmt::format("'{}' is not a parameter name in rule '{}'", key, spec.name));
        if (spec.params.count(key))
            return fail(fmt::format("parameter '{}' is given twice in rule '{}'", key, spec.name));
        std::vector<std::string> values;
        for (std::string_view value : split(item.substr(equals + 1), '|')) {
            value = trim(value);
            if (value.empty())
                return fail(fmt::format("parameter '{}' of rule '{}' has an empty value", key, spec.name));
            values.emplace_back(value);
        }
        spec.params.emplace(key, std::move(values));
    }
    return spec;
}

RuleParams::RuleParams(const RuleSpec& spec)
    : m_spec(spec)
{
}

bool RuleParams::has(const std::string& name) const { return m_spec.params.count(name) != 0; }

const std::vector<std::string>* RuleParams::single(const std::string& name, bool required)
{
    m_read.push_back(name);
    const auto found = m_spec.params.find(name);
    if (found == m_spec.params.end()) {
        if (required)
            addError(fmt::format("rule '{}' needs parameter '{}'", m_spec.name, name));
        return nullptr;
    }
    if (found->second.size() != 1) {
        addError(fmt::format("parameter '{}' of rule '{}' takes one value, not a list", name, m_spec.name));
        return nullptr;
    }
    return &found->second;
}

int64_t RuleParams::integer(const std::string& name, std::optional<int64_t> fallback, int64_t min, int64_t max)
{
    const auto* values = single(name, !fallback.has_value());
    if (!values)
        return fallback.value_or(min);
    auto value = units::parseCount(values->front());
    // Counts are non-negative; a negative bound (rare) is read as a plain signed number.
    if (!value) {
        auto number = units::parseNumber(values->front());
        if (number && *number == std::floor(*number) && std::abs(*number) < 9e18)
            value = static_cast<int64_t>(*number);
    }
    if (!value) {
        addError(fmt::format("parameter '{}' of rule '{}': {}", name, m_spec.name, value.error()));
        return fallback.value_or(min);
    }
    if (*value < min || *value > max) {
        addError(fmt::format("parameter '{}' of rule '{}' must be between {} and {} (got {})", name, m_spec.name, min,
            max, values->front()));
        return fallback.value_or(min);
    }
    return *value;
}

double RuleParams::number(const std::string& name, std::optional<double> fallback, double min, double max)
{
    const auto* values = single(name, !fallback.has_value());
    if (!values)
        return fallback.value_or(min);
    auto value = units::parseNumber(values->front());
    if (!value) {
        addError(fmt::format("parameter '{}' of rule '{}': {}", name, m_spec.name, value.error()));
        return fallback.value_or(min);
    }
    if (*value < min || *value > max) {
        addError(fmt::format("parameter '{}' of rule '{}' must be between {} and {} (got {})", name, m_spec.name, min,
            max, values->front()));
        return fallback.value_or(min);
    }
    return *value;
}

std::string RuleParams::text(const std::string& name, std::optional<std::string> fallback)
{
    const auto* values = single(name, !fallback.has_value());
    if (!values)
        return fallback.value_or(std::string());
    return values->front();
}

std::string RuleParams::choice(
    const std::string& name, std::optional<std::string> fallback, const std::vector<std::string>& choices)
{
    const std::string value = text(name, fallback);
    if (!has(name) || std::find(choices.begin(), choices.end(), value) != choices.end())
        return value;
    std::string expected;
    for (size_t i = 0; i < choices.size(); ++i)
        expected += (i ? ", " : "") + choices[i];
    addError(fmt::format("parameter '{}' of rule '{}' must be one of {} (got '{}'){}", name, m_spec.name, expected,
        value, didYouMean(value, choices)));
    return fallback.value_or(choices.front());
}

std::vector<std::string> RuleParams::list(const std::string& name, bool required)
{
    m_read.push_back(name);
    const auto found = m_spec.params.find(name);
    if (found == m_spec.params.end()) {
        if (required)
            addError(fmt::format("rule '{}' needs parameter '{}'", m_spec.name, name));
        return {};
    }
    return found->second;
}

const std::vector<std::string>& RuleParams::finish()
{
    for (const auto& [key, values] : m_spec.params) {
        if (std::find(m_read.begin(), m_read.end(), key) == m_read.end())
            addError(fmt::format("rule '{}' has no parameter '{}'{}", m_spec.name, key, didYouMean(key, m_read)));
    }
    m_read.clear();
    // Later reads after finish() would re-report; keep the unknown-parameter check to one pass.
    for (const auto& [key, values] : m_spec.params)
        m_read.push_back(key);
    return m_errors;
}

} // namespace shardsim
