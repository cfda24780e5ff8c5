#include "read_context.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "shardsim/common/printable.h"
#include "shardsim/common/suggest.h"
#include "shardsim/common/units.h"
#include "shardsim/scenario/input_limits.h"

namespace shardsim::scenario {

ReadContext::ReadContext(std::string fileName, std::vector<std::string> overrides)
    : m_fileName(std::move(fileName))
    , m_overrides(std::move(overrides))
{
}

void ReadContext::error(const TreeNode& at, std::string path, std::string message)
{
    if (at.line > 0)
        errorAt(at.line, at.column, at.origin, std::move(path), std::move(message));
    else
        errorAt(at.keyLine, at.keyColumn, at.origin, std::move(path), std::move(message));
}

void ReadContext::errorAtKey(const TreeNode& at, std::string path, std::string message)
{
    if (at.keyLine > 0)
        errorAt(at.keyLine, at.keyColumn, at.origin, std::move(path), std::move(message));
    else
        error(at, std::move(path), std::move(message));
}

std::string ReadContext::originText(int origin) const
{
    if (origin < 0 || static_cast<std::size_t>(origin) >= m_overrides.size())
        return {};
    return "--set '" + m_overrides[static_cast<std::size_t>(origin)] + "'";
}

void ReadContext::errorAt(int line, int column, int origin, std::string path, std::string message)
{
    Diagnostic diagnostic;
    if (origin >= 0 && static_cast<std::size_t>(origin) < m_overrides.size()) {
        // An override has no useful line: name it instead, as the user typed it.
        diagnostic.file = "override '" + m_overrides[static_cast<std::size_t>(origin)] + "'";
    } else {
        diagnostic.file = m_fileName;
        diagnostic.line = line;
        diagnostic.column = line > 0 ? column : 0;
    }
    diagnostic.path = std::move(path);
    diagnostic.message = std::move(message);
    m_diagnostics.push_back(std::move(diagnostic));
    m_origins.push_back(origin);
}

Diagnostics ReadContext::take()
{
    std::vector<std::size_t> order(m_diagnostics.size());
    std::iota(order.begin(), order.end(), std::size_t { 0 });
    std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
        const auto& x = m_diagnostics[a];
        const auto& y = m_diagnostics[b];
        return std::tie(m_origins[a], x.line, x.column) < std::tie(m_origins[b], y.line, y.column);
    });
    Diagnostics sorted;
    for (std::size_t i : order) {
        if (sorted.size() == input_limits::kMaxDiagnostics) {
            Diagnostic last;
            last.file = m_fileName;
            last.message = fmt::format("{} more errors not shown (the first {} are listed)",
                m_diagnostics.size() - sorted.size(), input_limits::kMaxDiagnostics);
            sorted.push_back(std::move(last));
            break;
        }
        sorted.push_back(std::move(m_diagnostics[i]));
    }
    m_diagnostics.clear();
    m_origins.clear();
    return sorted;
}

// --- MapReader -------------------------------------------------------------------------------------

MapReader::MapReader(ReadContext& context, const TreeNode* node, std::string path, std::vector<std::string> keys)
    : m_context(context)
    , m_node(node)
    , m_path(std::move(path))
    , m_keys(std::move(keys))
{
    if (m_node && !m_node->isMap() && !m_node->isNull()) {
        std::string expected = "expected a mapping";
        if (!m_keys.empty()) {
            expected += " with keys such as ";
            for (std::size_t i = 0; i < std::min<std::size_t>(3, m_keys.size()); ++i)
                expected += (i ? ", " : "") + m_keys[i];
        }
        m_context.error(*m_node, m_path, expected + ", got " + m_node->describe());
        m_node = nullptr;
    }
}

std::string MapReader::pathOf(std::string_view key) const
{
    return m_path.empty() ? std::string(key) : m_path + "." + std::string(key);
}

const TreeNode* MapReader::get(std::string_view key)
{
    if (std::find(m_read.begin(), m_read.end(), key) == m_read.end())
        m_read.emplace_back(key);
    return m_node ? m_node->find(key) : nullptr;
}

const TreeNode* MapReader::require(std::string_view key, std::string_view what)
{
    const TreeNode* value = get(key);
    if (!value && m_node)
        reportMissing(m_context, *m_node, m_path, key, what);
    return value;
}

void MapReader::finish(std::string_view applicability)
{
    if (!m_node)
        return;
    for (const auto& child : m_node->children) {
        if (std::find(m_read.begin(), m_read.end(), child.key) != m_read.end())
            continue;
        if (std::find(m_keys.begin(), m_keys.end(), child.key) != m_keys.end()) {
            m_context.errorAtKey(child, m_path, fmt::format("'{}' does not apply to {}", child.key, applicability));
            continue;
        }
        std::string message = fmt::format("unknown key '{}'", child.key.substr(0, 60));
        std::string suggestion = didYouMean(child.key, m_keys);
        if (!suggestion.empty()) {
            message += suggestion;
        } else if (!m_keys.empty()) {
            message += "; expected one of: ";
            for (std::size_t i = 0; i < m_keys.size(); ++i)
                message += (i ? ", " : "") + m_keys[i];
        }
        m_context.errorAtKey(child, m_path, std::move(message));
    }
}

void reportMissing(
    ReadContext& context, const TreeNode& map, const std::string& path, std::string_view key, std::string_view what)
{
    std::string message = fmt::format("missing required key '{}'", key);
    if (!what.empty())
        message += fmt::format(" ({})", what);
    // The key that opens the mapping is where a reader looks for what is missing under it.
    if (map.keyLine > 0)
        context.errorAtKey(map, path, std::move(message));
    else
        context.error(map, path, std::move(message));
}

// --- scalars ---------------------------------------------------------------------------------------

std::string formatNumber(double value)
{
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
        return fmt::format("{}", static_cast<int64_t>(value));
    return fmt::format("{}", value);
}

namespace {

    using Formatter = std::string (*)(double);

    // The range check shared by every numeric reader; `shown` is the value as the user wrote it.
    template <typename T>
    std::optional<T> checkRange(ReadContext& context, const TreeNode& node, const std::string& path, T value, T min,
        T max, Formatter format, std::string_view limit)
    {
        if (value < min) {
            context.error(node, path, fmt::format("must be at least {} (got {})", format(double(min)), node.scalar));
            return std::nullopt;
        }
        if (value > max) {
            if (!limit.empty())
                context.error(node, path,
                    fmt::format("must be at most {}, {} (got {})", format(double(max)), limit, node.scalar));
            else
                context.error(node, path, fmt::format("must be at most {} (got {})", format(double(max)), node.scalar));
            return std::nullopt;
        }
        return value;
    }

    const std::string* scalarOrError(
        ReadContext& context, const TreeNode& node, const std::string& path, std::string_view expected)
    {
        if (node.isScalar())
            return &node.scalar;
        context.error(node, path, fmt::format("expected {}, got {}", expected, node.describe()));
        return nullptr;
    }

    template <typename T>
    std::optional<T> parsed(ReadContext& context, const TreeNode& node, const std::string& path,
        const Result<T>& result, std::string_view expected)
    {
        if (result.ok())
            return result.value();
        // The units' own words when they say more than "expected X" (a missing or unknown unit, a
        // negative value); otherwise the field's own example.
        const std::string& why = result.error();
        if (why.starts_with("expected"))
            context.error(node, path, fmt::format("expected {}, got {}", expected, node.describe()));
        else
            context.error(node, path, why);
        return std::nullopt;
    }

    std::string formatDurationBound(double seconds) { return units::formatDuration(seconds); }
    std::string formatSizeBound(double bytes) { return units::formatSize(bytes); }
    std::string formatRateBound(double perSecond) { return units::formatCount(perSecond) + "/s"; }
    std::string formatByteRateBound(double perSecond) { return units::formatSize(perSecond) + "/s"; }
    std::string formatFactorBound(double factor) { return formatNumber(factor) + "x"; }

    bool isNameChar(unsigned char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
            || c == '.' || c >= 0x80;
    }

    std::string lower(std::string_view text)
    {
        std::string out(text);
        for (char& c : out) {
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
        }
        return out;
    }

} // namespace

std::optional<std::string> readText(ReadContext& context, const TreeNode& node, const std::string& path)
{
    if (const std::string* text = scalarOrError(context, node, path, "a text value"))
        return *text;
    return std::nullopt;
}

std::optional<std::string> readName(ReadContext& context, const TreeNode& node, const std::string& path)
{
    const std::string* text = scalarOrError(context, node, path, "a name");
    if (!text)
        return std::nullopt;
    constexpr std::size_t kMaxName = 128;
    if (text->empty() || text->size() > kMaxName
        || !std::all_of(text->begin(), text->end(), [](char c) { return isNameChar(static_cast<unsigned char>(c)); })
        || firstUnprintable(*text)) {
        context.error(node, path,
            fmt::format(
                "{} is not a valid name: use 1 to {} letters, digits, '_', '-' or '.' (no control or invisible "
                "characters)",
                node.describe(), kMaxName));
        return std::nullopt;
    }
    return *text;
}

std::optional<std::string> readLabel(
    ReadContext& context, const TreeNode& node, const std::string& path, std::size_t maxLength, std::string_view allowed)
{
    auto text = readText(context, node, path);
    if (!text)
        return std::nullopt;
    if (text->empty() || text->size() > maxLength) {
        context.error(node, path, fmt::format("must be 1 to {} characters", maxLength));
        return std::nullopt;
    }
    if (auto character = firstUnprintable(*text, allowed)) {
        context.error(node, path,
            fmt::format("holds the control or invisible character {}; it would reach terminals and reports raw",
                *character));
        return std::nullopt;
    }
    return text;
}

std::optional<bool> readBool(ReadContext& context, const TreeNode& node, const std::string& path)
{
    const std::string* text = scalarOrError(context, node, path, "true or false");
    if (!text)
        return std::nullopt;
    const std::string word = lower(*text);
    if (word == "true" || word == "yes" || word == "on")
        return true;
    if (word == "false" || word == "no" || word == "off")
        return false;
    context.error(node, path, fmt::format("expected true or false, got {}", node.describe()));
    return std::nullopt;
}

std::optional<int64_t> readCount(ReadContext& context, const TreeNode& node, const std::string& path, int64_t min,
    int64_t max, std::string_view limit)
{
    const char* expected = "a whole number like 8, 50M or 1_000_000";
    const std::string* text = scalarOrError(context, node, path, expected);
    if (!text)
        return std::nullopt;
    auto value = parsed(context, node, path, units::parseCount(*text), expected);
    if (!value)
        return std::nullopt;
    return checkRange<int64_t>(context, node, path, *value, min, max, formatNumber, limit);
}

std::optional<double> readNumber(
    ReadContext& context, const TreeNode& node, const std::string& path, double min, double max)
{
    const char* expected = "a number like 0.99";
    const std::string* text = scalarOrError(context, node, path, expected);
    if (!text)
        return std::nullopt;
    auto value = parsed(context, node, path, units::parseNumber(*text), expected);
    if (!value)
        return std::nullopt;
    return checkRange(context, node, path, *value, min, max, formatNumber, {});
}

std::optional<double> readDuration(
    ReadContext& context, const TreeNode& node, const std::string& path, double min, double max, std::string_view limit)
{
    const char* expected = "a duration like 30s";
    const std::string* text = scalarOrError(context, node, path, expected);
    if (!text)
        return std::nullopt;
    auto value = parsed(context, node, path, units::parseDuration(*text), expected);
    if (!value)
        return std::nullopt;
    return checkRange(context, node, path, *value, min, max, formatDurationBound, limit);
}

std::optional<double> readSize(
    ReadContext& context, const TreeNode& node, const std::string& path, double min, double max)
{
    const char* expected = "a size like 512B, 4KB or 2GiB";
    const std::string* text = scalarOrError(context, node, path, expected);
    if (!text)
        return std::nullopt;
    auto value = parsed(context, node, path, units::parseSize(*text), expected);
    if (!value)
        return std::nullopt;
    return checkRange(context, node, path, *value, min, max, formatSizeBound, {});
}

std::optional<double> readRate(
    ReadContext& context, const TreeNode& node, const std::string& path, double min, double max)
{
    const char* expected = "a rate like 50K/s or 2M/day";
    const std::string* text = scalarOrError(context, node, path, expected);
    if (!text)
        return std::nullopt;
    auto value = parsed(context, node, path, units::parseRate(*text), expected);
    if (!value)
        return std::nullopt;
    return checkRange(context, node, path, *value, min, max, formatRateBound, {});
}

std::optional<double> readByteRate(
    ReadContext& context, const TreeNode& node, const std::string& path, double min, double max)
{
    const char* expected = "a bandwidth like 100MB/s";
    const std::string* text = scalarOrError(context, node, path, expected);
    if (!text)
        return std::nullopt;
    auto value = parsed(context, node, path, units::parseByteRate(*text), expected);
    if (!value)
        return std::nullopt;
    return checkRange(context, node, path, *value, min, max, formatByteRateBound, {});
}

std::optional<double> readMultiplier(
    ReadContext& context, const TreeNode& node, const std::string& path, double min, double max)
{
    const char* expected = "a factor like 30x";
    const std::string* text = scalarOrError(context, node, path, expected);
    if (!text)
        return std::nullopt;
    auto factor = units::parseMultiplier(*text);
    if (!factor.ok()) {
        if (auto plain = units::parseNumber(*text); plain.ok())
            factor = plain.value();
    }
    auto value = parsed(context, node, path, factor, expected);
    if (!value)
        return std::nullopt;
    return checkRange(context, node, path, *value, min, max, formatFactorBound, {});
}

std::optional<double> readFraction(
    ReadContext& context, const TreeNode& node, const std::string& path, double min, double max)
{
    const char* expected = "a percentage like 70% or a fraction like 0.7";
    const std::string* text = scalarOrError(context, node, path, expected);
    if (!text)
        return std::nullopt;
    const bool percent = text->find('%') != std::string::npos;
    auto value
        = parsed(context, node, path, percent ? units::parsePercent(*text) : units::parseNumber(*text), expected);
    if (!value)
        return std::nullopt;
    Formatter format = percent ? [](double f) { return formatNumber(f * 100) + "%"; } : formatNumber;
    return checkRange(context, node, path, *value, min, max, format, {});
}

std::optional<double> readGrowth(ReadContext& context, const TreeNode& node, const std::string& path)
{
    const char* expected = "a growth like 50%/year";
    const std::string* text = scalarOrError(context, node, path, expected);
    if (!text)
        return std::nullopt;
    auto value = parsed(context, node, path, units::parseGrowth(*text), expected);
    if (!value)
        return std::nullopt;
    // -100%/year would zero the rate; 1000x a year is past any plan.
    return checkRange(
        context, node, path, *value, -0.99, 1000.0, [](double f) { return formatNumber(f * 100) + "%/year"; }, {});
}

std::optional<double> readFractionRate(ReadContext& context, const TreeNode& node, const std::string& path)
{
    const char* expected = "a speed like 10%/h";
    const std::string* text = scalarOrError(context, node, path, expected);
    if (!text)
        return std::nullopt;
    const std::size_t slash = text->find('/');
    if (slash == std::string::npos || text->find('%') > slash) {
        context.error(node, path, fmt::format("expected {}, got {}", expected, node.describe()));
        return std::nullopt;
    }
    auto fraction = units::parsePercent(std::string_view(*text).substr(0, slash));
    auto perSecond = units::parseRate(std::string("1").append(text->substr(slash))); // not "1" + ...: -Wrestrict
    if (!fraction.ok() || !perSecond.ok()) {
        context.error(node, path,
            fmt::format("expected {}, got {} ({})", expected, node.describe(),
                fraction.ok() ? perSecond.error() : fraction.error()));
        return std::nullopt;
    }
    const double value = fraction.value() * perSecond.value();
    return checkRange(context, node, path, value, 0.0, 1.0, [](double f) { return formatNumber(f * 100) + "%/s"; }, {});
}

std::optional<std::size_t> readChoice(ReadContext& context, const TreeNode& node, const std::string& path,
    const std::vector<std::string>& choices, std::string_view what)
{
    std::string list;
    for (std::size_t i = 0; i < choices.size(); ++i)
        list += (i ? " | " : "") + choices[i];
    if (!node.isScalar()) {
        context.error(node, path, fmt::format("expected a {} ({}), got {}", what, list, node.describe()));
        return std::nullopt;
    }
    for (std::size_t i = 0; i < choices.size(); ++i) {
        if (choices[i] == node.scalar)
            return i;
    }
    context.error(node, path,
        fmt::format("unknown {} {}{} (expected {})", what, node.describe(), didYouMean(node.scalar, choices), list));
    return std::nullopt;
}

} // namespace shardsim::scenario
