// SPDX-License-Identifier: GPL-3.0-or-later
// Shared set-up for the GUI tests: identities and generated alerts in a real store.
#pragma once

#include "detect/alert.h"
#include "security/identity.h"
#include "store/store.h"

#include <QtTest>

namespace portcullis::testing {

inline Identity analyst(const QString &name = QStringLiteral("alice"))
{
    Identity identity;
    identity.userId = 1;
    identity.userName = name;
    identity.roles = { Role::Analyst };
    return identity;
}

// Alert number i of a generated set: severities and event counts cycle with
// different periods, so every sort key orders the set differently.
inline Alert generatedAlert(int i)
{
    Alert alert;
    alert.key = QByteArray("test-") + QByteArray::number(i);
    alert.ruleId = i % 3 == 0 ? QStringLiteral("ssh-brute-force") : QStringLiteral("web-scan");
    alert.title = QStringLiteral("Generated alert %1").arg(i, 5, 10, QLatin1Char('0'));
    alert.severity = static_cast<Severity>(i % 5);
    alert.firstSeenMs = 1700000000000LL + qint64(i) * 60000;
    alert.lastSeenMs = alert.firstSeenMs + qint64(i % 7) * 1000;
    alert.eventCount = 5 + (i * 37) % 101;
    alert.entities.insert(
        QStringLiteral("source.ip"), { QStringLiteral("198.51.100.%1").arg(i % 250) });
    if (i % 4 == 0)
        alert.entities.insert(
            QStringLiteral("user.name"), { QStringLiteral("user%1").arg(i % 11) });
    alert.reason = QStringLiteral("Generated for the GUI tests (%1)").arg(i);
    return alert;
}

// Stores `count` generated alerts in one transaction.
inline bool insertGeneratedAlerts(Store &store, int count, QString *errorMessage)
{
    if (!store.database().begin(errorMessage))
        return false;
    for (int i = 0; i < count; ++i) {
        Alert alert = generatedAlert(i);
        if (!store.upsertAlert(alert, errorMessage)) {
            store.database().rollback();
            return false;
        }
    }
    return store.database().commit(errorMessage);
}

} // namespace portcullis::testing
