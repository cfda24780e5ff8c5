#include "engine/worker_pool.h"

namespace shardsim::engine {

WorkerPool::WorkerPool(int threads)
{
    for (int worker = 1; worker < threads; ++worker)
        m_threads.emplace_back([this, worker] { work(worker); });
}

WorkerPool::~WorkerPool()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    for (std::thread& thread : m_threads)
        thread.join();
}

void WorkerPool::drain(int worker)
{
    for (size_t job = m_next.fetch_add(1); job < m_jobs; job = m_next.fetch_add(1))
        (*m_fn)(job, worker);
}

void WorkerPool::run(size_t jobs, const std::function<void(size_t job, int worker)>& fn)
{
    if (m_threads.empty() || jobs <= 1) {
        for (size_t job = 0; job < jobs; ++job)
            fn(job, 0);
        return;
    }
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_fn = &fn;
        m_jobs = jobs;
        m_next.store(0);
        m_busy = static_cast<int>(m_threads.size());
        ++m_generation;
    }
    m_wake.notify_all();
    drain(0);
    std::unique_lock<std::mutex> lock(m_mutex);
    m_done.wait(lock, [this] { return m_busy == 0; });
    m_fn = nullptr;
}

void WorkerPool::work(int worker)
{
    uint64_t seen = 0;
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || m_generation != seen; });
            if (m_stop)
                return;
            seen = m_generation;
        }
        drain(worker);
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            --m_busy;
        }
        m_done.notify_one();
    }
}

} // namespace shardsim::engine
