#include "rules/auto_range/auto_range_params.h"

#include <cmath>
#include <fmt/format.h>
#include <variant>

#include "rules/arithmetic/key_math.h"
#include "shardsim/common/units.h"

namespace shardsim::rules {

namespace {

    enum class Unit {
        Size, // 96MiB, 512MB
        Count, // 960K, 200000
        Rate, // 3000, 3K/s
        ByteRate, // 64MiB/s
        Duration, // 1h, 5m
        Fraction, // 0.05 or 5%
        Whole, // a small whole number: windows, moves, replicas
        Number, // a plain factor
    };

    using Field = std::variant<double AutoRangeSettings::*, int AutoRangeSettings::*>;

    struct Param {
        const char* name;
        Unit unit;
        Field field;
        double min; // inclusive
        double max; // inclusive
    };

    constexpr double kMaxBytes = 1e18; // 1 EB: beyond any one table
    constexpr double kMaxCount = 1e15;

    // The order of canonical specs.
    const Param kParams[] = {
        { "split_size", Unit::Size, &AutoRangeSettings::splitBytes, 0, kMaxBytes },
        { "split_target", Unit::Size, &AutoRangeSettings::splitTargetBytes, 0, kMaxBytes },
        { "split_keys", Unit::Count, &AutoRangeSettings::splitKeys, 0, kMaxCount },
        { "split_target_keys", Unit::Count, &AutoRangeSettings::splitTargetKeys, 0, kMaxCount },
        { "flush_size", Unit::Size, &AutoRangeSettings::flushBytes, 0, kMaxBytes },
        { "max_file_size", Unit::Size, &AutoRangeSettings::maxFileBytes, 0, kMaxBytes },
        { "low_phase_size", Unit::Size, &AutoRangeSettings::lowPhaseBytes, 0, kMaxBytes },
        { "low_phase_ranges_per_node", Unit::Whole, &AutoRangeSettings::lowPhaseRangesPerNode, 0, 1e6 },
        { "high_phase_size", Unit::Size, &AutoRangeSettings::highPhaseBytes, 0, kMaxBytes },
        { "high_phase_ranges_per_node", Unit::Whole, &AutoRangeSettings::highPhaseRangesPerNode, 0, 1e6 },
        { "force_split_size", Unit::Size, &AutoRangeSettings::forceSplitBytes, 0, kMaxBytes },
        { "min_shard_size", Unit::Size, &AutoRangeSettings::minShardBytes, 0, kMaxBytes },
        { "shard_bytes_per_sqrt_bytes", Unit::Number, &AutoRangeSettings::shardBytesPerSqrtBytes, 0, 1e9 },
        { "shard_bytes_ratio", Unit::Number, &AutoRangeSettings::shardBytesRatio, 0, 1e6 },
        { "max_shard_size", Unit::Size, &AutoRangeSettings::maxShardBytes, 0, kMaxBytes },
        { "split_qps", Unit::Rate, &AutoRangeSettings::splitQps, 0, 1e12 },
        { "split_byte_rate", Unit::ByteRate, &AutoRangeSettings::splitBytesPerSecond, 0, kMaxBytes },
        { "split_windows", Unit::Whole, &AutoRangeSettings::splitWindows, 1, 1e6 },
        { "load_window", Unit::Duration, &AutoRangeSettings::loadWindowSeconds, 1e-3, 86400 },
        { "merge_size", Unit::Size, &AutoRangeSettings::mergeBytes, 0, kMaxBytes },
        { "merge_split_fraction", Unit::Fraction, &AutoRangeSettings::mergeSplitFraction, 0, 1 },
        { "merge_keys", Unit::Count, &AutoRangeSettings::mergeKeys, 0, kMaxCount },
        { "split_merge_interval", Unit::Duration, &AutoRangeSettings::splitMergeIntervalSeconds, 0, 1e9 },
        { "tolerance", Unit::Fraction, &AutoRangeSettings::tolerance, 0, 1000 },
        { "tolerance_ranges", Unit::Number, &AutoRangeSettings::toleranceRanges, 0, 1e6 },
        { "tolerance_size", Unit::Size, &AutoRangeSettings::toleranceBytes, 0, kMaxBytes },
        { "moves_per_node", Unit::Whole, &AutoRangeSettings::movesPerNode, 0, 1e6 },
        { "moves_at_once", Unit::Whole, &AutoRangeSettings::movesAtOnce, 0, 1e6 },
        { "move_starts_per_node", Unit::Rate, &AutoRangeSettings::moveStartsPerNodePerSecond, 0, 1e6 },
        { "move_size", Unit::Size, &AutoRangeSettings::moveBytes, 0, kMaxBytes },
        { "snapshot_rate", Unit::ByteRate, &AutoRangeSettings::snapshotBytesPerSecond, 0, kMaxBytes },
        { "balance_interval", Unit::Duration, &AutoRangeSettings::balanceIntervalSeconds, 0, 1e9 },
        { "replicas", Unit::Whole, &AutoRangeSettings::replicas, 1, 16 },
        { "hot_interval", Unit::Duration, &AutoRangeSettings::hotIntervalSeconds, 1e-3, 1e9 },
        { "hot_max_interval", Unit::Duration, &AutoRangeSettings::hotMaxIntervalSeconds, 0, 1e9 },
        { "hot_min_rate", Unit::Rate, &AutoRangeSettings::hotMinRate, 0, 1e12 },
        { "hot_windows", Unit::Whole, &AutoRangeSettings::hotWindows, 1, 1e6 },
        { "hot_tolerance", Unit::Fraction, &AutoRangeSettings::hotTolerance, 0, 1 },
        { "hot_min_difference", Unit::Rate, &AutoRangeSettings::hotMinDifference, 0, 1e12 },
        { "hot_moves_at_once", Unit::Whole, &AutoRangeSettings::hotMovesAtOnce, 0, 1e6 },
    };

    double get(const AutoRangeSettings& settings, const Field& field)
    {
        if (const auto* real = std::get_if<double AutoRangeSettings::*>(&field))
            return settings.**real;
        return settings.*std::get<int AutoRangeSettings::*>(field);
    }

    void set(AutoRangeSettings& settings, const Field& field, double value)
    {
        if (const auto* real = std::get_if<double AutoRangeSettings::*>(&field))
            settings.** real = value;
        else
            settings.*std::get<int AutoRangeSettings::*>(field) = static_cast<int>(value);
    }

    Result<double> parseValue(Unit unit, std::string_view text)
    {
        const bool perTime = text.find('/') != std::string_view::npos;
        switch (unit) {
        case Unit::Size:
            return units::parseSize(text);
        case Unit::Rate:
            if (perTime)
                return units::parseRate(text);
            [[fallthrough]];
        case Unit::Count:
        case Unit::Whole: {
            auto count = units::parseCount(text);
            if (!count)
                return fail(count.error());
            return static_cast<double>(*count);
        }
        case Unit::ByteRate:
            return units::parseByteRate(text);
        case Unit::Duration:
            return units::parseDuration(text);
        case Unit::Fraction:
            if (!text.empty() && text.back() == '%')
                return units::parsePercent(text);
            return units::parseNumber(text);
        case Unit::Number:
            return units::parseNumber(text);
        }
        return fail("unknown unit");
    }

    std::string exactCount(double count)
    {
        if (count == std::floor(count) && std::abs(count) < 9e18)
            return compactCount(static_cast<int64_t>(count));
        return fmt::format("{}", count);
    }

    std::string formatValue(Unit unit, double value)
    {
        switch (unit) {
        case Unit::Size:
            return autoRangeSizeText(value);
        case Unit::Count:
        case Unit::Whole:
            return exactCount(value);
        case Unit::Rate:
            return exactCount(value) + "/s";
        case Unit::ByteRate:
            return autoRangeSizeText(value) + "/s";
        case Unit::Duration:
            return units::formatDuration(value);
        case Unit::Fraction:
        case Unit::Number:
            break;
        }
        return fmt::format("{}", value);
    }

    constexpr EnumNames<bool, 2> kYesNo { { "no", "yes" } };

    template <typename E, std::size_t N>
    void readChoice(RuleParams& params, const char* name, const EnumNames<E, N>& names, E& value)
    {
        const std::string text = params.choice(name, std::string(names.name(value)), names.list());
        value = names.parse(text).value_or(value);
    }

    std::string choiceText(const char* name, std::string_view value, std::string_view preset)
    {
        return value == preset ? std::string() : fmt::format(",{}={}", name, value);
    }

    // A preset's pieces keep their ratio to the split size when only the split size is given: TiKV cuts a region
    // above region-max-size into pieces of region-split-size, two thirds of it.
    double derivedTarget(double presetTarget, double presetSplit, double split)
    {
        if (presetTarget <= 0 || presetSplit <= 0)
            return presetTarget;
        return std::round(presetTarget * split / presetSplit);
    }

    AutoRangeSettings withDerivedTargets(AutoRangeSettings preset, const AutoRangeSettings& settings)
    {
        preset.splitTargetBytes = derivedTarget(preset.splitTargetBytes, preset.splitBytes, settings.splitBytes);
        preset.splitTargetKeys = derivedTarget(preset.splitTargetKeys, preset.splitKeys, settings.splitKeys);
        return preset;
    }

} // namespace

// The largest unit that divides the size exactly: 96MiB, 512MB, 1500B.
std::string autoRangeSizeText(double bytes)
{
    if (bytes >= 1 && bytes == std::floor(bytes) && bytes < 9e18) {
        const auto whole = static_cast<uint64_t>(bytes);
        // Descending factors, so that the first unit that divides is the largest.
        constexpr std::pair<const char*, uint64_t> kUnits[]
            = { { "PiB", 1ULL << 50 }, { "PB", 1'000'000'000'000'000ULL }, { "TiB", 1ULL << 40 },
                  { "TB", 1'000'000'000'000ULL }, { "GiB", 1ULL << 30 }, { "GB", 1'000'000'000ULL },
                  { "MiB", 1ULL << 20 }, { "MB", 1'000'000ULL }, { "KiB", 1ULL << 10 }, { "KB", 1'000ULL } };
        for (const auto& [suffix, factor] : kUnits)
            if (whole % factor == 0)
                return fmt::format("{}{}", whole / factor, suffix);
    }
    return fmt::format("{}B", bytes);
}

void readAutoRangeOverrides(RuleParams& params, AutoRangeSettings& settings)
{
    readChoice(params, "split_policy", kSplitSizePolicyNames, settings.splitPolicy);
    readChoice(params, "split_load", kSplitLoadNames, settings.splitLoad);
    readChoice(params, "score", kBalanceScoreNames, settings.score);
    readChoice(params, "move_copies_data", kYesNo, settings.moveCopiesBytes);
    readChoice(params, "hot_schedule", kHotScheduleNames, settings.hotSchedule);
    const AutoRangeSettings preset = settings;
    for (const Param& param : kParams) {
        // Read even when absent, so that a misspelt parameter is offered the closest name.
        const std::string text = params.text(param.name, std::string());
        if (!params.has(param.name))
            continue;
        auto value = parseValue(param.unit, text);
        if (!value) {
            params.addError(
                fmt::format("parameter '{}' of rule '{}': {}", param.name, params.ruleName(), value.error()));
            continue;
        }
        if (param.unit == Unit::Whole && *value != std::floor(*value)) {
            params.addError(fmt::format(
                "parameter '{}' of rule '{}' must be a whole number (got {})", param.name, params.ruleName(), text));
            continue;
        }
        if (*value < param.min || *value > param.max) {
            params.addError(fmt::format("parameter '{}' of rule '{}' must be between {} and {} (got {})", param.name,
                params.ruleName(), formatValue(param.unit, param.min), formatValue(param.unit, param.max), text));
            continue;
        }
        set(settings, param.field, *value);
    }
    const AutoRangeSettings derived = withDerivedTargets(preset, settings);
    if (!params.has("split_target"))
        settings.splitTargetBytes = derived.splitTargetBytes;
    if (!params.has("split_target_keys"))
        settings.splitTargetKeys = derived.splitTargetKeys;
}

std::string autoRangeOverrideText(const AutoRangeSettings& settings, const AutoRangeSettings& preset)
{
    const AutoRangeSettings defaults = withDerivedTargets(preset, settings);
    std::string out;
    out += choiceText("split_policy", kSplitSizePolicyNames.name(settings.splitPolicy),
        kSplitSizePolicyNames.name(defaults.splitPolicy));
    for (const Param& param : kParams) {
        const double value = get(settings, param.field);
        if (value != get(defaults, param.field))
            out += fmt::format(",{}={}", param.name, formatValue(param.unit, value));
    }
    out += choiceText("split_load", kSplitLoadNames.name(settings.splitLoad), kSplitLoadNames.name(defaults.splitLoad));
    out += choiceText("score", kBalanceScoreNames.name(settings.score), kBalanceScoreNames.name(defaults.score));
    out += choiceText("move_copies_data", kYesNo.name(settings.moveCopiesBytes), kYesNo.name(defaults.moveCopiesBytes));
    out += choiceText(
        "hot_schedule", kHotScheduleNames.name(settings.hotSchedule), kHotScheduleNames.name(defaults.hotSchedule));
    return out;
}

std::vector<std::string> autoRangeSettingsProblems(const AutoRangeSettings& s)
{
    std::vector<std::string> problems;
    if (s.splitPolicy == SplitSizePolicy::Fixed && s.splitBytes > 0 && s.splitTargetBytes > s.splitBytes)
        problems.push_back(fmt::format("split_target ({}) must not exceed split_size ({}): a split cuts a range into "
                                       "pieces of split_target",
            autoRangeSizeText(s.splitTargetBytes), autoRangeSizeText(s.splitBytes)));
    if (s.splitKeys > 0 && s.splitTargetKeys > s.splitKeys)
        problems.push_back(fmt::format("split_target_keys ({}) must not exceed split_keys ({})",
            exactCount(s.splitTargetKeys), exactCount(s.splitKeys)));
    if (s.splitPolicy == SplitSizePolicy::Fixed && s.splitBytes > 0 && s.mergeBytes >= s.splitBytes)
        problems.push_back(fmt::format("merge_size ({}) must be below split_size ({}), or a merged range splits "
                                       "again at once",
            autoRangeSizeText(s.mergeBytes), autoRangeSizeText(s.splitBytes)));
    if (s.splitPolicy == SplitSizePolicy::HBaseStepping && (s.flushBytes <= 0 || s.maxFileBytes <= 0))
        problems.push_back("split_policy=hbase-stepping needs flush_size and max_file_size above 0");
    if (s.splitPolicy == SplitSizePolicy::YugabytePhases && (s.lowPhaseBytes <= 0 || s.highPhaseBytes <= 0))
        problems.push_back("split_policy=yugabyte-phases needs low_phase_size and high_phase_size above 0");
    if (s.splitPolicy == SplitSizePolicy::FoundationDbSqrt
        && (s.minShardBytes <= 0 || s.maxShardBytes < s.minShardBytes))
        problems.push_back(fmt::format("split_policy=foundationdb-sqrt needs 0 < min_shard_size ({}) <= "
                                       "max_shard_size ({})",
            autoRangeSizeText(s.minShardBytes), autoRangeSizeText(s.maxShardBytes)));
    return problems;
}

} // namespace shardsim::rules
