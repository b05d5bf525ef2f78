// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/payments.h"

#include "sim/activity.h"

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

namespace {

void addEntity(AttackLabel &label, const char *kind, const QString &value)
{
    QJsonArray list = label.entities.value(QLatin1String(kind)).toArray();
    if (!list.contains(value))
        list.append(value);
    label.entities.insert(QLatin1String(kind), list);
}

const Person &pickPerson(ActivityWriter &writer, const QList<int> &indexes)
{
    return writer.population().people[indexes[writer.random().below(indexes.size())]];
}

// Emits a charge and returns it.
QJsonObject charge(ActivityWriter &writer, const Client *client, const Person *person,
    const ChargeInput &input)
{
    const QJsonObject object = makeCharge(writer.random(), writer.now(), input);
    const bool paid = input.result == ChargeResult::Authorized;
    writer.stripe(client, person,
        paid ? QStringLiteral("charge.succeeded") : QStringLiteral("charge.failed"), object,
        input.connectedAccount);
    return object;
}

QString accountOfShop(const Population &population, int shop)
{
    return population.people[population.shops[shop % population.shops.size()].owner]
        .connectedAccount;
}

// A regular customer books and pays, has two bookings refunded, then
// disputes two delivered bookings as not received.
void friendlyFraud(ActivityWriter &writer, AttackLabel &label)
{
    label.description = QStringLiteral(
        "A regular customer disputes delivered bookings after earlier refunds");
    // A customer of the scenario's own, so that ordinary bookings of a
    // population member do not dilute the history.
    Person person = pickPerson(writer, writer.population().customers);
    person.typoRate = 0;
    person.id = QStringLiteral("usr_") + QString::fromLatin1(writer.random().alnum(12));
    person.stripeCustomer = QStringLiteral("cus_") + QString::fromLatin1(writer.random().alnum(14));
    person.cards = { writer.population().newCard(writer.random(), QStringLiteral("US")) };
    addEntity(label, "users", person.id);
    addEntity(label, "cards", person.cards.first().fingerprint);
    const QString account = accountOfShop(writer.population(), 2);
    addEntity(label, "accounts", account);
    writer.setIndependent(true);
    QList<QJsonObject> paid;
    for (int i = 0; i < 5; ++i) {
        ChargeInput input;
        input.customer = &person;
        input.card = person.cards.first();
        input.amount = writer.random().between(35, 90) * 100;
        input.connectedAccount = account;
        input.description = QStringLiteral("Booking");
        paid.append(charge(writer, &person.home, &person, input));
        writer.pause(1800, 5400);
    }
    for (int i = 0; i < 2; ++i) {
        writer.stripe(&person.home, &person, QStringLiteral("charge.refunded"),
            makeRefund(writer.random(), writer.now(), paid[i],
                QStringLiteral("requested_by_customer")),
            account);
        writer.pause(600, 3600);
    }
    static const std::array<const char *, 2> reasons { "product_not_received", "unrecognized" };
    for (int i = 0; i < 2; ++i) {
        writer.pause(3 * 3600, 8 * 3600);
        writer.stripe(nullptr, &person, QStringLiteral("charge.dispute.created"),
            makeDispute(writer.random(), writer.now(), paid[2 + i],
                QLatin1String(reasons[size_t(i)])),
            account);
    }
}

// Stolen cards from one country used from an address in another.
void countryMismatch(ActivityWriter &writer, AttackLabel &label)
{
    label.description
        = QStringLiteral("Bookings paid with cards issued in another country than the address");
    const Population &population = writer.population();
    const QList<int> foreign = foreignCities();
    const Client client = population.attackerClient(writer.random(),
        foreign[writer.random().below(foreign.size())], browserUserAgent(writer.random()));
    addEntity(label, "ips", client.ip);
    const QString account = accountOfShop(population, 3);
    addEntity(label, "accounts", account);
    static const std::array<const char *, 3> countries { "US", "GB", "DE" };
    writer.setIndependent(true);
    const int cards = int(writer.random().between(3, 5));
    for (int c = 0; c < cards; ++c) {
        ChargeInput input;
        input.card = population.newCard(writer.random(), QLatin1String(writer.random().pick(countries)));
        input.connectedAccount = account;
        input.description = QStringLiteral("Booking");
        addEntity(label, "cards", input.card.fingerprint);
        for (int attempt = 0; attempt < 2; ++attempt) {
            input.amount = writer.random().between(80, 250) * 100;
            input.riskScore = int(writer.random().between(30, 70));
            input.result = writer.random().chance(0.35) ? ChargeResult::IssuerDeclined
                                                        : ChargeResult::Authorized;
            input.declineCode = QStringLiteral("do_not_honor");
            input.postalFails = writer.random().chance(0.5);
            charge(writer, &client, nullptr, input);
            if (input.result == ChargeResult::Authorized)
                break;
            writer.pause(20, 90);
        }
        writer.pause(300, 1800);
    }
}

// A barber books fake appointments at their own shop with stolen cards,
// refunds some of them to themselves and takes a payout; the card holders'
// banks send early fraud warnings.
void fakeBookings(ActivityWriter &writer, AttackLabel &label)
{
    label.description = QStringLiteral(
        "A barber books fake appointments paid with stolen cards, then refunds and cashes out");
    const Population &population = writer.population();
    const Shop &shop = population.shops[1 % population.shops.size()];
    const Person &owner = population.people[shop.owner];
    const QString account = owner.connectedAccount;
    addEntity(label, "accounts", account);
    addEntity(label, "users", owner.id);
    addEntity(label, "ips", owner.home.ip);
    static const std::array<const char *, 4> countries { "US", "US", "GB", "BR" };
    static const std::array<const char *, 3> declines { "card_declined", "do_not_honor",
        "stolen_card" };
    writer.setIndependent(true);
    QList<QJsonObject> paid;
    const int cards = int(writer.random().between(12, 18));
    for (int c = 0; c < cards; ++c) {
        ChargeInput input;
        input.card = population.newCard(writer.random(), QLatin1String(writer.random().pick(countries)));
        input.connectedAccount = account;
        input.description = QStringLiteral("Booking at ") + shop.id;
        addEntity(label, "cards", input.card.fingerprint);
        const int attempts = writer.random().chance(0.4) ? 2 : 1;
        for (int a = 0; a < attempts; ++a) {
            input.amount = writer.random().between(60, 160) * 100;
            input.riskScore = int(writer.random().between(20, 70));
            input.result = ChargeResult::Authorized;
            if (writer.random().chance(0.45)) {
                input.result = ChargeResult::IssuerDeclined;
                input.declineCode = QLatin1String(writer.random().pick(declines));
            }
            const QJsonObject object = charge(writer, &owner.home, nullptr, input);
            if (input.result == ChargeResult::Authorized)
                paid.append(object);
            writer.pause(120, 900);
        }
    }
    writer.pause(1800, 5400);
    for (int i = 0; i < paid.size(); ++i) {
        const bool refund = i % 3 == 0;
        if (refund) {
            writer.stripe(&owner.home, &owner, QStringLiteral("charge.refunded"),
                makeRefund(writer.random(), writer.now(), paid[i],
                    QStringLiteral("requested_by_customer")),
                account);
        } else if (i % 3 == 1) {
            writer.stripe(nullptr, nullptr, QStringLiteral("radar.early_fraud_warning.created"),
                makeEarlyFraudWarning(writer.random(), writer.now(), paid[i],
                    QStringLiteral("made_with_stolen_card")),
                account);
        }
        writer.pause(300, 1800);
    }
    const qint64 amount = writer.random().between(400, 1200) * 100;
    writer.stripe(nullptr, &owner, QStringLiteral("payout.created"),
        makePayout(writer.random(), writer.now(), amount, owner.payoutDestination,
            QStringLiteral("pending"), false),
        account);
}

} // namespace

QStringList fraudScenarioNames()
{
    return { QStringLiteral("friendly_fraud"), QStringLiteral("card_country_mismatch"),
        QStringLiteral("fake_bookings") };
}

bool writeFraudScenario(const QString &name, ActivityWriter &writer, AttackLabel &label)
{
    if (name == QLatin1String("friendly_fraud"))
        friendlyFraud(writer, label);
    else if (name == QLatin1String("card_country_mismatch"))
        countryMismatch(writer, label);
    else if (name == QLatin1String("fake_bookings"))
        fakeBookings(writer, label);
    else
        return false;
    return true;
}

int scheduleFraudScenario(Generator &generator, const QString &name, qint64 atMs)
{
    if (!fraudScenarioNames().contains(name))
        return -1;
    const int index = generator.addLabel(name, QString(), atMs);
    ActivityWriter writer(generator, atMs, index);
    writeFraudScenario(name, writer, generator.labels()[index]);
    return index;
}

} // namespace portcullis::sim
