#pragma once
// Structural comparison of two JSON documents, for golden summaries: every difference with its JSON
// path. Numbers compare with a tiny tolerance so a golden written on one machine still matches on
// another whose math library rounds exp/log/pow in the last bit.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shardsim {

struct JsonDifference {
    std::string path; // `$.nodes[2].share`
    std::string golden; // the golden value as compact JSON, or "(missing)"
    std::string now; // the new value as compact JSON, or "(missing)"
};

struct JsonDiffOptions {
    // Two numbers are equal when |a - b| <= relative * max(|a|, |b|) or |a - b| <= absolute.
    double relative = 1e-9;
    double absolute = 1e-12; // below this, a difference is rounding noise around zero
};

// Objects are compared key by key (a key on one side only is a difference), arrays element by
// element (extra or missing elements are differences), numbers with the tolerance above, everything
// else exactly. Differences come in document order: the golden's keys first, then keys only `now` has.
std::vector<JsonDifference> diffJson(
    const nlohmann::ordered_json& golden, const nlohmann::ordered_json& now, const JsonDiffOptions& options = {});

} // namespace shardsim
