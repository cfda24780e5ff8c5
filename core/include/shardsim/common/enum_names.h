#pragma once
// An enum's names as scenario files, the CLI, summary.json and the run history write them: one table per enum,
// next to the enum, indexed by its enumerators (which count up from 0 in declaration order). Every reader and
// writer of a name goes through the table, so a name is spelt once.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shardsim {

template <typename E, std::size_t N> struct EnumNames {
    std::array<std::string_view, N> names; // names[i] is the name of static_cast<E>(i)

    constexpr std::string_view name(E value) const { return names[static_cast<std::size_t>(value)]; }

    constexpr std::optional<E> parse(std::string_view text) const
    {
        for (std::size_t i = 0; i < N; ++i)
            if (names[i] == text)
                return static_cast<E>(i);
        return std::nullopt;
    }

    // In enumerator order: the choices a reader offers and its error message lists.
    std::vector<std::string> list() const { return { names.begin(), names.end() }; }

    // (name, value) in enumerator order, for a command-line option's choices.
    std::vector<std::pair<std::string, E>> pairs() const
    {
        std::vector<std::pair<std::string, E>> out;
        for (std::size_t i = 0; i < N; ++i)
            out.emplace_back(std::string(names[i]), static_cast<E>(i));
        return out;
    }
};

} // namespace shardsim
