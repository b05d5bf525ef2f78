// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/backendclient.h"
#include "store/metricsqueries.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointF>
#include <QThread>

class QTimer;

namespace portcullis {

class DashboardWorker;

// Live state of one backend connection as the client reports it, kept beside
// the stored figures (which lag the client by at most one refresh).
struct BackendLiveState
{
    BackendState state;
    int errors = 0;                  // failures reported since the console started
    QString lastError;
};

// The figures behind the Dashboard view. Reads them on its own thread with
// its own database connection, on a timer, so the GUI thread never waits on
// SQLite; a refresh that comes while one is running is skipped. The series
// are kept here and handed to the charts whole (QXYSeries::replace), never
// appended point by point.
class DashboardModel : public QObject {
    Q_OBJECT

public:
    explicit DashboardModel(const QString &databasePath, QObject *parent = nullptr);
    ~DashboardModel() override;

    // Refreshes now and then every `intervalMs`; 0 stops the timer.
    void setRefreshInterval(int intervalMs);
    void setWindow(const MetricsWindow &window) { m_window = window; }

    const DashboardMetrics &metrics() const { return m_metrics; }
    bool hasMetrics() const { return m_hasMetrics; }
    QString lastError() const { return m_lastError; }

    // Events per second for each complete bucket from the first non-empty one,
    // at most `maxPoints` points (neighbouring buckets averaged). x is UTC ms.
    QList<QPointF> eventRatePoints(int maxPoints = 400) const;
    qint64 eventsInWindow() const;
    qint64 alertsInWindow() const;

    const QHash<QString, BackendLiveState> &liveStates() const { return m_live; }

public Q_SLOTS:
    void refresh();
    void setBackendState(const QString &name, const portcullis::BackendState &state);

Q_SIGNALS:
    void updated();
    void refreshFailed(const QString &message);
    void liveStateChanged();
    // Internal: requests new figures from the worker.
    void requestMetrics(const portcullis::MetricsWindow &window);

private:
    void onMetrics(const portcullis::DashboardMetrics &metrics, const QString &error);

    QThread m_thread;
    DashboardWorker *m_worker = nullptr;
    QTimer *m_timer = nullptr;
    MetricsWindow m_window;
    DashboardMetrics m_metrics;
    bool m_hasMetrics = false;
    bool m_busy = false;
    QString m_lastError;
    QHash<QString, BackendLiveState> m_live;
};

// Averages neighbouring points so that at most `maxPoints` remain (a plot
// cannot show more points than it has pixels).
QList<QPointF> downsample(const QList<QPointF> &points, int maxPoints);

} // namespace portcullis

Q_DECLARE_METATYPE(portcullis::MetricsWindow)
