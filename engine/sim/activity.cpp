// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/activity.h"

#include "sim/ecsjson.h"

namespace portcullis::sim {

namespace {

const QString Module = QStringLiteral("bookedbarber");

QJsonValue text(const QString &value)
{
    return QJsonValue(value);
}

} // namespace

void putClient(QJsonObject &doc, const Client &client)
{
    const City &city = cities()[client.city];
    setPath(doc, u"source.ip", client.ip);
    setPath(doc, u"client.ip", client.ip);
    setPath(doc, u"source.geo.city_name", QLatin1String(city.name));
    setPath(doc, u"source.geo.country_iso_code", QLatin1String(city.countryIso));
    setPath(doc, u"source.geo.location",
        QJsonObject {
            { QStringLiteral("lat"), city.latitude }, { QStringLiteral("lon"), city.longitude } });
    setPath(doc, u"user_agent.original", client.userAgent);
    if (!client.forwardedFor.isEmpty())
        setPath(doc, u"bookedbarber.http.x_forwarded_for", client.forwardedFor);
    if (!client.deviceId.isEmpty())
        setPath(doc, u"bookedbarber.device.id", client.deviceId);
}

void putUser(QJsonObject &doc, const Person &person, const QString &prefix)
{
    setPath(doc, QString(prefix + QStringLiteral(".id")), person.id);
    setPath(doc, QString(prefix + QStringLiteral(".name")), person.email);
    setPath(doc, QString(prefix + QStringLiteral(".email")), person.email);
    setPath(doc, QString(prefix + QStringLiteral(".full_name")), person.name);
    setPath(doc, QString(prefix + QStringLiteral(".roles")), QJsonArray { roleName(person.role) });
}

ActivityWriter::ActivityWriter(Generator &generator, qint64 startMs, int label)
    : m_generator(generator)
    , m_activity(generator.newActivity())
    , m_label(label)
    , m_nowMs(startMs)
    , m_host(QStringLiteral("api-%1").arg(generator.random().between(1, 3)))
{
}

void ActivityWriter::pause(double minSeconds, double maxSeconds)
{
    const double seconds = minSeconds + random().unit() * (maxSeconds - minSeconds);
    advance(qint64(seconds * 1000.0));
}

QJsonObject ActivityWriter::base(
    const QString &dataset, const QString &category, const QString &action) const
{
    QJsonObject doc;
    setPath(doc, u"event.kind", QStringLiteral("event"));
    setPath(doc, u"event.module", Module);
    setPath(doc, u"event.dataset", QString(Module + QLatin1Char('.') + dataset));
    setPath(doc, u"event.category", category);
    setPath(doc, u"event.action", action);
    setPath(doc, u"service.name", QStringLiteral("bookedbarber-api"));
    setPath(doc, u"host.name", m_host);
    return doc;
}

void ActivityWriter::emitDocument(QJsonObject doc)
{
    SimEvent event;
    event.timeMs = m_nowMs;
    event.activity = m_activity;
    event.label = m_label;
    event.independent = m_independent;
    event.doc = std::move(doc);
    m_generator.schedule(std::move(event));
    advance(random().between(1, 40));
}

void ActivityWriter::request(
    const Client &client, const Person *person, const Request &request, const QString &sessionId)
{
    QJsonObject doc
        = base(QStringLiteral("access"), QStringLiteral("web"), QStringLiteral("http_request"));
    putClient(doc, client);
    if (person)
        putUser(doc, *person);
    setPath(doc, u"event.outcome",
        text(request.status >= 400 ? QStringLiteral("failure") : QStringLiteral("success")));
    setPath(doc, u"event.duration", qint64(request.latencyMs) * 1000000);
    setPath(doc, u"http.request.method", request.method);
    setPath(doc, u"http.response.status_code", request.status);
    setPath(doc, u"http.response.body.bytes", request.bytes);
    setPath(doc, u"url.path", request.path);
    setPath(doc, u"url.original",
        request.query.isEmpty() ? request.path
                                : QString(request.path + QLatin1Char('?') + request.query));
    if (!request.query.isEmpty())
        setPath(doc, u"url.query", request.query);
    if (person && !person->apiTokenId.isEmpty() && !client.deviceId.isEmpty())
        setPath(doc, u"bookedbarber.api_token.id", person->apiTokenId);
    if (!sessionId.isEmpty())
        setPath(doc, u"bookedbarber.session.id", sessionId);
    emitDocument(doc);
}

void ActivityWriter::login(const Client &client, const QString &userName, const Person *person,
    bool success, const QString &reason)
{
    QJsonObject doc = base(
        QStringLiteral("auth"), QStringLiteral("authentication"), QStringLiteral("user_login"));
    putClient(doc, client);
    if (person)
        putUser(doc, *person);
    else
        setPath(doc, u"user.name", userName);
    setPath(doc, u"event.outcome", success ? QStringLiteral("success") : QStringLiteral("failure"));
    if (!success)
        setPath(
            doc, u"event.reason", reason.isEmpty() ? QStringLiteral("invalid_password") : reason);
    setPath(doc, u"http.request.method", QStringLiteral("POST"));
    setPath(doc, u"url.path", QStringLiteral("/api/v2/auth/login"));
    setPath(doc, u"url.original", QStringLiteral("/api/v2/auth/login"));
    setPath(doc, u"http.response.status_code", success ? 200 : 401);
    setPath(doc, u"bookedbarber.mfa.enrolled", person && person->mfaEnabled);
    emitDocument(doc);
    if (success && person && person->mfaEnabled)
        mfa(client, *person, true);
}

void ActivityWriter::mfa(const Client &client, const Person &person, bool success)
{
    static const QStringList methods { QStringLiteral("totp"), QStringLiteral("sms"),
        QStringLiteral("webauthn") };
    const QString method = methods[int(person.id.size() + person.email.size()) % 3];
    QJsonObject challenge = base(
        QStringLiteral("auth"), QStringLiteral("authentication"), QStringLiteral("mfa_challenge"));
    putClient(challenge, client);
    putUser(challenge, person);
    setPath(challenge, u"bookedbarber.mfa.method", method);
    emitDocument(challenge);
    pause(4, 20);

    QJsonObject verify = base(
        QStringLiteral("auth"), QStringLiteral("authentication"), QStringLiteral("mfa_verify"));
    putClient(verify, client);
    putUser(verify, person);
    setPath(verify, u"bookedbarber.mfa.method", method);
    setPath(
        verify, u"event.outcome", success ? QStringLiteral("success") : QStringLiteral("failure"));
    if (!success)
        setPath(verify, u"event.reason", QStringLiteral("invalid_code"));
    emitDocument(verify);
}

QString ActivityWriter::createSession(const Client &client, const Person &person)
{
    const QString id = QStringLiteral("sess_") + QString::fromLatin1(random().alnum(20));
    session(client, person, id, QStringLiteral("session_created"));
    return id;
}

void ActivityWriter::session(const Client &client, const Person &person, const QString &sessionId,
    const QString &action, const QString &reason)
{
    QJsonObject doc = base(QStringLiteral("session"), QStringLiteral("session"), action);
    putClient(doc, client);
    putUser(doc, person);
    setPath(doc, u"bookedbarber.session.id", sessionId);
    setPath(doc, u"event.outcome", QStringLiteral("success"));
    if (!reason.isEmpty())
        setPath(doc, u"event.reason", reason);
    emitDocument(doc);
}

void ActivityWriter::passwordReset(const Client &client, const Person &person, bool completed)
{
    QJsonObject doc = base(QStringLiteral("auth"), QStringLiteral("authentication"),
        completed ? QStringLiteral("password_reset_completed")
                  : QStringLiteral("password_reset_requested"));
    putClient(doc, client);
    putUser(doc, person);
    setPath(doc, u"event.outcome", QStringLiteral("success"));
    emitDocument(doc);
}

void ActivityWriter::accountChange(const Client &client, const Person &actor, const Person &target,
    const QString &field, const QString &newValue, const QString &oldValue)
{
    const QString action = field == QLatin1String("payout_destination")
        ? QStringLiteral("payout_destination_changed")
        : QStringLiteral("user_%1_changed").arg(field);
    QJsonObject doc = base(QStringLiteral("iam"), QStringLiteral("iam"), action);
    putClient(doc, client);
    putUser(doc, actor);
    putUser(doc, target, QStringLiteral("user.target"));
    setPath(doc, u"event.outcome", QStringLiteral("success"));
    setPath(doc, QString(QStringLiteral("user.changes.") + field), newValue);
    setPath(doc, u"bookedbarber.change.field", field);
    setPath(doc, u"bookedbarber.change.previous", oldValue);
    emitDocument(doc);
}

void ActivityWriter::adminAction(
    const Client &client, const Person &admin, const QString &operation, const QString &targetId)
{
    QJsonObject doc
        = base(QStringLiteral("admin"), QStringLiteral("iam"), QStringLiteral("admin_action"));
    putClient(doc, client);
    putUser(doc, admin);
    setPath(doc, u"event.outcome", QStringLiteral("success"));
    setPath(doc, u"bookedbarber.admin.operation", operation);
    setPath(doc, u"bookedbarber.admin.target", targetId);
    emitDocument(doc);
}

void ActivityWriter::stripe(const Client *client, const Person *person, const QString &type,
    const QJsonObject &object, const QString &account, const QJsonObject &previousAttributes)
{
    QJsonObject doc = base(QStringLiteral("payments"), QStringLiteral("payment"), type);
    if (client)
        putClient(doc, *client);
    if (person)
        putUser(doc, *person);
    const QString status = object.value(QStringLiteral("status")).toString();
    const bool failed
        = type.endsWith(QLatin1String(".failed")) || status == QLatin1String("failed");
    setPath(doc, u"event.outcome", failed ? QStringLiteral("failure") : QStringLiteral("success"));

    QJsonObject envelope {
        { QStringLiteral("id"),
            QString(QStringLiteral("evt_") + QString::fromLatin1(random().alnum(24))) },
        { QStringLiteral("object"), QStringLiteral("event") },
        { QStringLiteral("type"), type },
        { QStringLiteral("created"), now() / 1000 },
        { QStringLiteral("livemode"), false },
        { QStringLiteral("api_version"), QStringLiteral("2026-07-29.dahlia") },
    };
    if (!account.isEmpty())
        envelope.insert(QStringLiteral("account"), account);
    QJsonObject data { { QStringLiteral("object"), object } };
    if (!previousAttributes.isEmpty())
        data.insert(QStringLiteral("previous_attributes"), previousAttributes);
    envelope.insert(QStringLiteral("data"), data);
    doc.insert(QStringLiteral("stripe"), envelope);
    emitDocument(doc);
}

} // namespace portcullis::sim
