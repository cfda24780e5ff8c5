#include "app_settings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>

#include <algorithm>

namespace shardsim::ui {

namespace {
    constexpr auto kRecentFiles = "files/recent";
    constexpr auto kLastDirectory = "files/lastDirectory";
    constexpr auto kGeometry = "window/geometry";
    constexpr auto kState = "window/state";
    constexpr auto kStateVersion = "window/layoutVersion";
    constexpr auto kRunSpeed = "run/speed";
    constexpr auto kHistoryPath = "history/path";
    constexpr auto kRecordRuns = "history/record";
}

AppSettings::AppSettings()
    : m_settings(std::make_unique<QSettings>())
{
}

AppSettings::AppSettings(const QString& iniFile)
    : m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
{
}

std::unique_ptr<AppSettings> AppSettings::makeVolatile()
{
    auto directory = std::make_unique<QTemporaryDir>();
    auto settings = std::make_unique<AppSettings>(directory->filePath(QStringLiteral("settings.ini")));
    settings->m_directory = std::move(directory);
    return settings;
}

AppSettings::~AppSettings() = default;

QStringList AppSettings::recentFiles() const
{
    QStringList files = m_settings->value(kRecentFiles).toStringList();
    files.removeAll(QString());
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    return files;
}

void AppSettings::addRecentFile(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList files = recentFiles();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    m_settings->setValue(kRecentFiles, files);
}

void AppSettings::removeRecentFile(const QString& path)
{
    QStringList files = recentFiles();
    files.removeAll(path);
    m_settings->setValue(kRecentFiles, files);
}

void AppSettings::clearRecentFiles() { m_settings->remove(kRecentFiles); }

QByteArray AppSettings::windowGeometry() const { return m_settings->value(kGeometry).toByteArray(); }

void AppSettings::setWindowGeometry(const QByteArray& geometry) { m_settings->setValue(kGeometry, geometry); }

QByteArray AppSettings::windowState(int layoutVersion) const
{
    // A layout from another version names docks that may no longer exist: start from the default.
    if (m_settings->value(kStateVersion, -1).toInt() != layoutVersion)
        return {};
    return m_settings->value(kState).toByteArray();
}

void AppSettings::setWindowState(const QByteArray& state, int layoutVersion)
{
    m_settings->setValue(kState, state);
    m_settings->setValue(kStateVersion, layoutVersion);
}

double AppSettings::runSpeed() const { return std::max(0.0, m_settings->value(kRunSpeed, 0.0).toDouble()); }

void AppSettings::setRunSpeed(double speed) { m_settings->setValue(kRunSpeed, speed); }

QString AppSettings::lastDirectory() const
{
    const QString directory = m_settings->value(kLastDirectory).toString();
    return !directory.isEmpty() && QFileInfo(directory).isDir() ? directory : QDir::homePath();
}

void AppSettings::setLastDirectory(const QString& directory) { m_settings->setValue(kLastDirectory, directory); }

QString AppSettings::historyPath() const { return m_settings->value(kHistoryPath).toString(); }

void AppSettings::setHistoryPath(const QString& path) { m_settings->setValue(kHistoryPath, path); }

bool AppSettings::recordRuns() const { return m_settings->value(kRecordRuns, true).toBool(); }

void AppSettings::setRecordRuns(bool record) { m_settings->setValue(kRecordRuns, record); }

void AppSettings::sync() { m_settings->sync(); }

} // namespace shardsim::ui
