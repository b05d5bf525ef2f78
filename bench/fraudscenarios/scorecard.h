// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Scores FraudAlertDetector on one seed of the backend stand-in: which
// scenario runs an alert of the expected rule caught and when, and which
// alerts touched no labelled event (false alerts).

#include "simfeed.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

namespace portcullis::bench {

struct Totals
{
    QHash<QString, int> runs;         // per scenario
    QHash<QString, int> caught;       // by the expected rule
    QHash<QString, int> anyAlert;     // by any fraud rule
    QHash<QString, int> falseAlerts;  // per rule
    // Minutes from a caught run's first event to the first alert of the
    // expected rule that names one of its events, per scenario.
    QHash<QString, std::vector<double>> detectMinutes;
    qint64 benignPayments = 0;
    qint64 fraudPayments = 0;
    qint64 benignFlagged = 0;  // benign payments the model sent to review or block
    qint64 fraudFlagged = 0;
    // With tracing on: one line per false alert and per missed run.
    QStringList trace;
};

// Runs one seed through a FraudAlertDetector (scoring payments with the model
// at `modelPath` when it is not empty) and adds its figures to `totals`.
void scoreSeed(quint64 seed, const FeedOptions &base, const QString &modelPath, bool trace,
               Totals *totals);

} // namespace portcullis::bench
