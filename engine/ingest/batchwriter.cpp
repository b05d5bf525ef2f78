// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/batchwriter.h"

namespace portcullis {

BatchWriter::BatchWriter(WriteFunction write, int capacity)
    : m_write(std::move(write))
    , m_capacity(qMax(1, capacity))
    , m_thread(&BatchWriter::run, this)
{
}

BatchWriter::~BatchWriter()
{
    QString ignored;
    finish(&ignored);
}

bool BatchWriter::push(PendingBatch batch)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_changed.wait(lock, [this] { return m_failed || int(m_queue.size()) < m_capacity; });
    if (m_failed)
        return false;
    m_queue.push_back(std::move(batch));
    m_changed.notify_all();
    return true;
}

bool BatchWriter::finish(QString *errorMessage)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_closing = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    if (m_failed && errorMessage)
        *errorMessage = m_error;
    return !m_failed;
}

void BatchWriter::run()
{
    for (;;) {
        PendingBatch batch;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_changed.wait(lock, [this] { return m_closing || !m_queue.empty(); });
            if (m_queue.empty())
                return;
            batch = std::move(m_queue.front());
        }
        // The batch leaves the queue only once written, so a full queue also
        // counts the batch in progress.
        QString error;
        const bool ok = m_write(batch, &error);
        std::lock_guard<std::mutex> lock(m_mutex);
        m_queue.pop_front();
        if (!ok) {
            m_failed = true;
            m_error = error;
            m_queue.clear();
        }
        m_changed.notify_all();
        if (!ok)
            return;
    }
}

} // namespace portcullis
