// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"
#include "event/event.h"
#include "ingest/fileimporter.h"

#include <QString>
#include <QVector>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace portcullis {

// Contents of one import transaction: a batch's events, the alerts it
// changed, samples of its unparsed lines and where the file is read up to.
struct PendingBatch {
    std::vector<Event> events;
    QVector<Alert> changedAlerts;
    QVector<UnparsedLine> unparsed;
    qint64 endOffset = 0;     // committed offset once the batch is stored
    QByteArray resumeHash;    // fileResumeHash() at endOffset, see ImportRun::resumeHash
    // Non-empty: "PREFIX:OFFSET:", the ids of a line stored before it was
    // complete, whose events are deleted before the batch's events go in.
    QByteArray replacedLineIds;
    qint64 lines = 0;
    qint64 unparsedLines = 0;
    qint64 truncatedLines = 0;
    qint64 lastLineNumber = 0; // for error messages
    bool final = false;
};

// Writes batches on a thread of its own, so that SQLite work on one batch
// overlaps reading, parsing and detecting the next. At most `capacity`
// batches wait, which bounds memory. Batches are written in order; after a
// failed write the rest are dropped. Not part of the public API.
class BatchWriter {
public:
    using WriteFunction = std::function<bool(PendingBatch &, QString *)>;

    explicit BatchWriter(WriteFunction write, int capacity = 2);
    ~BatchWriter();
    BatchWriter(const BatchWriter &) = delete;
    BatchWriter &operator=(const BatchWriter &) = delete;

    // Queues `batch`, waiting while the queue is full. False when a write
    // failed already; finish() then gives the error.
    bool push(PendingBatch batch);

    // Waits until every queued batch is written and stops the thread.
    // False with `errorMessage` set when a write failed.
    bool finish(QString *errorMessage);

private:
    void run();

    WriteFunction m_write;
    int m_capacity;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<PendingBatch> m_queue;
    bool m_closing = false;
    bool m_failed = false;
    QString m_error;
    std::thread m_thread;
};

} // namespace portcullis
