#include "shardsim/report/output_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <unistd.h>
#include <utility>

#include <fmt/format.h>

namespace shardsim {

namespace {
    Error writeError(const std::string& path, int error)
    {
        return fail(fmt::format("cannot write {}: {}", path, std::strerror(error)));
    }
}

Result<OutputFile> OutputFile::create(const std::string& path)
{
    const std::filesystem::path target(path);
    // Hidden and marked with the process, so two processes writing the same directory never share one.
    const std::string temporary
        = (target.parent_path() / fmt::format(".{}.partial-{}", target.filename().string(), getpid())).string();
    std::FILE* file = std::fopen(temporary.c_str(), "w");
    if (!file)
        return writeError(path, errno);
    return OutputFile(path, temporary, file);
}

OutputFile::OutputFile(std::string path, std::string temporary, std::FILE* file)
    : m_path(std::move(path))
    , m_temporary(std::move(temporary))
    , m_file(file)
{
}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : m_path(std::move(other.m_path))
    , m_temporary(std::move(other.m_temporary))
    , m_file(std::exchange(other.m_file, nullptr))
    , m_error(other.m_error)
{
}

OutputFile& OutputFile::operator=(OutputFile&& other) noexcept
{
    if (this != &other) {
        discard();
        m_path = std::move(other.m_path);
        m_temporary = std::move(other.m_temporary);
        m_file = std::exchange(other.m_file, nullptr);
        m_error = other.m_error;
    }
    return *this;
}

OutputFile::~OutputFile() { discard(); }

void OutputFile::write(std::string_view bytes)
{
    if (!m_file || m_error != 0 || bytes.empty())
        return;
    if (std::fwrite(bytes.data(), 1, bytes.size(), m_file) != bytes.size())
        m_error = errno ? errno : EIO;
}

void OutputFile::discard()
{
    if (!m_file)
        return;
    std::fclose(m_file);
    m_file = nullptr;
    std::remove(m_temporary.c_str());
}

Result<bool> OutputFile::commit()
{
    if (!m_file)
        return fail(fmt::format("cannot write {}: already closed", m_path));
    // A write that failed earlier is the error; else fflush reports on what is still buffered.
    int error = m_error;
    errno = 0;
    if (error == 0 && (std::fflush(m_file) != 0 || std::ferror(m_file)))
        error = errno ? errno : EIO;
    else if (fsync(fileno(m_file)) != 0)
        error = errno;
    std::FILE* file = std::exchange(m_file, nullptr);
    if (std::fclose(file) != 0 && error == 0)
        error = errno;
    if (error == 0 && std::rename(m_temporary.c_str(), m_path.c_str()) != 0)
        error = errno;
    if (error != 0) {
        std::remove(m_temporary.c_str());
        return writeError(m_path, error);
    }
    return true;
}

Result<bool> writeFileAtomically(const std::string& path, const std::string& text)
{
    auto file = OutputFile::create(path);
    if (!file)
        return fail(file.error());
    file->write(text);
    return file->commit();
}

} // namespace shardsim
