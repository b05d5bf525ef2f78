// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/activity.h"
#include "sim/payments.h"

#include <array>

namespace portcullis::sim {

namespace {

const Person &pickPerson(ActivityWriter &writer, const QList<int> &indexes)
{
    return writer.population().people[indexes[writer.random().below(indexes.size())]];
}

QString shopOf(ActivityWriter &writer)
{
    const auto &shops = writer.population().shops;
    return shops[writer.random().below(shops.size())].id;
}

Request get(const QString &path, qint64 bytes, int status = 200)
{
    Request request;
    request.path = path;
    request.bytes = bytes;
    request.status = status;
    return request;
}

// Logs in, with the person's honest typos first. Returns the session id.
QString signIn(ActivityWriter &writer, const Person &person, const Client &client)
{
    while (writer.random().chance(person.typoRate)) {
        writer.login(client, person.email, &person, false, QStringLiteral("invalid_password"));
        writer.pause(3, 15);
    }
    writer.login(client, person.email, &person, true);
    return writer.createSession(client, person);
}

void signOut(
    ActivityWriter &writer, const Person &person, const Client &client, const QString &session)
{
    if (writer.random().chance(0.6)) {
        writer.session(
            client, person, session, QStringLiteral("session_ended"), QStringLiteral("logout"));
    }
}

// Pays for a booking; a declined card is retried with the customer's other
// card or the same one, the way people do at a checkout.
void pay(
    ActivityWriter &writer, const Person &customer, const Client &client, const QString &shopId)
{
    const Population &population = writer.population();
    QString account;
    for (const Shop &shop : population.shops) {
        if (shop.id == shopId)
            account = population.people[shop.owner].connectedAccount;
    }

    ChargeInput input;
    input.customer = &customer;
    input.connectedAccount = account;
    input.amount = writer.random().between(25, 90) * 100;
    input.description = QStringLiteral("Booking at ") + shopId;
    for (int attempt = 0; attempt < 3; ++attempt) {
        input.card = customer.cards[attempt % customer.cards.size()];
        input.result = ChargeResult::Authorized;
        input.declineCode.clear();
        pickHonestResult(writer.random(), &input);
        const QJsonObject charge = makeCharge(writer.random(), writer.now(), input);
        const bool paid = input.result == ChargeResult::Authorized;
        writer.stripe(&client, &customer,
            paid ? QStringLiteral("charge.succeeded") : QStringLiteral("charge.failed"), charge,
            account);
        if (paid || !writer.random().chance(0.7))
            return;
        writer.pause(10, 60);
    }
}

void customerBooking(ActivityWriter &writer)
{
    const Person &customer = pickPerson(writer, writer.population().customers);
    const Client &client = customer.home;
    const QString session = signIn(writer, customer, client);
    const QString shop = shopOf(writer);
    writer.pause(2, 20);
    writer.request(client, &customer,
        get(QStringLiteral("/api/v2/shops/%1/availability").arg(shop),
            writer.random().between(2000, 9000)),
        session);
    writer.pause(5, 40);
    Request book = get(QStringLiteral("/api/v2/bookings"), 640, 201);
    book.method = QStringLiteral("POST");
    book.latencyMs = int(writer.random().between(60, 240));
    writer.request(client, &customer, book, session);
    writer.pause(3, 30);
    pay(writer, customer, client, shop);
    writer.pause(1, 5);
    writer.session(client, customer, session, QStringLiteral("session_refreshed"));
    signOut(writer, customer, client, session);
}

void appBrowse(ActivityWriter &writer)
{
    const Person &customer = pickPerson(writer, writer.population().customers);
    const Client client = customer.apiTokenId.isEmpty()
        ? writer.population().newClient(writer.random(), customer.home.city, true)
        : customer.home;
    const QString session
        = QStringLiteral("sess_") + QString::fromLatin1(writer.random().alnum(20));
    writer.session(client, customer, session, QStringLiteral("session_refreshed"));
    static const std::array<const char *, 5> paths { "/api/v2/appointments", "/api/v2/shops",
        "/api/v2/notifications", "/api/v2/profile", "/api/v2/barbers/favorites" };
    const int count = int(writer.random().between(2, 8));
    for (int i = 0; i < count; ++i) {
        Request request
            = get(QLatin1String(writer.random().pick(paths)), writer.random().between(300, 6000));
        request.latencyMs = int(writer.random().between(15, 180));
        if (writer.random().chance(0.01))
            request.status = 500;
        writer.request(client, &customer, request, session);
        writer.pause(1, 25);
    }
}

void anonymousBrowse(ActivityWriter &writer)
{
    const auto &home = homeCities();
    Client client = writer.population().newClient(
        writer.random(), home[writer.random().below(home.size())], false);
    if (writer.random().chance(0.1))
        client.userAgent = QStringLiteral("ExampleSearchBot/2.1 (+https://bot.example.com/info)");
    const int count = int(writer.random().between(1, 6));
    for (int i = 0; i < count; ++i) {
        Request request = writer.random().chance(0.5)
            ? get(QStringLiteral("/shops/") + shopOf(writer), writer.random().between(9000, 40000))
            : get(QStringLiteral("/"), 18250);
        if (writer.random().chance(0.02))
            request = get(QStringLiteral("/shops/closed-location"), 512, 404);
        writer.request(client, nullptr, request);
        writer.pause(2, 30);
    }
}

void barberSession(ActivityWriter &writer)
{
    const Person &barber = pickPerson(writer, writer.population().barbers);
    const QString session = signIn(writer, barber, barber.home);
    writer.pause(2, 10);
    writer.request(
        barber.home, &barber, get(QStringLiteral("/api/v2/barber/schedule"), 4200), session);
    writer.pause(30, 300);
    Request done = get(QStringLiteral("/api/v2/bookings/bk_%1/complete")
                           .arg(QString::fromLatin1(writer.random().alnum(10))),
        220);
    done.method = QStringLiteral("PATCH");
    writer.request(barber.home, &barber, done, session);
    if (writer.random().chance(0.03)) {
        const QString phone = QStringLiteral("+1-%1-555-01%2")
                                  .arg(writer.random().between(201, 989))
                                  .arg(writer.random().below(100), 2, 10, QLatin1Char('0'));
        writer.accountChange(
            barber.home, barber, barber, QStringLiteral("phone"), phone, barber.phone);
    }
    signOut(writer, barber, barber.home, session);
}

void passwordReset(ActivityWriter &writer)
{
    const Person &person = pickPerson(writer, writer.population().customers);
    writer.passwordReset(person.home, person, false);
    writer.pause(60, 900);
    writer.passwordReset(person.home, person, true);
    writer.pause(5, 30);
    const QString session = signIn(writer, person, person.home);
    signOut(writer, person, person.home, session);
}

void adminSession(ActivityWriter &writer)
{
    const Person &admin = pickPerson(writer, writer.population().admins);
    const QString session = signIn(writer, admin, admin.home);
    const Person &customer = pickPerson(writer, writer.population().customers);
    writer.pause(5, 60);
    writer.adminAction(admin.home, admin, QStringLiteral("view_customer"), customer.id);
    if (writer.random().chance(0.1)) {
        const Person &barber = pickPerson(writer, writer.population().barbers);
        writer.accountChange(admin.home, admin, barber, QStringLiteral("role"),
            QStringLiteral("shop_owner"), roleName(barber.role));
    }
    signOut(writer, admin, admin.home, session);
}

void accountUpdate(ActivityWriter &writer)
{
    const Person &person = pickPerson(writer, writer.population().customers);
    const QString session = signIn(writer, person, person.home);
    writer.pause(5, 40);
    if (writer.random().chance(0.5)) {
        const QString email = QStringLiteral("new.") + person.email;
        writer.accountChange(
            person.home, person, person, QStringLiteral("email"), email, person.email);
    } else {
        const QString phone = QStringLiteral("+1-%1-555-01%2")
                                  .arg(writer.random().between(201, 989))
                                  .arg(writer.random().below(100), 2, 10, QLatin1Char('0'));
        writer.accountChange(
            person.home, person, person, QStringLiteral("phone"), phone, person.phone);
    }
    signOut(writer, person, person.home, session);
}

QJsonObject pastCharge(ActivityWriter &writer, const Person &customer, QString *account)
{
    const Population &population = writer.population();
    const Shop &shop = population.shops[writer.random().below(population.shops.size())];
    *account = population.people[shop.owner].connectedAccount;
    ChargeInput input;
    input.customer = &customer;
    input.card = customer.cards.first();
    input.connectedAccount = *account;
    input.amount = writer.random().between(25, 90) * 100;
    input.description = QStringLiteral("Booking at ") + shop.id;
    return makeCharge(
        writer.random(), writer.now() - writer.random().between(1, 20) * 86400000, input);
}

void customerRefund(ActivityWriter &writer)
{
    const Person &customer = pickPerson(writer, writer.population().customers);
    const QString session = signIn(writer, customer, customer.home);
    Request cancel = get(QStringLiteral("/api/v2/bookings/bk_%1/cancel")
                             .arg(QString::fromLatin1(writer.random().alnum(10))),
        310);
    cancel.method = QStringLiteral("POST");
    writer.request(customer.home, &customer, cancel, session);
    QString account;
    const QJsonObject charge = pastCharge(writer, customer, &account);
    writer.pause(1, 4);
    writer.stripe(&customer.home, &customer, QStringLiteral("charge.refunded"),
        makeRefund(writer.random(), writer.now(), charge, QStringLiteral("requested_by_customer")),
        account);
}

void payoutRun(ActivityWriter &writer)
{
    const Population &population = writer.population();
    const Shop &shop = population.shops[writer.random().below(population.shops.size())];
    const Person &owner = population.people[shop.owner];
    const qint64 amount = writer.random().between(200, 2500) * 100;
    writer.stripe(nullptr, &owner, QStringLiteral("payout.created"),
        makePayout(writer.random(), writer.now(), amount, owner.payoutDestination,
            QStringLiteral("pending"), false),
        owner.connectedAccount);
    writer.pause(600, 3600);
    writer.stripe(nullptr, &owner, QStringLiteral("payout.paid"),
        makePayout(writer.random(), writer.now(), amount, owner.payoutDestination,
            QStringLiteral("paid"), false),
        owner.connectedAccount);
}

void disputeOrWarning(ActivityWriter &writer)
{
    const Person &customer = pickPerson(writer, writer.population().customers);
    QString account;
    const QJsonObject charge = pastCharge(writer, customer, &account);
    if (writer.random().chance(0.5)) {
        writer.stripe(nullptr, &customer, QStringLiteral("radar.early_fraud_warning.created"),
            makeEarlyFraudWarning(
                writer.random(), writer.now(), charge, QStringLiteral("unauthorized_use_of_card")),
            account);
    } else {
        writer.stripe(nullptr, &customer, QStringLiteral("charge.dispute.created"),
            makeDispute(
                writer.random(), writer.now(), charge, QStringLiteral("product_not_received")),
            account);
    }
}

} // namespace

void writeOrdinaryActivity(ActivityWriter &writer)
{
    struct Kind {
        int weight;
        void (*write)(ActivityWriter &);
    };
    // Weights in thousandths. Refunds come to about 5% of bookings, disputes
    // and early fraud warnings to about 1% of them.
    static const std::array<Kind, 10> mix { {
        { 290, customerBooking },
        { 250, appBrowse },
        { 180, anonymousBrowse },
        { 110, barberSession },
        { 30, passwordReset },
        { 40, adminSession },
        { 30, accountUpdate },
        { 15, customerRefund },
        { 2, payoutRun },
        { 3, disputeOrWarning },
    } };
    int total = 0;
    for (const Kind &kind : mix)
        total += kind.weight;
    qint64 roll = writer.random().below(total);
    for (const Kind &kind : mix) {
        if (roll < kind.weight) {
            kind.write(writer);
            return;
        }
        roll -= kind.weight;
    }
}

} // namespace portcullis::sim
