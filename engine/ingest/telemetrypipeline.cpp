// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/telemetrypipeline.h"

#include "core/logging.h"
#include "event/logparser.h"
#include "fraud/fraudalerts.h"
#include "fraud/fraudstore.h"
#include "fraud/modelpath.h"
#include "detect/suppressionservice.h"
#include "ingest/connectionalertimport.h"
#include "ingest/ruledetectors.h"
#include "store/connections.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>

namespace portcullis {

namespace {

constexpr char Context[] = "TelemetryPipeline";
constexpr qsizetype MaxQuarantinedBytes = 16 * 1024;
constexpr qint64 SuppressionReloadMs = 60 * 1000;
// ATT&CK T1562.006, Impair Defenses: Indicator Blocking. Missing or stopped
// telemetry is what that technique leaves behind. An outage looks the same,
// so the technique is a possible cause, not a finding (docs/detections.md).
constexpr char IndicatorBlockingTechnique[] = "T1562.006";

QString tr(const char *text)
{
    return QCoreApplication::translate(Context, text);
}

QString isoTime(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs)
                  : tr("an unknown time");
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

qint64 longestWindowMs(const DetectionConfig &config)
{
    return std::max({ config.bruteForceWindowMs, config.stuffingWindowMs, config.successWindowMs,
        config.distributedWindowMs, config.scan404WindowMs, config.scanProbeWindowMs });
}

} // namespace

struct TelemetryPipeline::Parsed {
    std::vector<Event> events;
    QList<QPair<QByteArray, QString>> rejected;  // raw text and reason
};

TelemetryPipeline::TelemetryPipeline(Store &store, const QString &connectionName,
    const QUrl &baseUrl, const DetectionConfig &config, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_name(connectionName)
    , m_baseUrl(baseUrl)
    , m_filePath(QStringLiteral("backend:") + connectionName)
    , m_engine(config)
{
    ParserOptions options;
    options.filePath = m_filePath;
    m_parser = createParser(LogFormat::JsonLines, options);
    addRuleDetectors();
}

// The shipped Sigma rules and the payment fraud detector run beside the
// built-in detectors. The fraud model is the demo model until a trained one
// is configured (fraud/modelPath in the settings).
void TelemetryPipeline::addRuleDetectors()
{
    QString error;
    addSigmaDetector(m_engine, loadDetectionRules(true, {}, nullptr, &error));
    if (!error.isEmpty())
        qCWarning(lcIngest) << m_name << "runs without Sigma rules:" << error;

    auto engine = std::make_unique<fraud::FraudEngine>(fraud::FraudSettings::fromSettings());
    error.clear();
    if (!engine->loadModel(fraud::configuredModelPath(), &error))
        qCWarning(lcIngest) << "No fraud model; payments get rules only:" << error;
    fraud::RuleSet lists;
    if (fraud::FraudStore(m_store.database()).loadLists(&lists, &error))
        engine->setRules(lists);
    auto detector = std::make_unique<fraud::FraudAlertDetector>(std::move(engine));
    m_fraud = detector.get();
    m_engine.addDetector(std::move(detector));
}

TelemetryPipeline::~TelemetryPipeline() = default;

bool TelemetryPipeline::open(QString *errorMessage)
{
    Database &db = m_store.database();
    Statement insert = db.prepare("INSERT OR IGNORE INTO backend_connections "
                                  "(name, base_url, updated_ms) VALUES (?, ?, ?)",
        errorMessage);
    if (!insert.isValid())
        return false;
    insert.bind(1, m_name);
    insert.bind(2, m_baseUrl.toString());
    insert.bind(3, nowMs());
    insert.step();
    if (!insert.error().isEmpty()) {
        *errorMessage = insert.error();
        return false;
    }

    Statement select = db.prepare(
        "SELECT cursor, last_event_ms FROM backend_connections WHERE name = ?", errorMessage);
    if (!select.isValid())
        return false;
    select.bind(1, m_name);
    if (select.step()) {
        m_cursor = select.columnText(0);
        m_newestEventMs = select.columnInt64(1);
    }
    if (!loadSuppressions(errorMessage) || !replay(errorMessage))
        return false;
    // The replayed events' suppressed alerts were counted when they were stored.
    m_engine.takeSuppressionHits();
    return true;
}

// Reads the active suppressions and allow-lists into the engine. open() reads
// them first; commitPage() reads them again every SuppressionReloadMs, so that
// an entry added or removed while the connection runs takes effect.
bool TelemetryPipeline::loadSuppressions(QString *errorMessage)
{
    QString error;
    SuppressionList suppressions = SuppressionService::loadActive(m_store.database(), &error);
    m_suppressionsLoadedMs = nowMs();
    if (!error.isEmpty()) {
        *errorMessage = tr("cannot read the suppressions and allow-lists: %1").arg(error);
        return false;
    }
    m_engine.setSuppressions(suppressions);
    return true;
}

// Feeds the stored events of the longest detection window to the detectors
// without storing anything; the alerts they raise are already stored.
bool TelemetryPipeline::replay(QString *errorMessage)
{
    if (m_newestEventMs <= 0)
        return true;
    Statement select = m_store.database().prepare(
        "SELECT original FROM (SELECT id, ts_ms, original FROM events WHERE file_path = ? "
        "AND ts_ms >= ? ORDER BY ts_ms DESC, id DESC LIMIT ?) ORDER BY ts_ms, id",
        errorMessage);
    if (!select.isValid())
        return false;
    select.bind(1, m_filePath);
    select.bind(2, m_newestEventMs - longestWindowMs(m_engine.config()));
    select.bind(3, qint64(maxReplayEvents));
    qint64 replayed = 0;
    std::vector<Event> events;
    if (m_fraud)
        m_fraud->setKeepDecisions(false);  // replayed payments were decided before
    while (select.step()) {
        const QByteArray line = select.columnText(0).toUtf8();
        events.clear();
        if (!m_parser->parseLine(line, LineInfo(), events))
            continue;
        for (Event &event : events) {
            event.id = event.extra.value(QStringLiteral("event.id")).toString().toUtf8();
            m_engine.processEvent(event);
            ++replayed;
        }
        if (replayed % 4096 == 0)
            m_engine.takeChangedAlerts();
    }
    m_engine.takeChangedAlerts();
    if (m_fraud)
        m_fraud->setKeepDecisions(true);
    qCInfo(lcIngest) << m_name << "replayed" << replayed << "stored events into the detectors";
    return true;
}

// Validates and parses each event; a rejected one keeps its raw text and reason.
TelemetryPipeline::Parsed TelemetryPipeline::parsePage(const EventPage &page)
{
    Parsed parsed;
    QSet<QByteArray> seen;
    std::vector<Event> out;
    for (const QByteArray &raw : page.events) {
        ++m_counters.received;
        if (raw.size() > MaxTelemetryEventBytes) {
            parsed.rejected.append({ raw, tr("the event is %1 bytes, over the limit of %2")
                                              .arg(raw.size())
                                              .arg(MaxTelemetryEventBytes) });
            continue;
        }
        out.clear();
        if (!m_parser->parseLine(raw, LineInfo(), out) || out.size() != 1) {
            parsed.rejected.append({ raw,
                tr("the event is not a JSON object with a valid @timestamp") });
            continue;
        }
        Event &event = out.front();
        const QVariant id = event.extra.value(QStringLiteral("event.id"));
        event.id = id.typeId() == QMetaType::QString ? id.toString().toUtf8() : QByteArray();
        if (event.id.isEmpty() || event.id.size() > MaxTelemetryEventIdBytes) {
            parsed.rejected.append({ raw,
                tr("event.id is missing, not a string or over %1 bytes")
                    .arg(MaxTelemetryEventIdBytes) });
            continue;
        }
        if (seen.contains(event.id) || isStored(event.id)) {
            ++m_counters.duplicates;
            continue;
        }
        seen.insert(event.id);
        parsed.events.push_back(std::move(event));
    }
    return parsed;
}

bool TelemetryPipeline::isStored(const QByteArray &eventId)
{
    if (!m_existsStatement.isValid())
        m_existsStatement = m_store.database().prepare("SELECT 1 FROM events WHERE event_id = ?");
    m_existsStatement.reset();
    m_existsStatement.bind(1, eventId);
    const bool found = m_existsStatement.step();
    m_existsStatement.reset();
    return found;
}

bool TelemetryPipeline::commitPage(const EventPage &page, QString *errorMessage)
{
    if (nowMs() - m_suppressionsLoadedMs >= SuppressionReloadMs) {
        QString error;
        if (!loadSuppressions(&error))
            qCWarning(lcIngest) << m_name << "keeps the suppressions read before:" << error;
    }
    Parsed parsed = parsePage(page);
    // NOTE: the detectors see the page before the commit, so after a failed
    // commit their state is ahead of the store; the client then stops, and a
    // new pipeline (open()) rebuilds that state from the store.
    for (const Event &event : parsed.events) {
        m_engine.processEvent(event);
        m_newestEventMs = std::max(m_newestEventMs, event.timestampMs);
    }
    QVector<Alert> alerts = m_engine.takeChangedAlerts();
    const QHash<qint64, qint64> hits = m_engine.takeSuppressionHits();

    Database &db = m_store.database();
    if (!db.begin(errorMessage))
        return false;
    qint64 inserted = 0;
    bool ok = m_store.insertEvents(parsed.events, &inserted, errorMessage);
    ok = ok && SuppressionService::recordHits(db, hits, errorMessage);
    for (qsizetype i = 0; ok && i < parsed.rejected.size(); ++i)
        ok = writeQuarantine(parsed.rejected[i].first, parsed.rejected[i].second, errorMessage);
    ok = ok && storeAlerts(alerts, errorMessage);
    if (m_fraud) {
        fraud::FraudStore fraudStore(db);
        for (const fraud::Decision &decision : m_fraud->takeDecisions())
            ok = ok && fraudStore.recordDecision(decision, errorMessage);
    }
    ok = ok && saveCursor(page.nextCursor.isEmpty() ? m_cursor : page.nextCursor, inserted,
        errorMessage);
    if (ok && m_crashAfterPages >= 0 && m_pagesCommitted >= m_crashAfterPages) {
        *errorMessage = tr("test hook: crash before the commit of page %1").arg(m_pagesCommitted);
        return false;  // the transaction stays open until the store is closed
    }
    if (!ok) {
        db.rollback();
        return false;
    }
    if (!commitOrRollback(errorMessage))
        return false;

    ++m_pagesCommitted;
    if (!page.nextCursor.isEmpty())
        m_cursor = page.nextCursor;
    m_counters.stored += inserted;
    m_counters.quarantined += parsed.rejected.size();
    m_counters.alertsChanged += alerts.size();
    if (!parsed.rejected.isEmpty())
        qCWarning(lcIngest) << m_name << "quarantined" << parsed.rejected.size() << "events";
    Q_EMIT pageCommitted(inserted, m_cursor);
    if (!alerts.isEmpty())
        Q_EMIT alertsStored(alerts);
    return true;
}

bool TelemetryPipeline::commitOrRollback(QString *errorMessage)
{
    if (m_store.database().commit(errorMessage))
        return true;
    m_store.database().rollback();
    return false;
}

bool TelemetryPipeline::writeQuarantine(
    const QByteArray &raw, const QString &reason, QString *errorMessage)
{
    Statement insert = m_store.database().prepare(
        "INSERT INTO quarantine (connection, received_ms, reason, raw, raw_truncated) "
        "VALUES (?, ?, ?, ?, ?)",
        errorMessage);
    if (!insert.isValid())
        return false;
    insert.bind(1, m_name);
    insert.bind(2, nowMs());
    insert.bind(3, reason);
    insert.bindText(4, raw.left(MaxQuarantinedBytes));
    insert.bind(5, raw.size() > MaxQuarantinedBytes ? 1 : 0);
    insert.step();
    if (insert.error().isEmpty())
        return true;
    *errorMessage = insert.error();
    return false;
}

bool TelemetryPipeline::saveCursor(const QString &cursor, qint64 stored, QString *errorMessage)
{
    Statement update = m_store.database().prepare(
        "UPDATE backend_connections SET cursor = ?, last_event_ms = ?, "
        "events_stored = events_stored + ?, updated_ms = ? WHERE name = ?",
        errorMessage);
    if (!update.isValid())
        return false;
    update.bind(1, cursor);
    update.bind(2, m_newestEventMs);
    update.bind(3, stored);
    update.bind(4, nowMs());
    update.bind(5, m_name);
    update.step();
    if (update.error().isEmpty())
        return true;
    *errorMessage = update.error();
    return false;
}

bool TelemetryPipeline::storeAlerts(QVector<Alert> &alerts, QString *errorMessage)
{
    for (Alert &alert : alerts) {
        if (!m_store.upsertAlert(alert, errorMessage))
            return false;
    }
    return true;
}

bool TelemetryPipeline::commitGap(const TelemetryGap &gap, QString *errorMessage)
{
    Alert alert;
    alert.key = "telemetry-gap|" + m_name.toUtf8() + '|' + gap.cursor.toUtf8();
    alert.ruleId = QStringLiteral("telemetry-gap");
    alert.mitreTechnique = QLatin1String(IndicatorBlockingTechnique);
    alert.title = tr("Telemetry gap from %1").arg(m_name);
    alert.severity = Severity::High;
    alert.firstSeenMs = m_newestEventMs > 0 ? m_newestEventMs : nowMs();
    alert.lastSeenMs = gap.oldestTimestampMs > 0 ? gap.oldestTimestampMs : nowMs();
    alert.eventCount = std::max<qint64>(gap.missingEvents, 0);
    alert.entities.insert(QStringLiteral("observer.name"), { m_name });
    const QString count = gap.missingEvents >= 0 ? QString::number(gap.missingEvents)
                                                 : tr("an unknown number of");
    alert.reason = tr("The backend %1 no longer has the events after cursor \"%2\" (last stored "
                      "event at %3): %4 events up to cursor \"%5\" (%6) are lost. Detection "
                      "did not see them.")
                       .arg(m_name, gap.cursor, isoTime(m_newestEventMs), count,
                           gap.oldestCursor, isoTime(gap.oldestTimestampMs));

    Database &db = m_store.database();
    if (!db.begin(errorMessage))
        return false;
    QVector<Alert> alerts { alert };
    // "oldest_cursor" is the cursor just before the oldest retained event, so
    // a restart after this commit resumes there without a second gap alert.
    if (!storeAlerts(alerts, errorMessage) || !saveCursor(gap.oldestCursor, 0, errorMessage)) {
        db.rollback();
        return false;
    }
    if (!commitOrRollback(errorMessage))
        return false;
    m_cursor = gap.oldestCursor;
    ++m_counters.gaps;
    ++m_counters.alertsChanged;
    Q_EMIT alertsStored(alerts);
    return true;
}

bool TelemetryPipeline::raiseSilence(qint64 silentForMs, QString *errorMessage)
{
    Alert alert;
    alert.key = "telemetry-silence|" + m_name.toUtf8() + '|' + QByteArray::number(m_newestEventMs);
    alert.ruleId = QStringLiteral("telemetry-silence");
    alert.mitreTechnique = QLatin1String(IndicatorBlockingTechnique);
    alert.title = tr("No telemetry from %1").arg(m_name);
    alert.severity = Severity::Medium;
    alert.firstSeenMs = m_newestEventMs > 0 ? m_newestEventMs : nowMs();
    alert.lastSeenMs = nowMs();
    alert.entities.insert(QStringLiteral("observer.name"), { m_name });
    alert.reason = tr("The backend %1 has sent no event for %2 seconds; the last stored event is "
                      "from %3. Check the backend and the connection.")
                       .arg(m_name)
                       .arg(silentForMs / 1000)
                       .arg(isoTime(m_newestEventMs));
    QVector<Alert> alerts { alert };
    Database &db = m_store.database();
    if (!db.begin(errorMessage))
        return false;
    if (!storeAlerts(alerts, errorMessage)) {
        db.rollback();
        return false;
    }
    if (!commitOrRollback(errorMessage))
        return false;
    Q_EMIT alertsStored(alerts);
    return true;
}

bool TelemetryPipeline::commitBackendAlerts(
    const QList<QJsonObject> &alerts, QString *errorMessage)
{
    Database &db = m_store.database();
    if (!db.begin(errorMessage))
        return false;
    BackendAlertImport result;
    bool ok = importBackendAlerts(m_store, m_name, alerts, &result, errorMessage);
    for (qsizetype i = 0; ok && i < result.rejected.size(); ++i)
        ok = writeQuarantine(QJsonDocument(result.rejected[i].first).toJson(QJsonDocument::Compact),
            result.rejected[i].second, errorMessage);
    if (!ok) {
        db.rollback();
        return false;
    }
    if (!commitOrRollback(errorMessage))
        return false;
    m_counters.backendAlerts += result.changed.size();
    m_counters.alertsChanged += result.changed.size();
    m_counters.quarantined += result.rejected.size();
    qCInfo(lcIngest) << m_name << "backend alerts:" << result.changed.size() << "stored,"
                     << result.unchanged << "already stored," << result.rejected.size()
                     << "quarantined";
    if (!result.changed.isEmpty())
        Q_EMIT alertsStored(result.changed);
    return true;
}

void TelemetryPipeline::attach(BackendClient *client)
{
    client->setAlertsHandler([this](const QList<QJsonObject> &alerts, QString *error) {
        return commitBackendAlerts(alerts, error);
    });
    client->setBackendAlertsSince(newestBackendAlert(m_store.database(), m_name));
    client->setReachedBefore(connectionReached(m_store.database(), m_name));
    connect(client, &BackendClient::firstResponse, this, [this] {
        QString error;
        if (!markConnectionReached(m_store.database(), m_name, &error))
            qCWarning(lcIngest) << m_name << "recording the first response failed:" << error;
    });
    client->setPageHandler(
        [this](const EventPage &page, QString *error) { return commitPage(page, error); });
    client->setGapHandler(
        [this](const TelemetryGap &gap, QString *error) { return commitGap(gap, error); });
    connect(client, &BackendClient::silenceDetected, this, [this](qint64 silentForMs) {
        QString error;
        if (!raiseSilence(silentForMs, &error))
            qCWarning(lcIngest) << m_name << "storing the silence alert failed:" << error;
    });
}

} // namespace portcullis
