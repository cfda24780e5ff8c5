// shardsim: the desktop app.
//   shardsim [FILE] [--run] [--at peak|TICK|TIME]
//            [--view overview|cluster|load|heatmap|history|fanout|migration|compare|plan|analyze] [--step N] [--screenshot PATH]
//   shardsim --open-run ID [--view V] [--screenshot PATH]
// A finished run opens at its peak (the tick of the highest offered load); --at shows another moment.
// With --screenshot the window is rendered to PATH once it has settled (after the run, with --run, or once the stored
// run is shown, with --open-run) and the app exits: 0 on success, 2 when the file is invalid (its errors are printed
// and the window with them is still rendered), --at names no moment of the run or the run history has no run ID,
// 1 when the run failed, the history cannot be read or the image could not be written.

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QTimer>

#include <cstdio>
#include <optional>

#include "lesson/lesson_panel.h"
#include "main_window.h"
#include "scenario_document.h"
#include "shardsim/history/run_history.h"
#include "views/analysis_view.h"
#include "views/view_context.h"

using shardsim::ui::AnalysisView;
using shardsim::ui::MainWindow;
using shardsim::ui::RunController;
using shardsim::ui::ViewContext;

namespace {

struct CommandLine {
    QCommandLineParser parser;
    const QCommandLineOption run { QStringLiteral("run"), QStringLiteral("Run the scenario to the end at full speed.") };
    const QCommandLineOption view { QStringLiteral("view"),
        QStringLiteral("Show this view: overview, cluster, load, heatmap, history, fanout, migration, compare, plan or analyze."),
        QStringLiteral("name") };
    const QCommandLineOption screenshot { QStringLiteral("screenshot"),
        QStringLiteral("Render the window to PATH (PNG) and exit: 0, 2 when the file is invalid, 1 when the run "
                       "failed."),
        QStringLiteral("path") };
    const QCommandLineOption at { QStringLiteral("at"),
        QStringLiteral("With --run: show this moment of the run: peak (the default), a tick (120), a time since the "
                       "start (00:30, 1:30:00) or a duration (90m, 1h30m)."),
        QStringLiteral("moment") };
    const QCommandLineOption step { QStringLiteral("step"), QStringLiteral("Open the scenario's lesson at step N (1-based)."),
        QStringLiteral("N") };
    const QCommandLineOption openRun { QStringLiteral("open-run"),
        QStringLiteral("Show run ID of the run history (shardsim-cli history list) in every view, as it ran."),
        QStringLiteral("ID") };

    CommandLine()
    {
        parser.setApplicationDescription(QStringLiteral("Simulate sharded databases and plan their capacity."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addPositionalArgument(QStringLiteral("file"),
            QStringLiteral("Scenario file to open (default: the built-in Double-11 example)."));
        parser.addOption(run);
        parser.addOption(at);
        parser.addOption(view);
        parser.addOption(step);
        parser.addOption(openRun);
        parser.addOption(screenshot);
    }
};

void describeApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("shardsim"));
    QCoreApplication::setOrganizationName(QStringLiteral("shardsim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SHARDSIM_VERSION));
}

// --help and --version need no window, so they work without a display (over ssh, in a package check).
bool asksForTextOnly(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "-h" || arg == "--help" || arg == "-?" || arg == "--help-all" || arg == "-v" || arg == "--version")
            return true;
    }
    return false;
}

// Why --open-run cannot show its run, with the exit code; nullopt when the history holds it. Checked before the window
// asks for the run, so a wrong id is a message on stderr rather than a dialog.
struct RunProblem {
    QString message;
    int code = 2;
};

std::optional<RunProblem> problemWithRun(const QString& historyPath, const QString& idText, qint64& id)
{
    bool number = false;
    id = idText.toLongLong(&number);
    if (!number || id <= 0)
        return RunProblem { QStringLiteral("--open-run %1: a run id is a whole number above 0, as 'shardsim-cli "
                                           "history list' shows them")
                                .arg(idText) };
    auto history = shardsim::RunHistory::openReadOnly(historyPath.toStdString());
    if (!history)
        return RunProblem { QString::fromStdString(history.error()), 1 };
    auto run = history->get(id);
    if (!run)
        return RunProblem { QString::fromStdString(run.error()), 1 };
    if (!*run)
        return RunProblem { QStringLiteral("--open-run %1: the run history %2 has no run %1; 'shardsim-cli history "
                                           "list' lists its runs")
                                .arg(idText, historyPath) };
    return std::nullopt;
}

} // namespace

int main(int argc, char** argv)
{
    if (asksForTextOnly(argc, argv)) {
        QCoreApplication text(argc, argv);
        describeApplication();
        CommandLine line;
        line.parser.process(text); // prints and exits
        return 0;
    }
    QApplication app(argc, argv);
    describeApplication();
    QApplication::setDesktopFileName(QStringLiteral("shardsim"));

    CommandLine line;
    QCommandLineParser& parser = line.parser;
    const QCommandLineOption& run = line.run;
    const QCommandLineOption& view = line.view;
    const QCommandLineOption& screenshot = line.screenshot;
    const QCommandLineOption& step = line.step;
    const QCommandLineOption& at = line.at;
    parser.process(app);
    if (parser.isSet(at) && !parser.isSet(run)) {
        std::fprintf(stderr, "shardsim: --at needs --run: a moment is a moment of a run\n");
        return 2;
    }

    const bool automated = parser.isSet(screenshot);
    shardsim::ui::MainWindowOptions options;
    options.persistent = !automated;
    MainWindow window(options);
    if (parser.isSet(view) && !window.registry().find(parser.value(view))) {
        std::fprintf(stderr, "shardsim: unknown view '%s'; the views are %s\n", qPrintable(parser.value(view)),
            qPrintable(window.registry().ids().join(QStringLiteral(", "))));
        return 2;
    }

    const QStringList files = parser.positionalArguments();
    const bool reopening = parser.isSet(line.openRun);
    qint64 runId = 0;
    if (reopening) {
        std::optional<RunProblem> problem;
        if (!files.isEmpty() || parser.isSet(run) || parser.isSet(step))
            problem = RunProblem { QStringLiteral("--open-run shows a stored run; it takes no FILE, --run or --step") };
        else
            problem = problemWithRun(window.viewContext()->historyPath(), parser.value(line.openRun), runId);
        if (problem) {
            std::fprintf(stderr, "shardsim: %s\n", qPrintable(problem->message));
            return problem->code;
        }
    }
    bool opened = true;
    if (reopening)
        window.controller()->reopenFromHistory(window.viewContext()->historyPath(), runId);
    else if (files.isEmpty())
        window.openBuiltInExample();
    else
        opened = window.openFile(files.first());
    const bool valid = opened && (reopening || window.document().load().ok());
    if (!valid && automated) // the picture shows the errors; the log says them too
        std::fprintf(stderr, "%s", window.document().load().errorText().c_str());
    if (parser.isSet(view))
        window.showView(parser.value(view));
    window.show();
    if (valid && parser.isSet(run)) {
        if (automated)
            window.controller()->setSpeed(0);
        window.startRun();
    }
    if (parser.isSet(step) && valid) {
        bool number = false;
        const int index = parser.value(step).toInt(&number);
        if (!number || index < 1 || index > window.lessonPanel()->stepCount()) {
            std::fprintf(stderr, "shardsim: --step %s: the lesson has %d steps\n", qPrintable(parser.value(step)),
                window.lessonPanel()->stepCount());
            return 2;
        }
        if (automated)
            window.controller()->setSpeed(0);
        window.lessonPanel()->goTo(index - 1); // raises its view and runs to its moment
    }
    // The views open a finished run at its peak; --at moves them once the run is over.
    bool momentInvalid = false;
    if (parser.isSet(at) && valid) {
        ViewContext* context = window.viewContext();
        QObject::connect(
            context, &ViewContext::snapshotChanged, &window,
            [&, context, chosen = false]() mutable {
                const auto& snapshot = context->snapshot();
                if (chosen || !snapshot || !snapshot->done())
                    return;
                chosen = true;
                QString error;
                if (const std::optional<int64_t> tick = shardsim::ui::tickOfMoment(parser.value(at), *snapshot, &error))
                    context->setTick(*tick);
                else {
                    std::fprintf(stderr, "shardsim: --at %s: %s\n", qPrintable(parser.value(at)), qPrintable(error));
                    momentInvalid = true;
                }
            },
            Qt::QueuedConnection); // after the context has put the views at the peak
    }
    if (!automated)
        return QApplication::exec();

    // Grab once nothing has changed for a moment: charts lay out and the worker re-decimates for their
    // final widths after the first paint.
    QTimer settle;
    settle.setSingleShot(true);
    settle.setInterval(400);
    const bool waitForRun = valid && (parser.isSet(run) || parser.isSet(step));
    bool waitForReopen = reopening;
    bool reopenFailed = false;
    QObject::connect(window.controller(), &RunController::reopened, &window, [&] { waitForReopen = false; });
    QObject::connect(window.controller(), &RunController::reopenFailed, &window, [&](const QString& message) {
        std::fprintf(stderr, "shardsim: %s\n", qPrintable(message));
        waitForReopen = false;
        reopenFailed = true;
    });
    const QString path = parser.value(screenshot);
    QObject::connect(&settle, &QTimer::timeout, &window, [&] {
        const RunController::State state = window.controller()->state();
        const AnalysisView* shown = parser.isSet(view) ? window.view(parser.value(view)) : nullptr;
        if ((waitForRun && window.controller()->isActive()) || waitForReopen || (shown && shown->busy())) {
            settle.start();
            return;
        }
        const ViewContext* context = window.viewContext();
        const auto& snapshot = context->snapshot();
        const bool saved = window.grab().save(path, "PNG");
        if (!saved)
            std::fprintf(stderr, "shardsim: cannot write %s\n", qPrintable(path));
        else if (snapshot && snapshot->ticksDone > 0) // which moment the picture shows
            std::printf("shardsim: %s shows tick %lld (%s)%s\n", qPrintable(path),
                static_cast<long long>(context->tick()),
                snapshot->clock.format(static_cast<double>(context->tick()) * snapshot->tickSeconds).c_str(),
                context->atPeak() ? ", the peak" : "");
        int code = 0;
        if (!saved || state == RunController::State::Failed || reopenFailed)
            code = 1;
        else if (!valid || momentInvalid)
            code = 2;
        QApplication::exit(code);
    });
    QObject::connect(window.controller(), &RunController::snapshotChanged, &settle, qOverload<>(&QTimer::start));
    settle.start();
    return QApplication::exec();
}
