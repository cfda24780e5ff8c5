#pragma once
// The scenario being edited: one QTextDocument shared by the text editor and the form (so both edit
// the same text and share its undo stack), the file it came from, and what the core made of it.
// Validation runs after each short pause in typing.

#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

#include "shardsim/scenario/scenario_reader.h"

class QTextDocument;

namespace shardsim::ui {

class ScenarioDocument : public QObject {
    Q_OBJECT
public:
    explicit ScenarioDocument(QObject* parent = nullptr);

    // Reads a file; on failure `error` says why and the document is unchanged.
    bool openFile(const QString& path, QString* error);
    // Text with no file behind it (the built-in example, a run from the history). Relative files it
    // names resolve against `baseDirectory` (empty: the working directory).
    void setText(const QString& text, const QString& displayName, const QString& baseDirectory = {});
    // Writes the text to `path`, which becomes the document's file; `error` says why not.
    bool saveAs(const QString& path, QString* error);
    void validateNow();

    QTextDocument* textDocument() const { return m_document; }
    QString text() const;
    const QString& filePath() const { return m_filePath; }
    const QString& displayName() const { return m_displayName; }
    bool isModified() const;
    const ScenarioLoad& load() const { return m_load; }
    // The last valid configuration, shared with the runs and the views.
    std::shared_ptr<const ScenarioConfig> config() const { return m_config; }

signals:
    void replaced(); // a different file or text: the undo history starts afresh
    void validated(); // `load()` is current
    void modificationChanged(bool modified);

private:
    void replaceText(const QString& text);

    QTextDocument* m_document;
    QString m_filePath;
    QString m_displayName;
    QString m_baseDirectory; // for text without a file
    ScenarioLoad m_load;
    std::shared_ptr<const ScenarioConfig> m_config;
    QTimer m_validateTimer;
};

} // namespace shardsim::ui
