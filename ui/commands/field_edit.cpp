#include "commands/field_edit.h"

#include <QCoreApplication>
#include <QTextDocument>

#include "editor/yaml_locator.h"

namespace shardsim::ui {

FieldEdit::FieldEdit(QTextDocument* document)
    : m_document(document)
    , m_cursor(document)
{
    m_cursor.beginEditBlock();
}

FieldEdit::~FieldEdit() { m_cursor.endEditBlock(); }

namespace {
    void apply(QTextCursor& cursor, const YamlEdit& edit)
    {
        cursor.setPosition(edit.start);
        cursor.setPosition(edit.start + edit.removeLength, QTextCursor::KeepAnchor);
        cursor.insertText(edit.insert);
    }
}

bool FieldEdit::set(const QString& path, const QString& value)
{
    // Each step reads the text as it is now: earlier steps of the same edit moved things around.
    const YamlLocator locator(m_document->toPlainText());
    if (const auto current = locator.find(path); current && current->scalar && current->text == value)
        return true; // unchanged: no empty undo step
    const auto edit = locator.setValue(path, value);
    if (!edit) {
        m_error = QCoreApplication::translate("FieldEdit", "%1 is written as a list or mapping; edit it in the text")
                      .arg(path);
        return false;
    }
    apply(m_cursor, *edit);
    return true;
}

void FieldEdit::remove(const QString& path)
{
    const YamlLocator locator(m_document->toPlainText());
    if (const auto edit = locator.removeKey(path))
        apply(m_cursor, *edit);
}

bool FieldEdit::replace(const QString& path, const QString& yaml)
{
    const YamlLocator locator(m_document->toPlainText());
    const auto current = locator.find(path);
    if (!current || (!current->scalar && !current->mapping) || current->length == 0) {
        m_error = QCoreApplication::translate("FieldEdit", "%1 cannot be replaced in place").arg(path);
        return false;
    }
    apply(m_cursor, YamlEdit { current->start, current->length, yaml });
    return true;
}

} // namespace shardsim::ui
