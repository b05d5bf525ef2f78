// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace portcullis::sim {

// Faults the server injects on the /api/v2/security/ endpoints, each a
// probability per request (per event on the stream) between 0 and 1.
struct FaultOptions {
    double serverError = 0; // 500 or 503 instead of the response
    double slow = 0; // the response waits slowMs first
    int slowMs = 2000;
    double truncate = 0; // a 200 response whose JSON body is cut in half
    double drop = 0; // the connection closes without a response
    double expire = 0; // the log drops the events after the cursor: 410
    double duplicate = 0; // events already delivered are delivered again

    bool any() const;
    // Reads "5xx=0.05,slow=0.1:1500,truncate=0.02,drop=0.02,expire=0.001,duplicate=0.05"
    // or "all=P" (every fault at P). Returns false and sets `error` on a bad entry.
    static bool parse(const QString &spec, FaultOptions *faults, QString *error);
};

struct ScheduledScenario {
    QString name;
    qint64 offsetMs = 0; // simulated time after the start
};

struct SimOptions {
    quint16 port = 0; // 0 picks a free port
    QByteArray token; // bearer token; empty makes start() pick a random one
    quint64 seed = 1;
    double speed = 1.0; // simulated seconds per real second; 0 moves only on fastForward()
    qint64 startTimeMs = 0; // simulated start, UTC ms; 0 is the wall clock at start()
    QList<ScheduledScenario> scenarios;
    QString replayFile;
    FaultOptions faults;
    qint64 retentionEvents = 1000000; // 0 keeps every event
    qint64 retentionMs = 0; // simulated age; 0 keeps events of any age
    int shops = 20;
    int customers = 1500;
    int maxPageSize = 1000;
    int defaultPageSize = 100;
    // PEM certificate and unencrypted private key: both set serves HTTPS.
    QString tlsCertificateFile;
    QString tlsKeyFile;

    // Reads "brute_force@60,card_testing@2m,all" (offsets in simulated
    // seconds, or with an s, m or h suffix; "all" staggers every scenario 30
    // s apart from 20 s on). Returns false and sets `error` on a bad entry.
    static bool parseScenarios(
        const QString &spec, QList<ScheduledScenario> *scenarios, QString *error);
    // Reads a duration "90", "90s", "15m", "2h" into milliseconds.
    static bool parseDuration(QStringView text, qint64 *milliseconds);
};

} // namespace portcullis::sim
