#pragma once
// Every persisted setting of the desktop app, typed, behind one class: the keys and their defaults
// live here and nowhere else.

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

class QSettings;
class QTemporaryDir;

namespace shardsim::ui {

class AppSettings {
public:
    static constexpr int kMaxRecentFiles = 8;

    // The user's settings (QSettings with the application's organisation and name).
    AppSettings();
    // Settings kept in an INI file, for tests.
    explicit AppSettings(const QString& iniFile);
    // Settings that start empty and vanish with the object: --screenshot runs must neither read nor
    // change the user's layout and recent files.
    static std::unique_ptr<AppSettings> makeVolatile();
    ~AppSettings();
    AppSettings(const AppSettings&) = delete;
    AppSettings& operator=(const AppSettings&) = delete;

    QStringList recentFiles() const; // most recent first, at most kMaxRecentFiles
    void addRecentFile(const QString& path);
    void removeRecentFile(const QString& path);
    void clearRecentFiles();

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    // The dock layout, only when it was saved by the same layout version.
    QByteArray windowState(int layoutVersion) const;
    void setWindowState(const QByteArray& state, int layoutVersion);

    double runSpeed() const; // simulated s per wall-clock s; 0 = as fast as possible (default)
    void setRunSpeed(double speed);

    QString lastDirectory() const; // where the file dialogs start; default the home directory
    void setLastDirectory(const QString& directory);

    // The run history file; empty means the default location of the core (defaultHistoryPath()).
    QString historyPath() const;
    void setHistoryPath(const QString& path);
    bool recordRuns() const; // default true
    void setRecordRuns(bool record);

    void sync();

private:
    std::unique_ptr<QTemporaryDir> m_directory; // volatile settings only
    std::unique_ptr<QSettings> m_settings;
};

} // namespace shardsim::ui
