// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers of the telemetry2 tests: a stand-in's options, a client's settings
// for loopback, and waiting on the event loop.
#pragma once

#include "ingest/backendclient.h"
#include "sim/simserver.h"
#include "store/database.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTest>

#include <functional>

namespace portcullis::telemetrytest {

constexpr qint64 StartMs = 1796396400000;  // 2026-12-04T15:00:00Z
constexpr int WaitMs = 60000;

inline sim::SimOptions simOptions(quint64 seed = 21)
{
    sim::SimOptions options;
    options.seed = seed;
    options.speed = 0;
    options.startTimeMs = StartMs;
    options.token = "telemetry2-test-token-0123456789";
    options.customers = 300;
    options.shops = 5;
    return options;
}

inline BackendSettings settingsFor(const QString &name, const QUrl &url, const QByteArray &token)
{
    BackendSettings settings;
    settings.name = name;
    settings.baseUrl = url;
    settings.token = token;
    settings.pollIntervalMs = 20;
    settings.requestTimeoutMs = 5000;
    settings.backoffBaseMs = 10;
    settings.backoffMaxMs = 100;
    settings.maxRetries = 5;
    settings.streamRetryMs = 20;
    settings.alertsIntervalMs = 200;
    return settings;
}

inline bool waitFor(const std::function<bool()> &done, int timeoutMs = WaitMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    }
    return true;
}

inline qint64 scalar(Database &db, const char *sql, const QString &parameter = QString())
{
    Statement statement = db.prepare(sql);
    if (!parameter.isNull())
        statement.bind(1, parameter);
    return statement.step() ? statement.columnInt64(0) : -1;
}

} // namespace portcullis::telemetrytest
