// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/payment.h"

#include "event/event.h"

#include <QHashFunctions>

namespace portcullis::fraud {

namespace {

const QString ObjectPrefix = QStringLiteral("stripe.data.object.");
const QString CardPrefix = QStringLiteral("stripe.data.object.payment_method_details.card.");

QString field(const Event &event, const QString &name)
{
    const QVariant value = event.extra.value(name);
    return value.isNull() ? QString() : value.toString();
}

QString objectField(const Event &event, const char *name)
{
    return field(event, ObjectPrefix + QLatin1String(name));
}

QString cardField(const Event &event, const char *name)
{
    return field(event, CardPrefix + QLatin1String(name));
}

PaymentKind kindOfAction(const QString &action)
{
    static const QHash<QString, PaymentKind> kinds = {
        {QStringLiteral("charge.succeeded"), PaymentKind::Charge},
        {QStringLiteral("charge.failed"), PaymentKind::Charge},
        {QStringLiteral("payment_intent.payment_failed"), PaymentKind::PaymentFailure},
        {QStringLiteral("setup_intent.succeeded"), PaymentKind::SetupIntent},
        {QStringLiteral("setup_intent.created"), PaymentKind::SetupIntent},
        {QStringLiteral("setup_intent.setup_failed"), PaymentKind::SetupIntent},
        {QStringLiteral("charge.refunded"), PaymentKind::Refund},
        {QStringLiteral("refund.created"), PaymentKind::Refund},
        {QStringLiteral("charge.dispute.created"), PaymentKind::Dispute},
        {QStringLiteral("radar.early_fraud_warning.created"), PaymentKind::EarlyFraudWarning},
        {QStringLiteral("payout.created"), PaymentKind::Payout},
        {QStringLiteral("payout.paid"), PaymentKind::Payout},
        {QStringLiteral("account.external_account.created"), PaymentKind::DestinationChange},
        {QStringLiteral("account.external_account.updated"), PaymentKind::DestinationChange},
        {QStringLiteral("payout_destination_changed"), PaymentKind::DestinationChange},
    };
    return kinds.value(action, PaymentKind::Other);
}

void setEntity(PaymentRecord *record, EntityKind kind, const QString &text, QString *copy)
{
    record->entity[int(kind)] = entityKey(text);
    *copy = text;
}

// The connected account: the event's account, else the charge's on_behalf_of,
// else the transfer destination, else the account the iam change targets.
QString merchantOf(const Event &event)
{
    for (const char *name : {"stripe.account", "stripe.data.object.on_behalf_of",
             "stripe.data.object.transfer_data.destination", "stripe.data.object.account"}) {
        const QString value = field(event, QLatin1String(name));
        if (!value.isEmpty())
            return value;
    }
    return QString();
}

void readCharge(const Event &event, PaymentRecord *record)
{
    const QString currency = objectField(event, "currency").toLower();
    record->amount = objectField(event, "amount").toDouble() / 100.0;
    record->amountIsUsd = currency.isEmpty() || currency == QLatin1String("usd");
    record->cardCountry = cardField(event, "country");
    record->cvcCheck = cardCheckFromName(cardField(event, "checks.cvc_check"));
    record->postalCheck = cardCheckFromName(cardField(event, "checks.address_postal_code_check"));
    if (record->kind == PaymentKind::Charge)
        record->succeeded = objectField(event, "status") == QLatin1String("succeeded");
    else if (record->kind == PaymentKind::PaymentFailure)
        record->succeeded = false;
    record->reason = objectField(event, "failure_code");
    setEntity(record, EntityKind::Card, cardField(event, "fingerprint"), &record->cardFingerprint);
}

} // namespace

quint64 entityKey(QStringView text)
{
    if (text.isEmpty())
        return 0;
    const quint64 key = qHash(text, size_t(0x5f3759df));
    return key == 0 ? 1 : key;
}

CardCheck cardCheckFromName(QStringView name)
{
    if (name == u"pass")
        return CardCheck::Pass;
    if (name == u"fail")
        return CardCheck::Fail;
    if (name == u"unavailable")
        return CardCheck::Unavailable;
    if (name == u"unchecked")
        return CardCheck::Unchecked;
    return CardCheck::Missing;
}

QString cardCheckName(CardCheck check)
{
    switch (check) {
    case CardCheck::Pass: return QStringLiteral("pass");
    case CardCheck::Fail: return QStringLiteral("fail");
    case CardCheck::Unavailable: return QStringLiteral("unavailable");
    case CardCheck::Unchecked: return QStringLiteral("unchecked");
    case CardCheck::Missing: break;
    }
    return QString();
}

bool paymentFromEvent(const Event &event, PaymentRecord *record)
{
    const PaymentKind kind = kindOfAction(event.action);
    if (kind == PaymentKind::Other)
        return false;
    if (event.category != EventCategory::Payment && kind != PaymentKind::DestinationChange)
        return false;

    *record = PaymentRecord();
    record->kind = kind;
    record->timeMs = event.timestampMs;
    record->eventId = event.id;
    record->succeeded = event.outcome != EventOutcome::Failure;
    record->id = objectField(event, "id").toUtf8();
    record->ipCountry = field(event, QStringLiteral("source.geo.country_iso_code"));
    setEntity(record, EntityKind::Ip, event.sourceIp, &record->ipAddress);
    setEntity(record, EntityKind::Device, field(event, QStringLiteral("bookedbarber.device.id")),
        &record->deviceId);
    setEntity(record, EntityKind::Merchant, merchantOf(event), &record->merchantId);

    QString customer = objectField(event, "customer");
    if (customer.isEmpty() && kind == PaymentKind::DestinationChange)
        customer = field(event, QStringLiteral("user.target.id"));
    if (customer.isEmpty())
        customer = field(event, QStringLiteral("user.id"));
    setEntity(record, EntityKind::Customer, customer, &record->customerId);
    QString email = field(event, QStringLiteral("user.email"));
    if (email.isEmpty())
        email = objectField(event, "billing_details.email");
    if (email.isEmpty())
        email = objectField(event, "receipt_email");
    setEntity(record, EntityKind::Email, email.toLower(), &record->email);

    switch (kind) {
    case PaymentKind::Charge:
    case PaymentKind::PaymentFailure:
    case PaymentKind::SetupIntent:
        readCharge(event, record);
        break;
    case PaymentKind::Refund:
    case PaymentKind::Dispute:
    case PaymentKind::EarlyFraudWarning:
        record->chargeId = objectField(event, "charge").toUtf8();
        if (record->chargeId.isEmpty() && record->id.startsWith("ch_"))
            record->chargeId = record->id;  // charge.refunded carrying the charge itself
        record->amount = objectField(event, "amount").toDouble() / 100.0;
        record->reason = objectField(event, kind == PaymentKind::EarlyFraudWarning ? "fraud_type"
                                                                                   : "reason");
        break;
    case PaymentKind::Payout:
        record->amount = objectField(event, "amount").toDouble() / 100.0;
        record->reason = objectField(event, "method");
        break;
    case PaymentKind::DestinationChange:
    case PaymentKind::Other:
        break;
    }
    return true;
}

} // namespace portcullis::fraud
