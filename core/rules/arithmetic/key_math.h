#pragma once
// Integer arithmetic shared by the arithmetic rules. Keys can be int32, int64 or uint64, so the rules
// compute in 128 bits where every key value and every intermediate result fits exactly. Division and
// remainder are floored: a negative key still lands in [0, n), unlike C++'s and Java's `%`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shardsim/common/result.h"
#include "shardsim/rules/key.h"

namespace shardsim::rules {

__extension__ typedef __int128 WideInt;

// The key's integer value; nullopt for string and bytes keys.
std::optional<WideInt> wideValue(const Key& key);

// Floored division and remainder; `divisor` > 0. floorMod(-1, 4) == 3, floorDiv(-1, 4) == -1.
WideInt floorDiv(WideInt value, WideInt divisor);
WideInt floorMod(WideInt value, WideInt divisor);

std::string toString(WideInt value);

// Integers as people write them in rule specs and shard names: 10000000 -> "10M", 1500 -> "1500",
// -5000 -> "-5K". Exact: a value is only abbreviated when the suffix loses nothing.
std::string compactCount(int64_t value);

// A list element such as a range bound: a plain integer (exact over all of int64, `_` separators
// allowed) or a count with a suffix (10M, 1.5K). Negative values are allowed.
Result<int64_t> parseIntegerText(std::string_view text);

// "shard-0" ... : the name of shard `index` for rules whose shards have no better name.
std::string plainShardName(int index);

} // namespace shardsim::rules
