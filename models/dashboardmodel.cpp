// SPDX-License-Identifier: GPL-3.0-or-later
#include "dashboardmodel.h"

#include "core/logging.h"
#include "store/database.h"

#include <QTimer>

namespace portcullis {

// Lives on the model's thread; opens its connection on first use there.
class DashboardWorker : public QObject {
    Q_OBJECT

public:
    explicit DashboardWorker(const QString &databasePath) : m_path(databasePath) {}

    void read(const portcullis::MetricsWindow &window)
    {
        DashboardMetrics metrics;
        QString error;
        if (!m_db.isOpen() && !m_db.open(m_path, &error)) {
            Q_EMIT ready(metrics, error);
            return;
        }
        if (!readDashboardMetrics(m_db, window, &metrics, &error))
            m_db.close(); // reopened on the next refresh
        Q_EMIT ready(metrics, error);
    }

Q_SIGNALS:
    void ready(const portcullis::DashboardMetrics &metrics, const QString &error);

private:
    QString m_path;
    Database m_db;
};

DashboardModel::DashboardModel(const QString &databasePath, QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<DashboardMetrics>();
    qRegisterMetaType<MetricsWindow>();
    qRegisterMetaType<BackendState>();

    m_thread.setObjectName(QStringLiteral("dashboard"));
    m_worker = new DashboardWorker(databasePath);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(this, &DashboardModel::requestMetrics, m_worker, &DashboardWorker::read);
    connect(m_worker, &DashboardWorker::ready, this, &DashboardModel::onMetrics);
    m_thread.start();

    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, &DashboardModel::refresh);
}

DashboardModel::~DashboardModel()
{
    m_thread.quit();
    m_thread.wait();
}

void DashboardModel::setRefreshInterval(int intervalMs)
{
    if (intervalMs <= 0) {
        m_timer->stop();
        return;
    }
    m_timer->start(intervalMs);
    refresh();
}

void DashboardModel::refresh()
{
    if (m_busy)
        return;
    m_busy = true;
    Q_EMIT requestMetrics(m_window);
}

void DashboardModel::onMetrics(const DashboardMetrics &metrics, const QString &error)
{
    m_busy = false;
    if (!error.isEmpty()) {
        m_lastError = error;
        qCWarning(lcStore) << "dashboard:" << error;
        Q_EMIT refreshFailed(error);
        return;
    }
    m_lastError.clear();
    m_metrics = metrics;
    m_hasMetrics = true;
    Q_EMIT updated();
}

void DashboardModel::setBackendState(const QString &name, const BackendState &state)
{
    BackendLiveState &live = m_live[name];
    const bool newFailure = !state.reason.isEmpty()
        && (state.reason != live.state.reason || state.kind != live.state.kind);
    if (newFailure) {
        ++live.errors;
        live.lastError = state.reason;
    }
    live.state = state;
    Q_EMIT liveStateChanged();
}

QList<QPointF> DashboardModel::eventRatePoints(int maxPoints) const
{
    QList<QPointF> points;
    if (!m_hasMetrics || m_metrics.newestEventMs <= 0)
        return points;

    const qint64 bucketMs = m_metrics.window.bucketMs;
    const double seconds = double(bucketMs) / 1000.0;
    for (int i = 0; i < m_metrics.eventCounts.size(); ++i) {
        const qint64 start = m_metrics.windowStartMs() + i * bucketMs;
        // The bucket of the newest event is still filling, and a plotted
        // partial bucket reads as a sudden drop in traffic.
        if (start + bucketMs > m_metrics.newestEventMs)
            break;
        // Empty buckets before the first stored event mean no data, not a rate of zero.
        if (points.isEmpty() && m_metrics.eventCounts.at(i) == 0)
            continue;
        points.append(QPointF(double(start), double(m_metrics.eventCounts.at(i)) / seconds));
    }
    return downsample(points, maxPoints);
}

qint64 DashboardModel::eventsInWindow() const
{
    qint64 total = 0;
    for (const qint64 count : m_metrics.eventCounts)
        total += count;
    return total;
}

qint64 DashboardModel::alertsInWindow() const
{
    qint64 total = 0;
    for (const auto &counts : m_metrics.alertCounts)
        for (const qint64 count : counts)
            total += count;
    return total;
}

QList<QPointF> downsample(const QList<QPointF> &points, int maxPoints)
{
    if (maxPoints <= 0 || points.size() <= maxPoints)
        return points;

    const int group = int((points.size() + maxPoints - 1) / maxPoints);
    QList<QPointF> result;
    result.reserve(points.size() / group + 1);
    for (qsizetype start = 0; start < points.size(); start += group) {
        const qsizetype end = std::min<qsizetype>(start + group, points.size());
        double y = 0;
        for (qsizetype i = start; i < end; ++i)
            y += points.at(i).y();
        result.append(QPointF(points.at(start).x(), y / double(end - start)));
    }
    return result;
}

} // namespace portcullis

#include "dashboardmodel.moc"
