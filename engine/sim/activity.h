// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sim/generator.h"

#include <QJsonArray>
#include <QJsonObject>

namespace portcullis::sim {

// A web or API request as the backend logs it.
struct Request {
    QString method = QStringLiteral("GET");
    QString path;
    QString query; // without "?"
    int status = 200;
    qint64 bytes = 0;
    int latencyMs = 40;
};

// Writes the events of one activity (a customer's visit, one attack run) in
// time order: each call schedules an event at the writer's clock, and
// advance() moves the clock on.
class ActivityWriter {
public:
    ActivityWriter(Generator &generator, qint64 startMs, int label = -1);

    qint64 now() const { return m_nowMs; }
    void advance(qint64 milliseconds) { m_nowMs += qMax<qint64>(0, milliseconds); }
    // Moves the clock by a random human pause between `minSeconds` and `maxSeconds`.
    void pause(double minSeconds, double maxSeconds);
    void setIndependent(bool independent) { m_independent = independent; }
    SimRandom &random() { return m_generator.random(); }
    Generator &generator() { return m_generator; }
    const Population &population() const { return m_generator.population(); }

    // Web or API request by `person` (nullptr when anonymous).
    void request(const Client &client, const Person *person, const Request &request,
        const QString &sessionId = QString());
    // Login attempt; `userName` may name no account. The outcome and reason are
    // the generator's intent, which the server may override (blocked IP,
    // suspended account, enforced MFA).
    void login(const Client &client, const QString &userName, const Person *person, bool success,
        const QString &reason = QString());
    void mfa(const Client &client, const Person &person, bool success);
    QString createSession(const Client &client, const Person &person);
    void session(const Client &client, const Person &person, const QString &sessionId,
        const QString &action, const QString &reason = QString());
    void passwordReset(const Client &client, const Person &person, bool completed);
    // Account change of `target` made by `actor` (the same person for self-service).
    void accountChange(const Client &client, const Person &actor, const Person &target,
        const QString &field, const QString &newValue, const QString &oldValue);
    void adminAction(const Client &client, const Person &admin, const QString &operation,
        const QString &targetId);
    // Stripe event: `type` ("charge.succeeded"), `object` the Stripe object,
    // `account` the connected account for Connect events.
    void stripe(const Client *client, const Person *person, const QString &type,
        const QJsonObject &object, const QString &account = QString(),
        const QJsonObject &previousAttributes = QJsonObject());

    // The base of every event: kind, dataset, category, action, service, host.
    QJsonObject base(const QString &dataset, const QString &category, const QString &action) const;
    void emitDocument(QJsonObject doc);

private:
    Generator &m_generator;
    quint64 m_activity;
    int m_label;
    qint64 m_nowMs;
    bool m_independent = false;
    QString m_host;
};

void putClient(QJsonObject &doc, const Client &client);
void putUser(
    QJsonObject &doc, const Person &person, const QString &prefix = QStringLiteral("user"));

// Ordinary traffic: one activity of a kind picked by the daily mix.
void writeOrdinaryActivity(ActivityWriter &writer);

// Attack scenarios; each writes its events under the writer's label and fills
// the label's entities.
bool writeScenario(const QString &name, ActivityWriter &writer, AttackLabel &label);

} // namespace portcullis::sim
