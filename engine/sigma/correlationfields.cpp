// SPDX-License-Identifier: GPL-3.0-or-later
#include "sigma/correlationfields.h"

#include "sigma/sigmafields.h"

#include <QHash>

namespace portcullis::sigma {

namespace {

using Getter = QString (*)(const Event &);

QString number(qint64 value, qint64 absent)
{
    return value == absent ? QString() : QString::number(value);
}

const QHash<QString, Getter> &getters()
{
    static const QHash<QString, Getter> table = {
        { QStringLiteral("source.ip"), [](const Event &e) { return e.sourceIp; } },
        { QStringLiteral("client.ip"), [](const Event &e) { return e.sourceIp; } },
        { QStringLiteral("source.port"), [](const Event &e) { return number(e.sourcePort, 0); } },
        { QStringLiteral("source.domain"), [](const Event &e) { return e.sourceDomain; } },
        { QStringLiteral("user.name"), [](const Event &e) { return e.userName; } },
        { QStringLiteral("host.name"), [](const Event &e) { return e.hostName; } },
        { QStringLiteral("process.name"), [](const Event &e) { return e.processName; } },
        { QStringLiteral("process.pid"), [](const Event &e) { return number(e.processPid, 0); } },
        { QStringLiteral("service.name"), [](const Event &e) { return e.serviceName; } },
        { QStringLiteral("event.action"), [](const Event &e) { return e.action; } },
        { QStringLiteral("event.outcome"), [](const Event &e) { return outcomeName(e.outcome); } },
        { QStringLiteral("event.category"),
            [](const Event &e) { return categoryName(e.category); } },
        { QStringLiteral("event.reason"), [](const Event &e) { return e.reason; } },
        { QStringLiteral("event.id"), [](const Event &e) { return QString::fromUtf8(e.id); } },
        { QStringLiteral("http.request.method"), [](const Event &e) { return e.httpMethod; } },
        { QStringLiteral("url.original"), [](const Event &e) { return e.urlOriginal; } },
        { QStringLiteral("http.response.status_code"),
            [](const Event &e) { return number(e.httpStatus, 0); } },
        { QStringLiteral("http.response.body.bytes"),
            [](const Event &e) { return number(e.httpBytes, -1); } },
        { QStringLiteral("http.request.referrer"), [](const Event &e) { return e.httpReferrer; } },
        { QStringLiteral("user_agent.original"), [](const Event &e) { return e.userAgent; } },
        { QStringLiteral("log.file.path"), [](const Event &e) { return e.filePath; } },
        { QStringLiteral("event.counts_as_attempt"),
            [](const Event &e) {
                return e.countsAsAttempt ? QStringLiteral("true") : QStringLiteral("false");
            } },
    };
    return table;
}

} // namespace

QString ecsFieldName(const QString &field)
{
    return mappedFieldName(field);
}

QString correlationFieldValue(const Event &event, const QString &field)
{
    const QString name = ecsFieldName(field);
    const auto getter = getters().constFind(name);
    if (getter != getters().constEnd())
        return (*getter)(event);
    const auto extra = event.extra.constFind(name);
    if (extra != event.extra.constEnd())
        return extra->toString();
    return QString();
}

} // namespace portcullis::sigma
