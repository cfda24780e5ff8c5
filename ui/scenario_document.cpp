#include "scenario_document.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTextDocument>

namespace shardsim::ui {

namespace {
    // Long enough to skip most keystrokes, short enough to feel live.
    constexpr int kValidateDelayMs = 250;
}

ScenarioDocument::ScenarioDocument(QObject* parent)
    : QObject(parent)
    , m_document(new QTextDocument(this))
{
    m_validateTimer.setSingleShot(true);
    m_validateTimer.setInterval(kValidateDelayMs);
    connect(&m_validateTimer, &QTimer::timeout, this, &ScenarioDocument::validateNow);
    connect(m_document, &QTextDocument::contentsChanged, &m_validateTimer, qOverload<>(&QTimer::start));
    connect(m_document, &QTextDocument::modificationChanged, this, &ScenarioDocument::modificationChanged);
}

QString ScenarioDocument::text() const { return m_document->toPlainText(); }

bool ScenarioDocument::isModified() const { return m_document->isModified(); }

void ScenarioDocument::replaceText(const QString& text)
{
    // setPlainText clears the undo stack: undo never crosses into another file.
    m_document->setPlainText(text);
    m_document->setModified(false);
    m_validateTimer.stop();
    m_config.reset(); // the previous file's scenario must not run under this one's name
    emit replaced();
    validateNow();
}

bool ScenarioDocument::openFile(const QString& path, QString* error)
{
    // The CLI's own reading: a directory, a FIFO or a binary file is described in the same words, and its bytes
    // never reach the editor.
    const ScenarioFileText file = readScenarioFileText(QFile::encodeName(path).toStdString());
    if (!file.ok()) {
        *error = QString::fromStdString(file.diagnostics.front().format());
        return false;
    }
    m_filePath = QFileInfo(path).absoluteFilePath();
    m_displayName = QFileInfo(path).fileName();
    replaceText(QString::fromStdString(file.text));
    return true;
}

void ScenarioDocument::setText(const QString& text, const QString& displayName, const QString& baseDirectory)
{
    m_filePath.clear();
    m_displayName = displayName;
    m_baseDirectory = baseDirectory;
    replaceText(text);
}

bool ScenarioDocument::saveAs(const QString& path, QString* error)
{
    // QSaveFile: a failed write leaves the old file as it was.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text().toUtf8()) < 0 || !file.commit()) {
        *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    const bool renamed = QFileInfo(path).absoluteFilePath() != m_filePath;
    m_filePath = QFileInfo(path).absoluteFilePath();
    m_displayName = QFileInfo(path).fileName();
    m_document->setModified(false);
    if (renamed)
        validateNow(); // relative paths in the scenario now resolve against the new directory
    return true;
}

void ScenarioDocument::validateNow()
{
    m_validateTimer.stop();
    const std::string baseDirectory
        = (m_filePath.isEmpty() ? m_baseDirectory : QFileInfo(m_filePath).absolutePath()).toStdString();
    const std::string fileName = (m_filePath.isEmpty() ? m_displayName : m_filePath).toStdString();
    m_load = loadScenarioText(text().toStdString(), fileName, baseDirectory);
    if (m_load.ok())
        m_config = std::make_shared<const ScenarioConfig>(*m_load.config);
    emit validated();
}

} // namespace shardsim::ui
