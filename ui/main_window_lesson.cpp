// MainWindow's lesson mode and its File → Examples menu, kept apart from the rest of the window.

#include <QAction>
#include <QDockWidget>
#include <QTimer>
#include <QMenu>
#include <QStatusBar>

#include "lesson/example_library.h"
#include "lesson/lesson_panel.h"
#include "main_window.h"
#include "models/problems_model.h"
#include "scenario_document.h"
#include "views/analysis_view.h"

namespace shardsim::ui {

namespace {
    // Topic directories as menu titles.
    QString topicTitle(const QString& topic)
    {
        static const std::map<QString, QString> titles {
            { QStringLiteral("rules"), QObject::tr("Routing rules") },
            { QStringLiteral("ids"), QObject::tr("Global ids") },
            { QStringLiteral("tables"), QObject::tr("Tables") },
            { QStringLiteral("workload"), QObject::tr("Workloads") },
            { QStringLiteral("workloads"), QObject::tr("Published workloads") },
            { QStringLiteral("replay"), QObject::tr("Trace replay") },
        };
        const auto it = titles.find(topic);
        if (it != titles.end())
            return it->second;
        QString title = topic;
        if (!title.isEmpty())
            title[0] = title[0].toUpper();
        return title;
    }
}

void MainWindow::createLessonDock()
{
    LessonHooks hooks;
    hooks.showView = [this](const QString& id) { return showView(id); };
    hooks.startRun = [this] { return startRun(); };
    hooks.runActive = [this] { return m_controller->isActive(); };
    m_lesson = new LessonPanel(m_context, std::move(hooks), this);
    m_lessonDock = new QDockWidget(tr("Lesson"), this);
    m_lessonDock->setObjectName(QStringLiteral("lessonDock"));
    m_lessonDock->setWidget(m_lesson);
    // Under the editor, a tab beside Problems and Route a key: the editor keeps its width, the charts theirs.
    addDockWidget(Qt::BottomDockWidgetArea, m_lessonDock);
    tabifyDockWidget(m_routeDock, m_lessonDock);
    m_lessonDock->hide();
    // A scenario with a lesson opens its panel under the editor, in front; one without closes it.
    connect(m_lesson, &LessonPanel::lessonChanged, this, [this](bool hasLesson) {
        m_lessonDock->setVisible(hasLesson);
        // Raised once the tab bar has taken the newly shown tab in (it does so on the next layout pass).
        if (hasLesson)
            QTimer::singleShot(0, m_lessonDock, &QDockWidget::raise);
    });
}

void MainWindow::addExamplesMenu(QMenu* file)
{
    QMenu* examples = file->addMenu(tr("&Examples"));
    examples->setObjectName(QStringLiteral("examplesMenu"));
    examples->addAction(tr("Double-11 orders (every section of the format)"), this, [this] {
        if (maybeSave())
            openBuiltInExample();
    });
    examples->addSeparator();
    for (const QString& topic : m_examples->topics()) {
        QMenu* menu = examples->addMenu(topicTitle(topic));
        menu->setObjectName(QStringLiteral("examples-") + topic);
        for (const ExampleEntry& entry : m_examples->entries()) {
            if (entry.topic != topic)
                continue;
            const QString name = entry.name;
            menu->addAction(name, this, [this, topic, name] {
                if (maybeSave())
                    openLibraryExample(topic, name);
            });
        }
    }
}

bool MainWindow::openLibraryExample(const QString& topic, const QString& name)
{
    const ExampleEntry* entry = m_examples->find(topic, name);
    const QString text = entry ? ExampleLibrary::text(*entry) : QString();
    if (text.isEmpty()) {
        m_problemsModel->setMessage(tr("The example %1/%2 is missing from this build.").arg(topic, name));
        return false;
    }
    // Examples have no file behind them: Save asks where to keep a copy. Their data files are read from a
    // private copy.
    m_document->setText(text, name + QStringLiteral(".yaml"), m_examples->dataDirectory(*entry));
    return true;
}

} // namespace shardsim::ui
