#include "editor/editor_pane.h"

#include <QScrollArea>
#include <QScrollBar>
#include <QTabWidget>

#include "editor/code_editor.h"
#include "editor/scenario_form.h"
#include "scenario_document.h"
#include "views/outline_view.h"

namespace shardsim::ui {

EditorPane::EditorPane(ScenarioDocument* document, QWidget* parent)
    : QSplitter(Qt::Horizontal, parent)
    , m_editor(new CodeEditor(this))
    , m_form(new ScenarioForm(document->textDocument(), this))
    , m_outline(new OutlineView(this))
    , m_tabs(new QTabWidget(this))
{
    setObjectName(QStringLiteral("editorPane"));
    m_editor->setScenarioDocument(document->textDocument());
    auto* formScroll = new QScrollArea(this);
    formScroll->setWidget(m_form);
    formScroll->setWidgetResizable(true);
    formScroll->setFrameShape(QFrame::NoFrame);
    // The form never scrolls sideways: it keeps the width its fields need and the text gives way.
    formScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    formScroll->setMinimumWidth(m_form->sizeHint().width() + formScroll->verticalScrollBar()->sizeHint().width());
    m_tabs->addTab(formScroll, tr("Form"));
    m_tabs->addTab(m_outline, tr("Outline"));
    m_tabs->setDocumentMode(true);
    addWidget(m_editor);
    addWidget(m_tabs);
    setStretchFactor(0, 3);
    setStretchFactor(1, 2);
    setChildrenCollapsible(false);
    connect(document, &ScenarioDocument::validated, this, [this, document] { m_outline->showLoad(document->load()); });
    // A new file is shown in the form at once, not after the pause that typing gets.
    connect(document, &ScenarioDocument::replaced, m_form, &ScenarioForm::readFromText);
}

} // namespace shardsim::ui
