#include "cli_support.h"

#include <filesystem>
#include <iostream>
#include <map>

#include "shardsim/scenario/scenario_reader.h"

namespace shardsim::cli {

void addFormatOption(CLI::App& command, OutputFormat& format)
{
    const std::map<std::string, OutputFormat> names { { "text", OutputFormat::Text }, { "json", OutputFormat::Json } };
    command.add_option("--format", format, "Output format: text or json")
        ->transform(CLI::CheckedTransformer(names, CLI::ignore_case))
        ->default_str("text");
}

std::optional<ScenarioConfig> loadScenarioOrReport(const std::string& file, const std::vector<std::string>& overrides)
{
    ScenarioLoad load = loadScenarioFile(file, ScenarioReadOptions { overrides });
    if (!load.ok()) {
        for (const Diagnostic& diagnostic : load.diagnostics)
            std::cerr << diagnostic.format() << '\n';
        return std::nullopt;
    }
    return std::move(load.config);
}

bool createOutDirectory(const std::string& out)
{
    std::error_code error;
    std::filesystem::create_directories(out, error);
    if (error)
        std::cerr << "error: --out " << out << ": " << error.message() << '\n';
    return !error;
}

} // namespace shardsim::cli
