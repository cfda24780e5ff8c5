#include "cli_support.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <streambuf>

#include "shardsim/engine/engine_mode_names.h"
#include "shardsim/scenario/scenario_reader.h"

namespace shardsim::cli {

void addFormatOption(CLI::App& command, OutputFormat& format)
{
    const std::map<std::string, OutputFormat> names { { "text", OutputFormat::Text }, { "json", OutputFormat::Json } };
    command.add_option("--format", format, "Output format: text or json")
        ->transform(CLI::CheckedTransformer(names, CLI::ignore_case))
        ->default_str("text");
}

void addEngineOption(CLI::App& command, EngineMode& engine, EngineMode defaultMode)
{
    engine = defaultMode;
    command.add_option("--engine", engine, "auto, sampled or expected")
        ->transform(CLI::CheckedTransformer(kEngineModeNames.pairs()))
        ->default_str(std::string(kEngineModeNames.name(defaultMode)));
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

namespace {

    // std::cout through stdout's stdio buffer, as with sync_with_stdio, remembering why the first write failed:
    // glibc drops what it could not write, so by the time the command ends errno no longer says why.
    class StandardOutputBuffer : public std::streambuf {
    public:
        int error() const { return m_error; }

    protected:
        int overflow(int c) override
        {
            if (c == traits_type::eof())
                return traits_type::not_eof(c);
            const char byte = traits_type::to_char_type(c);
            return xsputn(&byte, 1) == 1 ? c : traits_type::eof();
        }
        std::streamsize xsputn(const char* text, std::streamsize count) override
        {
            errno = 0;
            const size_t written = std::fwrite(text, 1, static_cast<size_t>(count), stdout);
            if (written != static_cast<size_t>(count))
                remember();
            return static_cast<std::streamsize>(written);
        }
        int sync() override
        {
            errno = 0;
            if (std::fflush(stdout) == 0)
                return 0;
            remember();
            return -1;
        }

    private:
        void remember()
        {
            if (m_error == 0)
                m_error = errno ? errno : EIO;
        }
        int m_error = 0;
    };

    // Never destroyed: std::cout is flushed by the runtime after static objects are gone (libstdc++'s and every
    // shared library's ios_base::Init), and it must not find a dead buffer then.
    StandardOutputBuffer& standardOutputBuffer()
    {
        static auto* buffer = new StandardOutputBuffer;
        return *buffer;
    }

} // namespace

void watchStandardOutput() { std::cout.rdbuf(&standardOutputBuffer()); }

int checkStandardOutput(int status)
{
    std::cout.flush();
    int error = standardOutputBuffer().error();
    errno = 0;
    // What a command that writes to stdout itself (history export) left in its buffer.
    if (std::fflush(stdout) != 0 && error == 0)
        error = errno ? errno : EIO;
    // Such a command reports its own failed writes; one that said nothing of them still fails.
    if (error == 0 && std::ferror(stdout) && status == kExitOk)
        error = EIO;
    if (error == 0)
        return status;
    std::cerr << "error: writing to standard output: " << std::strerror(error) << '\n';
    return status == kExitOk ? kExitOutputFailed : status;
}

} // namespace shardsim::cli
