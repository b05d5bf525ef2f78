// SPDX-License-Identifier: GPL-3.0-or-later
#include "simfeed.h"

#include "sim/ecsjson.h"
#include "sim/payments.h"

#include <QDateTime>
#include <QTimeZone>
#include <QJsonDocument>

#include <vector>

namespace portcullis::bench {

namespace {

constexpr qint64 HourMs = 3600LL * 1000;
constexpr qint64 DayMs = 24 * HourMs;

bool isPaymentDocument(const QJsonObject &doc)
{
    const QJsonObject event = doc.value(QStringLiteral("event")).toObject();
    return event.value(QStringLiteral("category")).toString() == QLatin1String("payment")
        || event.value(QStringLiteral("action")).toString()
        == QLatin1String("payout_destination_changed");
}

} // namespace

const QList<ScenarioRule> &scenarioRules()
{
    static const QList<ScenarioRule> rules{
        {QStringLiteral("card_testing"), QStringLiteral("fraud-card-testing")},
        {QStringLiteral("account_takeover"), QStringLiteral("fraud-payout-takeover")},
        {QStringLiteral("refund_abuse"), QStringLiteral("fraud-refund-abuse")},
        {QStringLiteral("friendly_fraud"), QStringLiteral("fraud-friendly-fraud")},
        {QStringLiteral("card_country_mismatch"), QStringLiteral("fraud-country-mismatch")},
        {QStringLiteral("fake_bookings"), QStringLiteral("fraud-fake-bookings")},
    };
    return rules;
}

SimFeed::SimFeed(const FeedOptions &options)
    : m_options(options)
    , m_startMs(options.startMs > 0
                    ? options.startMs
                    : QDateTime(QDate(2026, 11, 2), QTime(0, 0), QTimeZone::utc())
                          .toMSecsSinceEpoch())
    , m_generator(options.seed, m_startMs, options.shops, options.customers)
    , m_parser(ParserOptions{0, QStringLiteral("backend:fraudscenarios"), QByteArray("UTC")})
{
    scheduleScenarios();
}

// Spreads the runs of each scenario over the days after the warm-up, a few
// hours apart, so that two runs of one scenario do not overlap.
void SimFeed::scheduleScenarios()
{
    const QList<ScenarioRule> &rules = scenarioRules();
    const int activeDays = std::max(1, m_options.days - m_options.warmupDays - 1);
    const qint64 spanMs = qint64(activeDays) * DayMs;
    const int runs = m_options.repeats * int(rules.size());
    for (int run = 0; run < runs; ++run) {
        const QString &name = rules[run % rules.size()].scenario;
        const qint64 atMs = m_startMs + m_options.warmupDays * DayMs
            + spanMs * run / std::max(1, runs) + m_generator.random().between(0, HourMs);
        if (sim::fraudScenarioNames().contains(name)
            && !sim::scenarioNames().contains(name))
            sim::scheduleFraudScenario(m_generator, name, atMs);
        else
            m_generator.scheduleScenario(name, atMs);
    }
}

void SimFeed::run(const std::function<void(const FeedEvent &)> &visit)
{
    const qint64 endMs = m_startMs + m_options.days * DayMs;
    sim::SimEvent simEvent;
    qint64 sequence = 0;
    std::vector<Event> parsed;
    while (m_generator.next(endMs, &simEvent)) {
        ++sequence;
        if (simEvent.label >= 0 && !m_firstEventMs.contains(simEvent.label))
            m_firstEventMs.insert(simEvent.label, simEvent.timeMs);
        if (!isPaymentDocument(simEvent.doc))
            continue;
        QJsonObject doc = simEvent.doc;
        doc.insert(QStringLiteral("@timestamp"), sim::isoTime(simEvent.timeMs));
        sim::setPath(doc, u"event.id",
                     QStringLiteral("s%1-%2").arg(m_options.seed).arg(sequence, 10, 10,
                                                                      QLatin1Char('0')));
        const QByteArray line = QJsonDocument(doc).toJson(QJsonDocument::Compact);
        parsed.clear();
        if (!m_parser.parseLine(line, LineInfo{sequence, 0, false}, parsed))
            continue;
        for (Event &event : parsed) {
            // As the telemetry pipeline does: the backend's event.id is the id.
            event.id = event.extra.value(QStringLiteral("event.id")).toString().toUtf8();
            FeedEvent feed{std::move(event), simEvent.label};
            visit(feed);
        }
    }
}

} // namespace portcullis::bench
