// GoogleTest main for widget tests: one QApplication for the whole run, on the offscreen platform, with
// settings and standard paths of its own so no test reads or writes the user's.
#include <QApplication>
#include <QStandardPaths>
#include <gtest/gtest.h>

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("shardsim-tests"));
    QApplication::setApplicationName(QStringLiteral("ui_tests"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
