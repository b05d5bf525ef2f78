// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"

#include <QHash>
#include <QJsonArray>
#include <QMap>
#include <QSet>
#include <QString>
#include <QVector>

namespace portcullis::bench {

// One labelled attack as GET /api/v2/sim/labels returns it.
struct Label {
    QString scenario;
    qint64 startMs = 0;
    QSet<QByteArray> eventIds;
};

// One alert with the event time at which the engine first returned it.
struct ScoredAlert {
    Alert alert;
    qint64 detectedAtMs = 0;
};

// Per-scenario and overall figures of one or more runs.
struct QualityScore {
    struct Scenario {
        int attacks = 0;
        int detected = 0;
        QVector<qint64> timeToDetectMs;
        QMap<QString, int> rules; // rule ids that detected it, by count
    };
    QMap<QString, Scenario> scenarios;
    qint64 benignEvents = 0;
    qint64 falseAlerts = 0;
    QMap<QString, int> falseAlertsByRule;
    QMap<QString, QStringList> falseAlertReasons; // the first few per rule, for tuning

    // Adds one run: an alert is true when one of its evidence events belongs
    // to a label, and it detects every label it shares an evidence event with.
    void addRun(const QVector<Label> &labels, const QVector<ScoredAlert> &alerts,
        qint64 totalEvents);
    // A Markdown table: scenario, attacks, detected, recall, median and
    // maximum time to detect, detecting rules; then the false alert rate.
    QString report() const;
};

QVector<Label> parseLabels(const QJsonArray &labels);

} // namespace portcullis::bench
