#include "shardsim/report/json_diff.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/format.h>

namespace shardsim {

namespace {

    using Json = nlohmann::ordered_json;

    const std::string kMissing = "(missing)";

    std::string show(const Json& value) { return value.dump(); }

    bool numbersEqual(double a, double b, const JsonDiffOptions& options)
    {
        if (a == b)
            return true;
        if (std::isnan(a) || std::isnan(b))
            return false;
        const double difference = std::abs(a - b);
        return difference <= options.absolute || difference <= options.relative * std::max(std::abs(a), std::abs(b));
    }

    std::string keyPath(const std::string& path, const std::string& key)
    {
        // Keys that are not identifiers are quoted, so the path can be read back unambiguously.
        const bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
        });
        return plain ? path + "." + key : path + "[" + Json(key).dump() + "]";
    }

    void diff(const Json& golden, const Json& now, const std::string& path, const JsonDiffOptions& options,
        std::vector<JsonDifference>& out)
    {
        if (golden.is_number() && now.is_number()) {
            if (!numbersEqual(golden.get<double>(), now.get<double>(), options))
                out.push_back({ path, show(golden), show(now) });
            return;
        }
        if (golden.is_object() && now.is_object()) {
            for (const auto& [key, value] : golden.items()) {
                const auto other = now.find(key);
                if (other == now.end())
                    out.push_back({ keyPath(path, key), show(value), kMissing });
                else
                    diff(value, *other, keyPath(path, key), options, out);
            }
            for (const auto& [key, value] : now.items())
                if (!golden.contains(key))
                    out.push_back({ keyPath(path, key), kMissing, show(value) });
            return;
        }
        if (golden.is_array() && now.is_array()) {
            const std::size_t common = std::min(golden.size(), now.size());
            for (std::size_t i = 0; i < common; ++i)
                diff(golden[i], now[i], fmt::format("{}[{}]", path, i), options, out);
            for (std::size_t i = common; i < golden.size(); ++i)
                out.push_back({ fmt::format("{}[{}]", path, i), show(golden[i]), kMissing });
            for (std::size_t i = common; i < now.size(); ++i)
                out.push_back({ fmt::format("{}[{}]", path, i), kMissing, show(now[i]) });
            return;
        }
        if (golden != now)
            out.push_back({ path, show(golden), show(now) });
    }

} // namespace

std::vector<JsonDifference> diffJson(const Json& golden, const Json& now, const JsonDiffOptions& options)
{
    std::vector<JsonDifference> out;
    diff(golden, now, "$", options, out);
    return out;
}

} // namespace shardsim
