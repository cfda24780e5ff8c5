#pragma once
// One background job at a time for a view: a plan, a rule comparison, a sweep. A job runs on a worker thread
// of its own with a cancel flag; starting another job cancels it, and a generation counter drops its result
// (as RunController drops the snapshots of an earlier run), so a view only ever sees the result of the job it
// asked for last. Results come back on the runner's thread as values; the runner never blocks the GUI thread
// waiting for a cancelled job, except when it is destroyed.

#include <QObject>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace shardsim::ui {

class JobRunner : public QObject {
    Q_OBJECT
public:
    explicit JobRunner(QObject* parent = nullptr);
    ~JobRunner() override; // cancels the jobs still running and waits for them

    // Runs `job` on a worker thread after cancelling the job under way; `done` gets its result on this object's
    // thread, unless another job was started or cancel() was called first. Returns the job's generation.
    template <typename T>
    uint64_t start(std::function<T(const std::atomic<bool>& cancel)> job, std::function<void(T)> done)
    {
        return launch([job = std::move(job), done = std::move(done)](const std::atomic<bool>& cancel) {
            auto result = std::make_shared<T>(job(cancel));
            return std::function<void()>([done, result] { done(std::move(*result)); });
        });
    }

    // Cancels the job under way; its result is dropped.
    void cancel();
    bool busy() const { return m_busy; }
    uint64_t generation() const { return m_generation; } // of the last job started

signals:
    void busyChanged(bool busy);
    void delivered(uint64_t generation); // after the done callback of a job ran
    void dropped(uint64_t generation); // a job ended after another was started or it was cancelled: no callback

private:
    using Work = std::function<std::function<void()>(const std::atomic<bool>& cancel)>;
    uint64_t launch(Work work);
    void finish(uint64_t generation, const std::function<void()>& deliver);
    void dropCurrent(); // cancels every worker and makes its result stale
    void setBusy(bool busy);
    void reap(bool all); // joins the workers that ended (all: every one, cancelling them first)

    struct Worker {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> cancel;
        std::shared_ptr<std::atomic<bool>> ended;
    };
    std::vector<Worker> m_workers; // the current one last; cancelled ones until they end
    uint64_t m_generation = 0;
    bool m_busy = false;
};

} // namespace shardsim::ui
