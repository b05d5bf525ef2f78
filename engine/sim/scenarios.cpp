// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/activity.h"
#include "sim/payments.h"

#include <QJsonArray>

#include <array>

namespace portcullis::sim {

namespace {

const QString ScriptAgent = QStringLiteral("python-requests/2.31.0");

void addEntity(AttackLabel &label, const char *kind, const QString &value)
{
    QJsonArray list = label.entities.value(QLatin1String(kind)).toArray();
    if (!list.contains(value))
        list.append(value);
    label.entities.insert(QLatin1String(kind), list);
}

int foreignCity(ActivityWriter &writer)
{
    const QList<int> foreign = foreignCities();
    return foreign[writer.random().below(foreign.size())];
}

const Person &pick(ActivityWriter &writer, const QList<int> &indexes)
{
    return writer.population().people[indexes[writer.random().below(indexes.size())]];
}

Client attacker(ActivityWriter &writer, AttackLabel &label, const QString &agent)
{
    const Client client
        = writer.population().attackerClient(writer.random(), foreignCity(writer), agent);
    addEntity(label, "ips", client.ip);
    return client;
}

void bruteForce(ActivityWriter &writer, AttackLabel &label)
{
    const Person &target = pick(writer, writer.population().barbers);
    const Client client = attacker(writer, label, ScriptAgent);
    addEntity(label, "users", target.email);
    label.description = QStringLiteral("Password guessing against one account from one address");
    writer.setIndependent(true);
    const int attempts = int(writer.random().between(40, 80));
    for (int i = 0; i < attempts; ++i) {
        writer.login(client, target.email, &target, false, QStringLiteral("invalid_password"));
        writer.pause(0.5, 3);
    }
}

void credentialStuffing(ActivityWriter &writer, AttackLabel &label)
{
    label.description
        = QStringLiteral("Leaked username and password pairs tried from rotating addresses");
    QList<Client> clients;
    for (int i = 0; i < 3; ++i)
        clients.append(attacker(writer, label, browserUserAgent(writer.random())));
    writer.setIndependent(true);
    const auto &customers = writer.population().customers;
    for (int i = 0; i < 150; ++i) {
        const Client &client = clients[i % clients.size()];
        if (writer.random().chance(0.7)) {
            const QString name
                = QStringLiteral("user%1@example.net").arg(writer.random().between(1000, 99999));
            writer.login(client, name, nullptr, false, QStringLiteral("unknown_user"));
        } else {
            const Person &person
                = writer.population().people[customers[writer.random().below(customers.size())]];
            writer.login(client, person.email, &person, false, QStringLiteral("invalid_password"));
        }
        writer.pause(0.2, 2);
    }
    writer.setIndependent(false);
    Person victim = pick(writer, customers);
    victim.mfaEnabled = false;
    addEntity(label, "users", victim.email);
    writer.login(clients.first(), victim.email, &victim, true);
    writer.createSession(clients.first(), victim);
}

void passwordSpraying(ActivityWriter &writer, AttackLabel &label)
{
    label.description = QStringLiteral("One common password tried once against many accounts");
    const Client client = attacker(writer, label, ScriptAgent);
    writer.setIndependent(true);
    QList<int> people = writer.population().customers.mid(0, 60);
    people += writer.population().barbers;
    for (int index : people) {
        const Person &person = writer.population().people[index];
        addEntity(label, "users", person.email);
        writer.login(client, person.email, &person, false, QStringLiteral("invalid_password"));
        writer.pause(8, 30);
    }
}

void accountTakeover(ActivityWriter &writer, AttackLabel &label)
{
    label.description = QStringLiteral(
        "Stuffing success on a shop owner, email and payout destination changed, instant payout");
    const Population &population = writer.population();
    Person victim
        = population.people[population.shops[writer.random().below(population.shops.size())].owner];
    victim.mfaEnabled = false;
    const Client client = attacker(writer, label, browserUserAgent(writer.random()));
    addEntity(label, "users", victim.email);
    addEntity(label, "accounts", victim.connectedAccount);
    for (int i = 0; i < 4; ++i) {
        writer.setIndependent(true);
        writer.login(client, victim.email, &victim, false, QStringLiteral("invalid_password"));
        writer.pause(1, 6);
    }
    writer.setIndependent(false);
    writer.login(client, victim.email, &victim, true);
    const QString session = writer.createSession(client, victim);
    writer.pause(20, 90);
    const QString email = QStringLiteral("payout.help.desk@example.org");
    writer.accountChange(client, victim, victim, QStringLiteral("email"), email, victim.email);
    writer.pause(30, 120);

    const QString bank = QStringLiteral("ba_") + QString::fromLatin1(writer.random().alnum(24));
    writer.accountChange(client, victim, victim, QStringLiteral("payout_destination"), bank,
        victim.payoutDestination);
    writer.stripe(&client, &victim, QStringLiteral("account.external_account.created"),
        makeExternalAccount(bank, victim.connectedAccount, writer.random()),
        victim.connectedAccount);
    writer.pause(60, 240);
    const qint64 amount = writer.random().between(1500, 6000) * 100;
    writer.stripe(&client, &victim, QStringLiteral("payout.created"),
        makePayout(writer.random(), writer.now(), amount, bank, QStringLiteral("pending"), true),
        victim.connectedAccount);
    writer.pause(60, 600);
    writer.stripe(nullptr, &victim, QStringLiteral("payout.paid"),
        makePayout(writer.random(), writer.now(), amount, bank, QStringLiteral("paid"), true),
        victim.connectedAccount);
    writer.session(
        client, victim, session, QStringLiteral("session_ended"), QStringLiteral("logout"));
}

void impossibleTravel(ActivityWriter &writer, AttackLabel &label)
{
    label.description
        = QStringLiteral("Two logins of one account from places too far apart in the time between");
    Person person = pick(writer, writer.population().customers);
    person.typoRate = 0;
    addEntity(label, "users", person.email);
    addEntity(label, "ips", person.home.ip);
    writer.login(person.home, person.email, &person, true);
    writer.createSession(person.home, person);
    writer.pause(600, 1500);
    const Client far = attacker(writer, label, browserUserAgent(writer.random()));
    writer.login(far, person.email, &person, true);
    writer.createSession(far, person);
}

void sessionHijack(ActivityWriter &writer, AttackLabel &label)
{
    label.description = QStringLiteral("A session id reused from another address and user agent");
    const Person &person = pick(writer, writer.population().customers);
    addEntity(label, "users", person.email);
    writer.login(person.home, person.email, &person, true);
    const QString session = writer.createSession(person.home, person);
    Request profile;
    profile.path = QStringLiteral("/api/v2/profile");
    profile.bytes = 1800;
    writer.request(person.home, &person, profile, session);
    writer.pause(120, 400);

    const Client thief = attacker(writer, label, QStringLiteral("curl/8.4.0"));
    label.entities.insert(QStringLiteral("sessions"), QJsonArray { session });
    writer.setIndependent(true);
    writer.session(thief, person, session, QStringLiteral("session_refreshed"));
    writer.request(thief, &person, profile, session);
    Request change = profile;
    change.method = QStringLiteral("PATCH");
    writer.request(thief, &person, change, session);
    Request cards = profile;
    cards.path = QStringLiteral("/api/v2/payment-methods");
    writer.request(thief, &person, cards, session);
}

void cardTesting(ActivityWriter &writer, AttackLabel &label)
{
    label.description = QStringLiteral("Many small charges with different cards from one address");
    static const std::array<const char *, 4> countries { "BR", "NG", "ID", "US" };
    static const std::array<const char *, 4> declines { "card_declined", "incorrect_cvc",
        "expired_card", "do_not_honor" };
    const Client client = attacker(writer, label, browserUserAgent(writer.random()));
    const Population &population = writer.population();
    const QString account = population.people[population.shops.first().owner].connectedAccount;
    addEntity(label, "accounts", account);
    writer.setIndependent(true);
    QJsonObject lastPaid;
    for (int i = 0; i < 60; ++i) {
        ChargeInput input;
        input.card
            = population.newCard(writer.random(), QLatin1String(writer.random().pick(countries)));
        input.amount = writer.random().between(100, 300);
        input.connectedAccount = account;
        input.description = QStringLiteral("Gift card");
        input.riskScore = int(writer.random().between(40, 90));
        if (input.riskScore >= 80) {
            input.result = ChargeResult::Blocked;
        } else if (writer.random().chance(0.85)) {
            input.result = ChargeResult::IssuerDeclined;
            input.declineCode = QLatin1String(writer.random().pick(declines));
            input.cvcFails = input.declineCode == QLatin1String("incorrect_cvc")
                || writer.random().chance(0.3);
        }
        addEntity(label, "cards", input.card.fingerprint);
        const QJsonObject charge = makeCharge(writer.random(), writer.now(), input);
        const bool paid = input.result == ChargeResult::Authorized;
        if (paid)
            lastPaid = charge;
        writer.stripe(&client, nullptr,
            paid ? QStringLiteral("charge.succeeded") : QStringLiteral("charge.failed"), charge,
            account);
        writer.pause(1, 8);
    }
    if (!lastPaid.isEmpty()) {
        writer.pause(3600, 7200);
        writer.stripe(nullptr, nullptr, QStringLiteral("radar.early_fraud_warning.created"),
            makeEarlyFraudWarning(
                writer.random(), writer.now(), lastPaid, QStringLiteral("made_with_stolen_card")),
            account);
    }
}

void refundAbuse(ActivityWriter &writer, AttackLabel &label)
{
    label.description = QStringLiteral("Repeated paid bookings each refunded, then a dispute");
    Person person = pick(writer, writer.population().customers);
    person.typoRate = 0;
    addEntity(label, "users", person.email);
    addEntity(label, "cards", person.cards.first().fingerprint);
    const Population &population = writer.population();
    const QString account = population.people[population.shops.first().owner].connectedAccount;
    writer.setIndependent(true);
    for (int i = 0; i < 7; ++i) {
        ChargeInput input;
        input.customer = &person;
        input.card = person.cards.first();
        input.amount = writer.random().between(40, 90) * 100;
        input.connectedAccount = account;
        input.description = QStringLiteral("Booking");
        const QJsonObject charge = makeCharge(writer.random(), writer.now(), input);
        writer.stripe(&person.home, &person, QStringLiteral("charge.succeeded"), charge, account);
        writer.pause(300, 1200);
        const bool dispute = i == 6;
        writer.stripe(&person.home, &person,
            dispute ? QStringLiteral("charge.dispute.created") : QStringLiteral("charge.refunded"),
            dispute ? makeDispute(
                writer.random(), writer.now(), charge, QStringLiteral("product_not_received"))
                    : makeRefund(writer.random(), writer.now(), charge,
                        QStringLiteral("requested_by_customer")),
            account);
        writer.pause(120, 600);
    }
}

void deviceRotation(ActivityWriter &writer, AttackLabel &label)
{
    label.description = QStringLiteral(
        "An emulator farm signing in to one account with a new device id and app build each time");
    Person victim = pick(writer, writer.population().customers);
    victim.typoRate = 0;
    victim.mfaEnabled = false;
    addEntity(label, "users", victim.email);
    QList<Client> clients;
    for (int i = 0; i < 3; ++i)
        clients.append(attacker(writer, label, appUserAgent(writer.random())));
    writer.setIndependent(true);
    const int devices = int(writer.random().between(20, 30));
    for (int i = 0; i < devices; ++i) {
        Client client = clients[i % clients.size()];
        client.deviceId = QStringLiteral("dev_") + QString::fromLatin1(writer.random().hex(16));
        client.userAgent = QStringLiteral("BookedBarber/4.%1.%2 (Android %3; SM-A%4B)")
                               .arg(writer.random().between(0, 2))
                               .arg(writer.random().between(0, 9))
                               .arg(writer.random().between(11, 14))
                               .arg(writer.random().between(100, 999));
        writer.login(client, victim.email, &victim, true);
        Request profile;
        profile.path = QStringLiteral("/api/v2/profile");
        profile.bytes = writer.random().between(1500, 2500);
        writer.request(client, &victim, profile);
        writer.pause(5, 30);
    }
}

} // namespace

void writeScrapingScenario(ActivityWriter &writer, AttackLabel &label);
void writeApiAbuseScenario(ActivityWriter &writer, AttackLabel &label);
void writeBulkExportScenario(ActivityWriter &writer, AttackLabel &label);
void writeRequestFloodScenario(ActivityWriter &writer, AttackLabel &label);

QStringList scenarioNames()
{
    return QStringList { QStringLiteral("brute_force"), QStringLiteral("credential_stuffing"),
        QStringLiteral("password_spraying"), QStringLiteral("account_takeover"),
        QStringLiteral("impossible_travel"), QStringLiteral("session_hijack"),
        QStringLiteral("card_testing"), QStringLiteral("refund_abuse"), QStringLiteral("scraping"),
        QStringLiteral("api_abuse"), QStringLiteral("bulk_data_export"),
        QStringLiteral("request_flood"), QStringLiteral("device_rotation") }
        + fraudScenarioNames();
}

bool writeScenario(const QString &name, ActivityWriter &writer, AttackLabel &label)
{
    using Writer = void (*)(ActivityWriter &, AttackLabel &);
    static const QList<QPair<QString, Writer>> table {
        { QStringLiteral("brute_force"), bruteForce },
        { QStringLiteral("credential_stuffing"), credentialStuffing },
        { QStringLiteral("password_spraying"), passwordSpraying },
        { QStringLiteral("account_takeover"), accountTakeover },
        { QStringLiteral("impossible_travel"), impossibleTravel },
        { QStringLiteral("session_hijack"), sessionHijack },
        { QStringLiteral("card_testing"), cardTesting },
        { QStringLiteral("refund_abuse"), refundAbuse },
        { QStringLiteral("scraping"), writeScrapingScenario },
        { QStringLiteral("api_abuse"), writeApiAbuseScenario },
        { QStringLiteral("bulk_data_export"), writeBulkExportScenario },
        { QStringLiteral("request_flood"), writeRequestFloodScenario },
        { QStringLiteral("device_rotation"), deviceRotation },
    };
    for (const auto &entry : table) {
        if (entry.first == name) {
            entry.second(writer, label);
            return true;
        }
    }
    return writeFraudScenario(name, writer, label);
}

} // namespace portcullis::sim
