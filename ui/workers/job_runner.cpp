#include "workers/job_runner.h"

#include <QMetaObject>

namespace shardsim::ui {

JobRunner::JobRunner(QObject* parent)
    : QObject(parent)
{
}

JobRunner::~JobRunner() { reap(true); }

uint64_t JobRunner::launch(Work work)
{
    dropCurrent();
    reap(false);
    const uint64_t generation = m_generation;
    Worker worker { {}, std::make_shared<std::atomic<bool>>(false), std::make_shared<std::atomic<bool>>(false) };
    worker.thread
        = std::thread([this, work = std::move(work), generation, cancel = worker.cancel, ended = worker.ended] {
              std::function<void()> deliver = work(*cancel);
              // Queued to this object's thread; the destructor joins this thread first, so `this` is alive here, and a
              // call still queued when the object goes is dropped with it.
              QMetaObject::invokeMethod(
                  this, [this, generation, deliver = std::move(deliver)] { finish(generation, deliver); },
                  Qt::QueuedConnection);
              ended->store(true);
          });
    m_workers.push_back(std::move(worker));
    setBusy(true);
    return generation;
}

void JobRunner::cancel()
{
    dropCurrent();
    setBusy(false);
}

void JobRunner::dropCurrent()
{
    ++m_generation; // whatever is in flight is stale from now on
    for (Worker& worker : m_workers)
        worker.cancel->store(true);
}

void JobRunner::finish(uint64_t generation, const std::function<void()>& deliver)
{
    reap(false);
    if (generation != m_generation) {
        emit dropped(generation); // a cancelled job's, or an earlier one's
        return;
    }
    setBusy(false);
    deliver();
    emit delivered(generation);
}

void JobRunner::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged(busy);
}

void JobRunner::reap(bool all)
{
    std::vector<Worker> running;
    for (Worker& worker : m_workers) {
        if (all)
            worker.cancel->store(true);
        if (all || worker.ended->load())
            worker.thread.join();
        else
            running.push_back(std::move(worker));
    }
    m_workers = std::move(running);
}

} // namespace shardsim::ui
