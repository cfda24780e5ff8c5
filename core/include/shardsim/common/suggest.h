#pragma once
// "Did you mean" for misspelt names: the closest candidate by edit distance, if it is close enough.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardsim {

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), case-insensitive.
int editDistance(std::string_view a, std::string_view b);

// The candidate closest to `word`, when at most a third of its letters (at least 1, at most 3) differ.
std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'X'?)" or "" — ready to append to a message.
std::string didYouMean(std::string_view word, const std::vector<std::string>& candidates);

} // namespace shardsim
