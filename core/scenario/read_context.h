#pragma once
// Internal: the typed reading of a scenario tree. ReadContext collects diagnostics; MapReader reads
// one mapping and reports what it did not read (unknown keys with a suggestion, keys that do not
// apply); the read* functions turn scalars into checked values with units.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/common/diagnostic.h"
#include "shardsim/common/result.h"
#include "yaml_tree.h"

namespace shardsim::scenario {

class ReadContext {
public:
    ReadContext(std::string fileName, std::vector<std::string> overrides);

    // At the value `at` (or its key, when the value has no place of its own).
    void error(const TreeNode& at, std::string path, std::string message);
    // At the key of `at`: for problems with the key itself (unknown, does not apply).
    void errorAtKey(const TreeNode& at, std::string path, std::string message);
    void errorAt(int line, int column, int origin, std::string path, std::string message);

    // Where a node of origin `origin` came from: "" for the scenario text, "--set 'PATH=VALUE'" for an override.
    std::string originText(int origin) const;

    std::size_t errorCount() const { return m_diagnostics.size(); }
    // The diagnostics ordered by place (text first, then overrides in order), capped at kMaxDiagnostics.
    Diagnostics take();

private:
    std::string m_fileName;
    std::vector<std::string> m_overrides;
    Diagnostics m_diagnostics;
    std::vector<int> m_origins; // origin of each diagnostic, for ordering
};

class MapReader {
public:
    // `node` may be null (an absent section: every key is absent). A node that is not a mapping is
    // reported once and read as empty.
    MapReader(ReadContext& context, const TreeNode* node, std::string path, std::vector<std::string> keys);

    bool present() const { return m_node != nullptr; }
    const TreeNode* node() const { return m_node; }
    const std::string& path() const { return m_path; }
    std::string pathOf(std::string_view key) const;

    // The value of `key` (one of the declared keys) or nullptr; marks it read.
    const TreeNode* get(std::string_view key);
    // Like get(), reporting "missing required key" when it is absent.
    const TreeNode* require(std::string_view key, std::string_view what = {});
    // Reports every key not read: unknown ones with a suggestion, declared but unread ones as not
    // applying to `applicability` (e.g. "shape 'constant'").
    void finish(std::string_view applicability = {});

private:
    ReadContext& m_context;
    const TreeNode* m_node = nullptr;
    std::string m_path;
    std::vector<std::string> m_keys;
    std::vector<std::string> m_read;
};

// Where to place a "missing" error for a map: its key when it has one, else the map itself.
void reportMissing(ReadContext& context, const TreeNode& map, const std::string& path, std::string_view key,
    std::string_view what = {});

// Scalar readers. Each reports a type error ("expected a duration like 30s, got 'abc'") or a range
// error ("must be at least 1 (got 0)") at the value and returns nullopt.
std::optional<std::string> readText(ReadContext& context, const TreeNode& node, const std::string& path);
// A name: 1 to 128 letters, digits and `_ - .`, and printable non-ASCII characters (no controls, no invisible
// format characters).
std::optional<std::string> readName(ReadContext& context, const TreeNode& node, const std::string& path);
// Free text shown in reports (the scenario's name, its description): 1 to `maxLength` bytes, no control or invisible
// characters but those in `allowed` (a description may hold "\n\t").
std::optional<std::string> readLabel(ReadContext& context, const TreeNode& node, const std::string& path,
    std::size_t maxLength, std::string_view allowed = {});
std::optional<bool> readBool(ReadContext& context, const TreeNode& node, const std::string& path);
std::optional<int64_t> readCount(ReadContext& context, const TreeNode& node, const std::string& path, int64_t min,
    int64_t max, std::string_view limit = {});
std::optional<double> readNumber(
    ReadContext& context, const TreeNode& node, const std::string& path, double min, double max);
std::optional<double> readDuration(ReadContext& context, const TreeNode& node, const std::string& path, double min,
    double max, std::string_view limit = {});
std::optional<double> readSize(
    ReadContext& context, const TreeNode& node, const std::string& path, double min, double max);
std::optional<double> readRate(
    ReadContext& context, const TreeNode& node, const std::string& path, double min, double max);
std::optional<double> readByteRate(
    ReadContext& context, const TreeNode& node, const std::string& path, double min, double max);
// `30x` or a plain number.
std::optional<double> readMultiplier(
    ReadContext& context, const TreeNode& node, const std::string& path, double min, double max);
// `70%` or a plain fraction 0.7.
std::optional<double> readFraction(
    ReadContext& context, const TreeNode& node, const std::string& path, double min, double max);
// `50%/year` (also /day, /month, /quarter) -> compounding rate per year.
std::optional<double> readGrowth(ReadContext& context, const TreeNode& node, const std::string& path);
// `10%/h`: a fraction per time unit -> fraction per second.
std::optional<double> readFractionRate(ReadContext& context, const TreeNode& node, const std::string& path);
// One of `choices`; the error lists them and suggests the closest.
std::optional<std::size_t> readChoice(ReadContext& context, const TreeNode& node, const std::string& path,
    const std::vector<std::string>& choices, std::string_view what);

// Readable bounds for range messages.
std::string formatNumber(double value);

} // namespace shardsim::scenario
