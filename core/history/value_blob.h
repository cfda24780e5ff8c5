#pragma once
// Arrays of numbers stored as BLOBs in the history file (a heat map's rates, a rule's shard boundaries, an auto-range
// run's range bounds and range counts per node), so a 64 x 2,000 heat map is one value instead of 128,000 rows. The
// bytes are IEEE 754 numbers or two's complement integers in little-endian order whatever the machine, so a file
// copied to another machine reads the same, and any tool reads them (numpy: frombuffer(blob, "<f4"), "<i8").

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shardsim {

// 4 bytes per value: each rounded to the nearest binary32, about 7 significant digits.
std::string float32Blob(std::span<const double> values);
// 8 bytes per value, exact.
std::string float64Blob(std::span<const double> values);

// Two's complement integers, 4 and 8 bytes per value: counts, and keys, which must stay exact beyond 2^53.
std::string int32Blob(std::span<const int> values);
std::string int64Blob(std::span<const int64_t> values);

// nullopt when the blob is not a whole number of values.
std::optional<std::vector<double>> float32BlobValues(std::string_view blob);
std::optional<std::vector<double>> float64BlobValues(std::string_view blob);
std::optional<std::vector<int>> int32BlobValues(std::string_view blob);
std::optional<std::vector<int64_t>> int64BlobValues(std::string_view blob);

} // namespace shardsim
