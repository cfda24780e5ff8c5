#include "shardsim/common/suggest.h"

#include <algorithm>

namespace shardsim {

namespace {

    char fold(char c)
    {
        if (c >= 'A' && c <= 'Z')
            return static_cast<char>(c - 'A' + 'a');
        return c == '-' ? '_' : c;
    }

} // namespace

std::size_t editDistance(std::string_view a, std::string_view b)
{
    // Three rolling rows: the swap rule looks two rows back.
    const std::size_t n = b.size();
    std::vector<std::size_t> before(n + 1), previous(n + 1), current(n + 1);
    for (std::size_t j = 0; j <= n; ++j)
        previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= n; ++j) {
            const bool same = fold(a[i - 1]) == fold(b[j - 1]);
            current[j] = std::min({ previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1) });
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1]))
                current[j] = std::min(current[j], before[j - 2] + 1);
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[n];
}

std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string>& candidates)
{
    // Words longer than any sensible name are not worth a quadratic comparison.
    if (word.empty() || word.size() > 256)
        return std::nullopt;
    const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
    std::optional<std::string> best;
    std::size_t bestDistance = limit + 1;
    for (const auto& candidate : candidates) {
        if (candidate.size() > word.size() + limit || candidate.size() + limit < word.size())
            continue;
        const std::size_t distance = editDistance(word, candidate);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = candidate;
        }
    }
    if (best || word.size() < 3)
        return best;
    // A word typed short ("login" for "login_name") is a prefix rather than a near miss.
    for (const auto& candidate : candidates) {
        if (candidate.size() > word.size()
            && editDistance(word, std::string_view(candidate).substr(0, word.size())) == 0)
            return candidate;
    }
    return std::nullopt;
}

std::string didYouMean(std::string_view word, const std::vector<std::string>& candidates)
{
    if (auto match = closestMatch(word, candidates))
        return "; did you mean '" + *match + "'?";
    return {};
}

} // namespace shardsim
