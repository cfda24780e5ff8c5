#pragma once
// Hard limits of the scenario reader. They protect the simulator (memory, run time) and the reader
// itself (hostile files); every message that enforces one names it.

#include <cstddef>
#include <cstdint>

namespace shardsim::input_limits {

inline constexpr std::size_t kMaxFileBytes = 16u << 20; // 16 MiB of scenario text
inline constexpr std::size_t kMaxYamlNodes = 500'000; // values visited, aliases counted each time
inline constexpr int kMaxDepth = 64; // nesting of mappings and lists
inline constexpr std::size_t kMaxDiagnostics = 100; // errors reported before giving up

inline constexpr int kMaxNodes = 100'000; // nodes in the cluster at any time
inline constexpr int64_t kMaxTicks = 10'000'000; // duration / tick
inline constexpr double kMaxDuration = 100.0 * 365 * 86'400; // s, 100 years
inline constexpr double kMinTick = 0.001; // s
inline constexpr int64_t kMaxRows = 1'000'000'000'000'000; // 10^15 rows per table
inline constexpr std::size_t kMaxTables = 10'000;
inline constexpr std::size_t kMaxColumns = 1'000; // per table
inline constexpr std::size_t kMaxOperations = 10'000; // mix entries
inline constexpr std::size_t kMaxEvents = 50'000;
inline constexpr std::size_t kMaxExpects = 10'000;
inline constexpr std::size_t kMaxLessonSteps = 1'000;
inline constexpr std::size_t kMaxLessonText = 10'000; // characters of one step's text
inline constexpr std::size_t kMaxRatePoints = 50'000; // per points shape
inline constexpr std::size_t kMaxRateShapes = 100; // stacked shapes
inline constexpr double kMaxRate = 1e12; // requests/s, and rows/s of growth
inline constexpr double kMaxFactor = 1e6; // multipliers such as peak
inline constexpr double kMaxBytes = 1e18; // sizes: 1 EB
inline constexpr double kMaxRowSize = 1e9; // bytes per row
inline constexpr int kMaxReplication = 100;

} // namespace shardsim::input_limits
