// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/payments.h"

#include <QJsonArray>

#include <array>

namespace portcullis::sim {

namespace {

QString stripeId(SimRandom &random, const char *prefix)
{
    return QLatin1String(prefix) + QString::fromLatin1(random.alnum(24));
}

QJsonObject outcomeFor(const ChargeInput &input)
{
    QJsonObject outcome { { QStringLiteral("risk_score"), input.riskScore } };
    const QString level = input.riskScore >= 75 ? QStringLiteral("highest")
        : input.riskScore >= 65                 ? QStringLiteral("elevated")
                                                : QStringLiteral("normal");
    outcome.insert(QStringLiteral("risk_level"), level);
    switch (input.result) {
    case ChargeResult::Authorized:
        outcome.insert(QStringLiteral("type"), QStringLiteral("authorized"));
        outcome.insert(QStringLiteral("network_status"), QStringLiteral("approved_by_network"));
        outcome.insert(QStringLiteral("reason"), QJsonValue::Null);
        outcome.insert(QStringLiteral("seller_message"), QStringLiteral("Payment complete."));
        break;
    case ChargeResult::IssuerDeclined:
        outcome.insert(QStringLiteral("type"), QStringLiteral("issuer_declined"));
        outcome.insert(QStringLiteral("network_status"), QStringLiteral("declined_by_network"));
        outcome.insert(QStringLiteral("reason"), input.declineCode);
        outcome.insert(QStringLiteral("seller_message"),
            QStringLiteral("The bank did not return any further details with this decline."));
        break;
    case ChargeResult::Blocked:
        outcome.insert(QStringLiteral("type"), QStringLiteral("blocked"));
        outcome.insert(QStringLiteral("network_status"), QStringLiteral("not_sent_to_network"));
        outcome.insert(QStringLiteral("reason"), QStringLiteral("highest_risk_level"));
        outcome.insert(QStringLiteral("seller_message"),
            QStringLiteral("Stripe blocked this payment as too risky."));
        break;
    }
    return outcome;
}

QString check(bool fails)
{
    return fails ? QStringLiteral("fail") : QStringLiteral("pass");
}

} // namespace

QJsonObject makeCharge(SimRandom &random, qint64 timeMs, const ChargeInput &input)
{
    const bool paid = input.result == ChargeResult::Authorized;
    const QJsonObject card {
        { QStringLiteral("brand"), input.card.brand },
        { QStringLiteral("network"), input.card.brand },
        { QStringLiteral("country"), input.card.country },
        { QStringLiteral("funding"), input.card.funding },
        { QStringLiteral("last4"), input.card.last4 },
        { QStringLiteral("exp_month"), input.card.expMonth },
        { QStringLiteral("exp_year"), input.card.expYear },
        { QStringLiteral("fingerprint"), input.card.fingerprint },
        { QStringLiteral("checks"),
            QJsonObject { { QStringLiteral("cvc_check"), check(input.cvcFails) },
                { QStringLiteral("address_postal_code_check"), check(input.postalFails) },
                { QStringLiteral("address_line1_check"), QStringLiteral("unchecked") } } },
    };
    QJsonObject charge {
        { QStringLiteral("id"), stripeId(random, "ch_") },
        { QStringLiteral("object"), QStringLiteral("charge") },
        { QStringLiteral("amount"), input.amount },
        { QStringLiteral("amount_captured"), paid ? input.amount : 0 },
        { QStringLiteral("amount_refunded"), 0 },
        { QStringLiteral("currency"), QStringLiteral("usd") },
        { QStringLiteral("created"), timeMs / 1000 },
        { QStringLiteral("status"), paid ? QStringLiteral("succeeded") : QStringLiteral("failed") },
        { QStringLiteral("paid"), paid },
        { QStringLiteral("captured"), paid },
        { QStringLiteral("refunded"), false },
        { QStringLiteral("disputed"), false },
        { QStringLiteral("payment_intent"), stripeId(random, "pi_") },
        { QStringLiteral("payment_method"), stripeId(random, "pm_") },
        { QStringLiteral("description"), input.description },
        { QStringLiteral("on_behalf_of"), input.connectedAccount },
        { QStringLiteral("transfer_data"),
            QJsonObject { { QStringLiteral("amount"), input.amount * 9 / 10 },
                { QStringLiteral("destination"), input.connectedAccount } } },
        { QStringLiteral("application_fee_amount"), input.amount / 10 },
        { QStringLiteral("outcome"), outcomeFor(input) },
        { QStringLiteral("payment_method_details"),
            QJsonObject { { QStringLiteral("type"), QStringLiteral("card") },
                { QStringLiteral("card"), card } } },
    };
    if (input.customer) {
        charge.insert(QStringLiteral("customer"), input.customer->stripeCustomer);
        charge.insert(QStringLiteral("receipt_email"), input.customer->email);
        charge.insert(QStringLiteral("billing_details"),
            QJsonObject { { QStringLiteral("email"), input.customer->email },
                { QStringLiteral("name"), input.customer->name } });
    } else {
        charge.insert(QStringLiteral("customer"), QJsonValue::Null);
    }
    if (!paid) {
        const QString code = input.result == ChargeResult::Blocked ? QStringLiteral("card_declined")
                                                                   : input.declineCode;
        charge.insert(QStringLiteral("failure_code"), code);
        charge.insert(QStringLiteral("failure_message"), QStringLiteral("Your card was declined."));
    }
    return charge;
}

QJsonObject makeRefund(
    SimRandom &random, qint64 timeMs, const QJsonObject &charge, const QString &reason)
{
    return QJsonObject {
        { QStringLiteral("id"), stripeId(random, "re_") },
        { QStringLiteral("object"), QStringLiteral("refund") },
        { QStringLiteral("amount"), charge.value(QStringLiteral("amount")) },
        { QStringLiteral("charge"), charge.value(QStringLiteral("id")) },
        { QStringLiteral("payment_intent"), charge.value(QStringLiteral("payment_intent")) },
        { QStringLiteral("currency"), QStringLiteral("usd") },
        { QStringLiteral("created"), timeMs / 1000 },
        { QStringLiteral("status"), QStringLiteral("succeeded") },
        { QStringLiteral("reason"), reason },
    };
}

QJsonObject makeDispute(
    SimRandom &random, qint64 timeMs, const QJsonObject &charge, const QString &reason)
{
    const QJsonObject card = charge.value(QStringLiteral("payment_method_details"))
                                 .toObject()
                                 .value(QStringLiteral("card"))
                                 .toObject();
    return QJsonObject {
        { QStringLiteral("id"), stripeId(random, "dp_") },
        { QStringLiteral("object"), QStringLiteral("dispute") },
        { QStringLiteral("amount"), charge.value(QStringLiteral("amount")) },
        { QStringLiteral("currency"), QStringLiteral("usd") },
        { QStringLiteral("charge"), charge.value(QStringLiteral("id")) },
        { QStringLiteral("payment_intent"), charge.value(QStringLiteral("payment_intent")) },
        { QStringLiteral("created"), timeMs / 1000 },
        { QStringLiteral("is_charge_refundable"), false },
        { QStringLiteral("reason"), reason },
        { QStringLiteral("status"), QStringLiteral("needs_response") },
        { QStringLiteral("payment_method_details"),
            QJsonObject { { QStringLiteral("type"), QStringLiteral("card") },
                { QStringLiteral("card"),
                    QJsonObject { { QStringLiteral("brand"), card.value(QStringLiteral("brand")) },
                        { QStringLiteral("case_type"), QStringLiteral("chargeback") },
                        { QStringLiteral("network_reason_code"),
                            reason == QLatin1String("fraudulent")
                                ? QStringLiteral("10.4")
                                : QStringLiteral("13.1") } } } } },
        { QStringLiteral("evidence_details"),
            QJsonObject { { QStringLiteral("due_by"), timeMs / 1000 + 7 * 86400 },
                { QStringLiteral("has_evidence"), false }, { QStringLiteral("past_due"), false },
                { QStringLiteral("submission_count"), 0 } } },
    };
}

QJsonObject makeEarlyFraudWarning(
    SimRandom &random, qint64 timeMs, const QJsonObject &charge, const QString &fraudType)
{
    return QJsonObject {
        { QStringLiteral("id"), stripeId(random, "issfr_") },
        { QStringLiteral("object"), QStringLiteral("radar.early_fraud_warning") },
        { QStringLiteral("actionable"), true },
        { QStringLiteral("charge"), charge.value(QStringLiteral("id")) },
        { QStringLiteral("payment_intent"), charge.value(QStringLiteral("payment_intent")) },
        { QStringLiteral("created"), timeMs / 1000 },
        { QStringLiteral("livemode"), false },
        { QStringLiteral("fraud_type"), fraudType },
    };
}

QJsonObject makePayout(SimRandom &random, qint64 timeMs, qint64 amount, const QString &destination,
    const QString &status, bool instant)
{
    return QJsonObject {
        { QStringLiteral("id"), stripeId(random, "po_") },
        { QStringLiteral("object"), QStringLiteral("payout") },
        { QStringLiteral("amount"), amount },
        { QStringLiteral("currency"), QStringLiteral("usd") },
        { QStringLiteral("status"), status },
        { QStringLiteral("method"),
            instant ? QStringLiteral("instant") : QStringLiteral("standard") },
        { QStringLiteral("automatic"), !instant },
        { QStringLiteral("destination"), destination },
        { QStringLiteral("created"), timeMs / 1000 },
        { QStringLiteral("arrival_date"), timeMs / 1000 + (instant ? 1800 : 2 * 86400) },
    };
}

QJsonObject makeExternalAccount(const QString &id, const QString &account, SimRandom &random)
{
    return QJsonObject {
        { QStringLiteral("id"), id },
        { QStringLiteral("object"), QStringLiteral("bank_account") },
        { QStringLiteral("account"), account },
        { QStringLiteral("country"), QStringLiteral("US") },
        { QStringLiteral("currency"), QStringLiteral("usd") },
        { QStringLiteral("last4"),
            QStringLiteral("%1").arg(random.below(10000), 4, 10, QLatin1Char('0')) },
        { QStringLiteral("routing_number"), QStringLiteral("110000000") },
        { QStringLiteral("status"), QStringLiteral("new") },
    };
}

void pickHonestResult(SimRandom &random, ChargeInput *input)
{
    static const std::array<const char *, 5> declines { "card_declined", "insufficient_funds",
        "expired_card", "incorrect_cvc", "do_not_honor" };
    input->riskScore = int(random.between(2, 45));
    const double roll = random.unit();
    if (roll < 0.003) {
        input->result = ChargeResult::Blocked;
        input->riskScore = int(random.between(76, 95));
    } else if (roll < 0.043) {
        input->result = ChargeResult::IssuerDeclined;
        input->declineCode = QLatin1String(random.pick(declines));
        input->cvcFails = input->declineCode == QLatin1String("incorrect_cvc");
    }
    input->postalFails = random.chance(0.01);
}

} // namespace portcullis::sim
