// shardsim: the desktop app. `shardsim [FILE] [--screenshot PATH]`.

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include "main_window.h"
#include "scenario_document.h"

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName("shardsim");
    QApplication::setOrganizationName("shardsim");
    QApplication::setApplicationVersion(SHARDSIM_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("Simulate sharded databases and plan their capacity.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("file", "Scenario file to open (default: the built-in Double-11 example).");
    QCommandLineOption screenshot("screenshot", "Render the window to PATH (PNG) and exit: 0, or 2 when the file is invalid.",
        "path");
    parser.addOption(screenshot);
    parser.process(app);

    shardsim::ui::MainWindow window;
    const QStringList files = parser.positionalArguments();
    bool opened = true;
    if (files.isEmpty())
        window.openBuiltInExample();
    else
        opened = window.openFile(files.first());
    window.show();

    if (parser.isSet(screenshot)) {
        const bool valid = opened && window.document().load().ok();
        // Let the first layout and paint happen before grabbing.
        QTimer::singleShot(0, &window, [&window, &parser, &screenshot, valid] {
            const bool saved = window.grab().save(parser.value(screenshot), "PNG");
            QApplication::exit(!saved ? 1 : valid ? 0 : 2);
        });
    }
    return app.exec();
}
