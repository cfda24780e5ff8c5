#include "cli_support.h"

#include <map>

namespace shardsim::cli {

void addFormatOption(CLI::App& command, OutputFormat& format)
{
    const std::map<std::string, OutputFormat> names { { "text", OutputFormat::Text }, { "json", OutputFormat::Json } };
    command.add_option("--format", format, "Output format: text or json")
        ->transform(CLI::CheckedTransformer(names, CLI::ignore_case))
        ->default_str("text");
}

} // namespace shardsim::cli
