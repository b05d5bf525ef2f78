// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Payment events in the shape the telemetry pipeline stores them (ECS with
// the Stripe envelope under `stripe.`), for the fraud tests.

#include "event/event.h"

#include <QVariantMap>

#include <vector>

namespace portcullis::test {

constexpr qint64 BaseMs = 1795000000000LL;
constexpr qint64 MinuteMs = 60000;

struct ChargeSpec
{
    QString id;
    qint64 cents = 4500;
    QString card;
    QString cardCountry = QStringLiteral("US");
    QString customer;  // user.id, empty for a guest
    QString account = QStringLiteral("acct_shop1");
    QString ip = QStringLiteral("198.51.100.7");
    QString ipCountry = QStringLiteral("US");
    bool paid = true;
};

inline Event paymentEvent(qint64 timeMs, const QString &action, const QVariantMap &fields,
                          const QString &ip = QString())
{
    static int counter = 0;
    Event event;
    event.timestampMs = timeMs;
    event.id = "evt-test-" + QByteArray::number(++counter);
    event.category = EventCategory::Payment;
    event.action = action;
    event.outcome = action.endsWith(QLatin1String(".failed")) ? EventOutcome::Failure
                                                              : EventOutcome::Success;
    event.sourceIp = ip;
    event.extra = fields;
    event.extra.insert(QStringLiteral("event.id"), QString::fromUtf8(event.id));
    return event;
}

inline Event charge(qint64 timeMs, const ChargeSpec &spec)
{
    const QString card = QStringLiteral("stripe.data.object.payment_method_details.card.");
    QVariantMap fields{
        {QStringLiteral("stripe.data.object.id"), spec.id},
        {QStringLiteral("stripe.data.object.amount"), spec.cents},
        {QStringLiteral("stripe.data.object.currency"), QStringLiteral("usd")},
        {QStringLiteral("stripe.data.object.status"),
         spec.paid ? QStringLiteral("succeeded") : QStringLiteral("failed")},
        {card + QStringLiteral("fingerprint"), spec.card},
        {card + QStringLiteral("country"), spec.cardCountry},
        {card + QStringLiteral("checks.cvc_check"), QStringLiteral("pass")},
        {QStringLiteral("stripe.account"), spec.account},
        {QStringLiteral("source.geo.country_iso_code"), spec.ipCountry},
    };
    if (!spec.customer.isEmpty()) {
        fields.insert(QStringLiteral("user.id"), spec.customer);
        fields.insert(QStringLiteral("stripe.data.object.customer"),
                      QString(QStringLiteral("cus_") + spec.customer));
    }
    if (!spec.paid)
        fields.insert(QStringLiteral("stripe.data.object.failure_code"), QStringLiteral("card_declined"));
    return paymentEvent(timeMs, spec.paid ? QStringLiteral("charge.succeeded")
                                          : QStringLiteral("charge.failed"),
                        fields, spec.ip);
}

// A refund, dispute or early fraud warning of a charge.
inline Event follow(qint64 timeMs, const QString &action, const ChargeSpec &spec,
                    const QString &reason)
{
    const bool warning = action == QLatin1String("radar.early_fraud_warning.created");
    QVariantMap fields{
        {QStringLiteral("stripe.data.object.id"), QString(QStringLiteral("x_") + spec.id)},
        {QStringLiteral("stripe.data.object.charge"), spec.id},
        {QStringLiteral("stripe.data.object.amount"), spec.cents},
        {QStringLiteral("stripe.account"), spec.account},
    };
    if (!spec.customer.isEmpty())
        fields.insert(QStringLiteral("user.id"), spec.customer);
    fields.insert(warning ? QStringLiteral("stripe.data.object.fraud_type")
                          : QStringLiteral("stripe.data.object.reason"),
                  reason);
    return paymentEvent(timeMs, action, fields);
}

inline Event payoutEvent(qint64 timeMs, const QString &action, const QString &account,
                         qint64 cents, const QString &method)
{
    return paymentEvent(timeMs, action,
                        {{QStringLiteral("stripe.data.object.id"), QStringLiteral("po_1")},
                         {QStringLiteral("stripe.data.object.amount"), cents},
                         {QStringLiteral("stripe.data.object.method"), method},
                         {QStringLiteral("stripe.account"), account}});
}

} // namespace portcullis::test
