#include "scenario_document.h"

#include <QFile>
#include <QFileInfo>

namespace shardsim::ui {

namespace {
    // Long enough to skip most keystrokes, short enough to feel live.
    constexpr int kValidateDelayMs = 250;
    constexpr qint64 kMaxFileBytes = 16 * 1024 * 1024;
}

ScenarioDocument::ScenarioDocument(QObject* parent)
    : QObject(parent)
{
    m_validateTimer.setSingleShot(true);
    m_validateTimer.setInterval(kValidateDelayMs);
    connect(&m_validateTimer, &QTimer::timeout, this, &ScenarioDocument::validateNow);
}

bool ScenarioDocument::openFile(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("Cannot open %1: %2").arg(path, file.errorString());
        return false;
    }
    if (file.size() > kMaxFileBytes) {
        *error = tr("%1 is larger than 16 MiB; scenario files are short text.").arg(path);
        return false;
    }
    m_filePath = QFileInfo(path).absoluteFilePath();
    m_displayName = path;
    m_text = QString::fromUtf8(file.readAll());
    emit textReplaced();
    validateNow();
    return true;
}

void ScenarioDocument::setText(const QString& text, const QString& displayName)
{
    m_filePath.clear();
    m_displayName = displayName;
    m_text = text;
    emit textReplaced();
    validateNow();
}

void ScenarioDocument::editText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_validateTimer.start();
}

void ScenarioDocument::validateNow()
{
    m_validateTimer.stop();
    const std::string baseDirectory
        = m_filePath.isEmpty() ? std::string() : QFileInfo(m_filePath).absolutePath().toStdString();
    m_load = loadScenarioText(m_text.toStdString(), m_displayName.toStdString(), baseDirectory);
    emit validated();
}

} // namespace shardsim::ui
