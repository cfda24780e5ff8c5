#pragma once
// A small fixed pool for the sampled engine's draws: run(jobs, fn) calls fn(job, worker) for every job, spread
// over the calling thread (worker 0) and threads - 1 background threads, and returns when all are done. Which
// worker runs which job varies from run to run; callers keep results per job or add integers, so it never
// shows in the output.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace shardsim::engine {

class WorkerPool {
public:
    explicit WorkerPool(int threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    int size() const { return static_cast<int>(m_threads.size()) + 1; }
    void run(size_t jobs, const std::function<void(size_t job, int worker)>& fn);

private:
    void work(int worker);
    void drain(int worker);

    std::vector<std::thread> m_threads;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    const std::function<void(size_t, int)>* m_fn = nullptr;
    size_t m_jobs = 0;
    std::atomic<size_t> m_next { 0 };
    uint64_t m_generation = 0; // bumped per run(); threads wait for a new one
    int m_busy = 0; // background threads still working on the current generation
    bool m_stop = false;
};

} // namespace shardsim::engine
