// The desktop app at 1,024 nodes: the app's own worker runs a simulated day (1 s ticks, 10^9 keys, the expected
// engine) while the window shows the Cluster and Load views, on Qt's offscreen platform. A probe timer wakes the GUI
// event loop every 5 ms; the longest gap between two wake-ups is the longest stall a user would feel (it also counts
// time the machine gave to other processes), and the GUI thread's CPU time inside that gap is how long our code kept
// the loop busy. Also counted: how many times a second the views were told of a new snapshot (the redraws).
// Reproduce: ./build/tests/bench/shardsim_gui_bench   (target: no stall over 50 ms, at most 10 redraws/s)

#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>

#include "main_window.h"
#include "scenario_document.h"
#include "workers/run_controller.h"

using namespace shardsim::ui;

namespace {

const char* const kDayOnThousandNodes = R"(name: gui-day
duration: 1d
tick: 1s
cluster: { nodes: 1024, node: { max_qps: 5K }, replication: 2 }
data:
  tables:
    - { name: t_user, key: uid, rows: 1B, growth: 2M/day }
sharding: { rule: "jump:buckets=1024" }
workload:
  rate: { shape: diurnal, base: 1M/s, peak: 3x, peak_hour: 20 }
  keys: { distribution: zipf, theta: 0.99 }
)";

double threadCpuMs()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

void guiDayOnThousandNodes(benchmark::State& state)
{
    QTemporaryDir directory;
    for (auto _ : state) {
        MainWindow window(MainWindowOptions { false, directory.filePath("history.sqlite"), false });
        window.scenarioDocument()->setText(QString::fromLatin1(kDayOnThousandNodes), QStringLiteral("day.yaml"));
        if (!window.document().load().ok()) {
            state.SkipWithError(window.document().load().errorText().c_str());
            return;
        }
        window.resize(1600, 1000);
        window.show();
        window.showView(QStringLiteral("load"));
        window.showView(QStringLiteral("cluster"));
        (void)QTest::qWaitForWindowExposed(&window);

        QElapsedTimer clock;
        qint64 lastWall = 0;
        qint64 longestWall = 0;
        double lastCpu = 0;
        double longestBusy = 0;
        QTimer probe;
        probe.setInterval(5);
        QObject::connect(&probe, &QTimer::timeout, [&] {
            const qint64 wall = clock.elapsed();
            const double cpu = threadCpuMs();
            longestWall = std::max(longestWall, wall - lastWall);
            longestBusy = std::max(longestBusy, cpu - lastCpu);
            lastWall = wall;
            lastCpu = cpu;
        });
        int redraws = 0;
        qint64 lastRedraw = -1;
        qint64 shortestInterval = -1;
        QObject::connect(window.controller(), &RunController::snapshotChanged, [&] {
            const qint64 now = clock.elapsed();
            if (lastRedraw >= 0 && window.controller()->isActive())
                shortestInterval = shortestInterval < 0 ? now - lastRedraw : std::min(shortestInterval, now - lastRedraw);
            lastRedraw = now;
            ++redraws;
        });
        if (!window.startRun()) {
            state.SkipWithError("the day did not start");
            return;
        }
        clock.start();
        lastCpu = threadCpuMs();
        probe.start();
        const bool finished = QTest::qWaitFor(
            [&window] { return window.controller()->state() == RunController::State::Finished; }, 600'000);
        probe.stop();
        if (!finished) {
            state.SkipWithError("the day did not finish in 10 minutes");
            return;
        }
        const double seconds = static_cast<double>(clock.elapsed()) / 1000.0;
        state.counters["run_s"] = seconds;
        state.counters["longest_stall_ms"] = static_cast<double>(longestWall);
        state.counters["longest_busy_ms"] = longestBusy;
        state.counters["redraws_per_s"] = redraws / seconds;
        state.counters["shortest_redraw_gap_ms"] = static_cast<double>(shortestInterval);
    }
}

} // namespace

BENCHMARK(guiDayOnThousandNodes)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("shardsim-bench"));
    QApplication::setApplicationName(QStringLiteral("gui_bench"));
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
