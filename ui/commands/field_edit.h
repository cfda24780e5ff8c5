#pragma once
// The form's edit family: changes to fields of the scenario text. A FieldEdit is one edit block on the
// editor's QTextDocument, so the document's own undo stack holds form edits and typing alike, Ctrl+Z
// undoes whichever came last, and a form change that touches several keys is still one step.

#include <QString>
#include <QTextCursor>

class QTextDocument;

namespace shardsim::ui {

class FieldEdit {
public:
    explicit FieldEdit(QTextDocument* document);
    ~FieldEdit(); // ends the edit block
    FieldEdit(const FieldEdit&) = delete;
    FieldEdit& operator=(const FieldEdit&) = delete;

    // Sets `path` ("cluster.nodes") to the scalar `value`, adding the key when it is missing. False when
    // the value on the path is a list or a mapping.
    bool set(const QString& path, const QString& value);
    // Removes `path` when present (a key that does not apply to the new shape or distribution).
    void remove(const QString& path);
    // Replaces the scalar or flow mapping at `path` with `yaml` verbatim: how `rate: 50K/s` becomes
    // `rate: { shape: double-11, base: 50K/s }`.
    bool replace(const QString& path, const QString& yaml);

    const QString& error() const { return m_error; }

private:
    QTextDocument* m_document;
    QTextCursor m_cursor;
    QString m_error;
};

} // namespace shardsim::ui
