#include "shardsim/common/suggest.h"

#include <algorithm>
#include <cctype>

namespace shardsim {

int editDistance(std::string_view a, std::string_view b)
{
    const size_t n = a.size();
    const size_t m = b.size();
    // Three rolling rows: transpositions look two rows back.
    std::vector<int> before(m + 1), previous(m + 1), current(m + 1);
    for (size_t j = 0; j <= m; ++j)
        previous[j] = static_cast<int>(j);
    auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    for (size_t i = 1; i <= n; ++i) {
        current[0] = static_cast<int>(i);
        for (size_t j = 1; j <= m; ++j) {
            const int cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            current[j] = std::min({ previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost });
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
                current[j] = std::min(current[j], before[j - 2] + 1);
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[m];
}

std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string>& candidates)
{
    const int allowed = std::clamp(static_cast<int>(word.size()) / 3, 1, 3);
    std::optional<std::string> best;
    int bestDistance = allowed + 1;
    for (const std::string& candidate : candidates) {
        const int distance = editDistance(word, candidate);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = candidate;
        }
    }
    return best;
}

std::string didYouMean(std::string_view word, const std::vector<std::string>& candidates)
{
    if (auto match = closestMatch(word, candidates))
        return " (did you mean '" + *match + "'?)";
    return {};
}

} // namespace shardsim
