// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Builders shared by the Sigma tests: events from ECS field maps and rule
// sets from YAML text.

#include "sigma/sigmarule.h"

#include <QVariantMap>
#include <QVector>

namespace portcullis::sigma::test {

// A web server event whose fields come from `fields`, keyed by ECS name;
// names that are not Event members go to Event::extra.
inline Event webEvent(const QVariantMap &fields)
{
    Event event;
    event.category = EventCategory::Web;
    event.action = QString::fromLatin1(actions::HttpRequest);
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const QString &key = it.key();
        const QVariant &value = it.value();
        if (key == QLatin1String("source.ip"))
            event.sourceIp = value.toString();
        else if (key == QLatin1String("user.name")) {
            event.userName = value.toString();
            event.hasUserName = true;
        } else if (key == QLatin1String("http.request.method"))
            event.httpMethod = value.toString();
        else if (key == QLatin1String("url.original"))
            event.urlOriginal = value.toString();
        else if (key == QLatin1String("http.response.status_code"))
            event.httpStatus = value.toInt();
        else if (key == QLatin1String("http.response.body.bytes"))
            event.httpBytes = value.toLongLong();
        else if (key == QLatin1String("user_agent.original"))
            event.userAgent = value.toString();
        else if (key == QLatin1String("http.request.referrer"))
            event.httpReferrer = value.toString();
        else if (key == QLatin1String("event.original"))
            event.original = value.toString();
        else if (key == QLatin1String("@timestamp"))
            event.timestampMs = value.toLongLong();
        else
            event.extra.insert(key, value);
    }
    return event;
}

// Loads and compiles `yaml`; problems go to `issues` for the caller to check.
inline RuleSet ruleSetFromText(const QByteArray &yaml, QVector<LoadIssue> *issues,
                               const QHash<QString, QStringList> &placeholders = {})
{
    RuleSet rules;
    rules.setPlaceholders(placeholders);
    rules.loadText(yaml, QStringLiteral("test.yml"), issues);
    rules.compile(issues);
    return rules;
}

// A webserver rule with `detection` (already indented by four spaces).
inline QByteArray webRule(const QByteArray &detection)
{
    return "title: Test rule\nid: 11111111-2222-3333-4444-555555555555\n"
           "logsource:\n    category: webserver\ndetection:\n"
           + detection + "\nlevel: high\n";
}

inline bool matches(const RuleSet &rules, const Event &event)
{
    QVector<int> matched;
    rules.match(event, &matched);
    return !matched.isEmpty();
}

} // namespace portcullis::sigma::test
