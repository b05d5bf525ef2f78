// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/activity.h"

#include <QJsonArray>

namespace portcullis::sim {

namespace {

void addEntity(AttackLabel &label, const char *kind, const QString &value)
{
    QJsonArray list = label.entities.value(QLatin1String(kind)).toArray();
    if (!list.contains(value))
        list.append(value);
    label.entities.insert(QLatin1String(kind), list);
}

Client attacker(ActivityWriter &writer, AttackLabel &label, const QString &agent)
{
    const QList<int> foreign = foreignCities();
    const Client client = writer.population().attackerClient(
        writer.random(), foreign[writer.random().below(foreign.size())], agent);
    addEntity(label, "ips", client.ip);
    return client;
}

} // namespace

void writeScrapingScenario(ActivityWriter &writer, AttackLabel &label)
{
    label.description = QStringLiteral("Sequential crawl of shop and barber pages by one client");
    const Client client
        = attacker(writer, label, QStringLiteral("Mozilla/5.0 (compatible; DataHarvester/3.2)"));
    writer.setIndependent(true);
    for (int id = 1000; id < 1400; ++id) {
        Request request;
        request.path = QStringLiteral("/api/v2/shops/%1/barbers").arg(id);
        const bool missing = writer.random().chance(0.15);
        request.status = missing ? 404 : 200;
        request.bytes = missing ? 96 : writer.random().between(1500, 5000);
        request.latencyMs = int(writer.random().between(20, 90));
        writer.request(client, nullptr, request);
        writer.advance(writer.random().between(200, 900));
    }
}

void writeApiAbuseScenario(ActivityWriter &writer, AttackLabel &label)
{
    label.description = QStringLiteral("A customer's API token used far above its normal rate");
    const auto &customers = writer.population().customers;
    Person victim;
    for (int index : customers) {
        if (!writer.population().people[index].apiTokenId.isEmpty()) {
            victim = writer.population().people[index];
            break;
        }
    }
    if (victim.id.isEmpty())
        victim = writer.population().people[customers.first()];
    if (victim.apiTokenId.isEmpty())
        victim.apiTokenId = QStringLiteral("tok_") + QString::fromLatin1(writer.random().alnum(14));
    Client client = attacker(writer, label, appUserAgent(writer.random()));
    client.deviceId = QStringLiteral("dev_") + QString::fromLatin1(writer.random().hex(16));
    addEntity(label, "users", victim.email);
    addEntity(label, "api_tokens", victim.apiTokenId);
    writer.setIndependent(true);
    for (int i = 0; i < 600; ++i) {
        Request request;
        request.path = QStringLiteral("/api/v2/availability");
        request.query = QStringLiteral("shop=%1&date=2026-12-%2")
                            .arg(writer.random().between(1, 400))
                            .arg(writer.random().between(1, 28), 2, 10, QLatin1Char('0'));
        request.status = i > 120 && writer.random().chance(0.6) ? 429 : 200;
        request.bytes = request.status == 200 ? writer.random().between(800, 3000) : 120;
        writer.request(client, &victim, request);
        writer.advance(writer.random().between(20, 150));
    }
}

void writeBulkExportScenario(ActivityWriter &writer, AttackLabel &label)
{
    label.description
        = QStringLiteral("An admin account exporting the whole customer list page by page");
    Person admin = writer.population().people[writer.population().admins.last()];
    const Client client = attacker(writer, label, browserUserAgent(writer.random()));
    addEntity(label, "users", admin.email);
    writer.login(client, admin.email, &admin, true);
    const QString session = writer.createSession(client, admin);
    writer.pause(5, 20);
    writer.adminAction(client, admin, QStringLiteral("export_customers"), QStringLiteral("all"));
    for (int page = 1; page <= 40; ++page) {
        Request request;
        request.path = QStringLiteral("/api/v2/admin/customers/export");
        request.query = QStringLiteral("page=%1&per_page=5000").arg(page);
        request.bytes = writer.random().between(4000000, 6000000);
        request.latencyMs = int(writer.random().between(900, 2500));
        writer.request(client, &admin, request, session);
        writer.pause(2, 6);
    }
}

void writeRequestFloodScenario(ActivityWriter &writer, AttackLabel &label)
{
    label.description
        = QStringLiteral("Request flood on the availability endpoint from a few addresses");
    QList<Client> clients;
    for (int i = 0; i < 5; ++i)
        clients.append(attacker(writer, label, QStringLiteral("Go-http-client/1.1")));
    writer.setIndependent(true);
    for (int i = 0; i < 3000; ++i) {
        Request request;
        request.path = QStringLiteral("/api/v2/shops/availability");
        request.status = i > 1500 && writer.random().chance(0.5) ? 503 : 200;
        request.bytes = request.status == 200 ? 2048 : 0;
        request.latencyMs
            = int(i > 1000 ? writer.random().between(400, 3000) : writer.random().between(30, 200));
        writer.request(clients[i % clients.size()], nullptr, request);
        writer.advance(writer.random().between(5, 35));
    }
}

} // namespace portcullis::sim
