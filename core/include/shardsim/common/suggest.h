#pragma once
// "Did you mean" suggestions for misspelt names: keys, tables, columns, regions, metrics, rules.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardsim {

// Optimal-string-alignment distance (insertions, deletions, substitutions and swaps of neighbours all
// cost 1), ignoring ASCII case and treating `-` and `_` as equal.
std::size_t editDistance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if one is close enough to be a likely typo: at most a third of the
// word's length away (at least 1), or else one the word (3 characters or more) is a prefix of. Ties go
// to the earlier candidate, so the answer is deterministic.
std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean 'nodes'?" or, without a close candidate, "" — ready to append to a message.
std::string didYouMean(std::string_view word, const std::vector<std::string>& candidates);

} // namespace shardsim
