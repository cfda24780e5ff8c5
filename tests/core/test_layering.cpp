// The folders of core depend one way: every #include "..." in core/ points to its own layer or one below, in the
// order docs/architecture.md lists, with no exception, and core includes no Qt header.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path kRoot = fs::path(SHARDSIM_SCENARIOS).parent_path();

std::string readText(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The lines of the ```text block that follows `marker` in `doc`.
std::vector<std::string> blockAfter(const std::string& doc, const std::string& marker)
{
    std::vector<std::string> lines;
    const size_t at = doc.find(marker);
    if (at == std::string::npos)
        return lines;
    const size_t open = doc.find("```text\n", at);
    if (open == std::string::npos)
        return lines;
    const size_t begin = open + 8;
    const size_t close = doc.find("```", begin);
    std::istringstream block(doc.substr(begin, close - begin));
    for (std::string line; std::getline(block, line);)
        if (line.find_first_not_of(" \t") != std::string::npos)
            lines.push_back(line);
    return lines;
}

struct Layering {
    std::map<std::string, int> rank; // layer -> position, bottom first
    std::map<std::string, std::string> fileLayer; // file relative to core/ -> its layer, where not its folder's
};

Layering readLayering(const std::string& doc)
{
    Layering layering;
    for (const std::string& line : blockAfter(doc, "layers:begin")) {
        std::istringstream words(line);
        std::string layer;
        words >> layer;
        layering.rank.emplace(layer, static_cast<int>(layering.rank.size()));
        for (std::string file; words >> file;)
            layering.fileLayer[file] = layer;
    }
    return layering;
}

// The layer of a file given relative to core/: listed on its own, or its folder's.
std::string layerOf(const Layering& layering, const std::string& file)
{
    if (auto found = layering.fileLayer.find(file); found != layering.fileLayer.end())
        return found->second;
    const fs::path path(file);
    auto part = path.begin();
    if (*part == "include") {
        ++part; // shardsim
        ++part;
    }
    return part == path.end() ? std::string() : part->string();
}

// Every upward include, unknown folder and Qt header under `core`, as FILE:LINE: message.
std::vector<std::string> layeringProblems(const fs::path& core, const Layering& layering)
{
    std::vector<std::string> problems;
    const std::regex include(R"(^\s*#\s*include\s*([<"])([^">]+)[">])");
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(core))
        if (entry.is_regular_file() && (entry.path().extension() == ".h" || entry.path().extension() == ".cpp"))
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& path : files) {
        const std::string file = fs::relative(path, core).generic_string();
        const std::string from = layerOf(layering, file);
        if (!layering.rank.contains(from)) {
            problems.push_back(file + ": core/" + from + " is not in the layer order of docs/architecture.md");
            continue;
        }
        std::ifstream in(path);
        int lineNumber = 0;
        for (std::string line; std::getline(in, line);) {
            ++lineNumber;
            std::smatch match;
            if (!std::regex_search(line, match, include))
                continue;
            const std::string where = "core/" + file + ":" + std::to_string(lineNumber) + ": ";
            const std::string target = match[2];
            if (match[1] == "<") {
                if (target.starts_with("Q"))
                    problems.push_back(where + "core includes the Qt header <" + target + ">");
                continue;
            }
            if (target.find('/') == std::string::npos)
                continue; // a header beside it, in its own folder
            const std::string targetFile = target.starts_with("shardsim/") ? "include/" + target : target;
            const std::string to = layerOf(layering, targetFile);
            if (!layering.rank.contains(to)) {
                problems.push_back(where + "includes \"" + target + "\" of a folder not in docs/architecture.md");
                continue;
            }
            if (layering.rank.at(to) <= layering.rank.at(from))
                continue;
            problems.push_back(where + from + " includes \"" + target + "\", but " + to + " sits above " + from
                + " in docs/architecture.md");
        }
    }
    return problems;
}

TEST(Layering, CoreIncludesPointDownTheDocumentedOrder)
{
    const Layering layering = readLayering(readText(kRoot / "docs/architecture.md"));
    ASSERT_GE(layering.rank.size(), 10u) << "docs/architecture.md lists no layer order";
    std::string all;
    for (const std::string& problem : layeringProblems(kRoot / "core", layering))
        all += problem + "\n";
    EXPECT_TRUE(all.empty()) << all;
}

TEST(Layering, EveryFolderOfCoreHasItsPlace)
{
    const Layering layering = readLayering(readText(kRoot / "docs/architecture.md"));
    for (const auto& entry : fs::directory_iterator(kRoot / "core")) {
        if (!entry.is_directory() || entry.path().filename() == "include")
            continue;
        EXPECT_TRUE(layering.rank.contains(entry.path().filename().string())) << entry.path();
    }
}

// The check itself: on a small tree it names an upward include by file and line and a Qt header.
TEST(Layering, NamesAnUpwardIncludeByFileAndLine)
{
    const fs::path core = fs::temp_directory_path() / ("shardsim-layering-" + std::to_string(::getpid()));
    fs::remove_all(core);
    fs::create_directories(core / "low");
    fs::create_directories(core / "include/shardsim/high");
    std::ofstream(core / "low/low.cpp") << "#include \"low/low.h\"\n\n#include \"shardsim/high/high.h\"\n";
    std::ofstream(core / "low/low.h") << "#pragma once\n#include <QString>\n";
    std::ofstream(core / "include/shardsim/high/high.h") << "#pragma once\n#include \"low/low.h\"\n";
    const Layering layering = readLayering("layers:begin\n```text\nlow\nhigh\n```\n");
    const std::vector<std::string> problems = layeringProblems(core, layering);
    fs::remove_all(core);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0],
        "core/low/low.cpp:3: low includes \"shardsim/high/high.h\", but high sits above low in docs/architecture.md");
    EXPECT_EQ(problems[1], "core/low/low.h:2: core includes the Qt header <QString>");
}

} // namespace
