#pragma once
// The scenario being edited: its text, where it came from, and what the core made of it.
// Validation runs on every change, after a short pause in typing.

#include <QObject>
#include <QString>
#include <QTimer>

#include "shardsim/scenario/scenario_reader.h"

namespace shardsim::ui {

class ScenarioDocument : public QObject {
    Q_OBJECT
public:
    explicit ScenarioDocument(QObject* parent = nullptr);

    // Reads a file; on failure to read, `error` says why and the document is unchanged.
    bool openFile(const QString& path, QString* error);
    // Text with no file behind it (the built-in example); `displayName` is used in messages.
    void setText(const QString& text, const QString& displayName);
    // Edits from the editor: validated after a short pause.
    void editText(const QString& text);
    void validateNow();

    const QString& text() const { return m_text; }
    const QString& filePath() const { return m_filePath; }
    const QString& displayName() const { return m_displayName; }
    const ScenarioLoad& load() const { return m_load; }

signals:
    void textReplaced(); // a new file or text: the editor must show it
    void validated(); // `load()` is current

private:
    QString m_text;
    QString m_filePath;
    QString m_displayName;
    ScenarioLoad m_load;
    QTimer m_validateTimer;
};

} // namespace shardsim::ui
