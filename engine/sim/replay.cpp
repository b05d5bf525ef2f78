// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/replay.h"

#include "event/logparser.h"
#include "sim/ecsjson.h"
#include "sim/simlogging.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

namespace portcullis::sim {

namespace {

void putText(QJsonObject &doc, QStringView path, const QString &value)
{
    if (!value.isEmpty())
        setPath(doc, path, value);
}

QJsonObject documentFor(const Event &event)
{
    QJsonObject doc;
    setPath(doc, u"event.kind", QStringLiteral("event"));
    setPath(doc, u"event.module", QStringLiteral("replay"));
    setPath(doc, u"event.category", categoryName(event.category));
    setPath(doc, u"event.action", event.action);
    if (event.outcome != EventOutcome::Unknown)
        setPath(doc, u"event.outcome", outcomeName(event.outcome));
    putText(doc, u"event.reason", event.reason);
    putText(doc, u"source.ip", event.sourceIp);
    if (event.sourcePort > 0)
        setPath(doc, u"source.port", event.sourcePort);
    putText(doc, u"source.domain", event.sourceDomain);
    if (event.hasUserName)
        setPath(doc, u"user.name", event.userName);
    putText(doc, u"host.name", event.hostName);
    putText(doc, u"process.name", event.processName);
    if (event.processPid > 0)
        setPath(doc, u"process.pid", event.processPid);
    putText(doc, u"service.name", event.serviceName);
    putText(doc, u"http.request.method", event.httpMethod);
    putText(doc, u"url.original", event.urlOriginal);
    if (event.httpStatus > 0)
        setPath(doc, u"http.response.status_code", event.httpStatus);
    if (event.httpBytes >= 0)
        setPath(doc, u"http.response.body.bytes", event.httpBytes);
    putText(doc, u"http.request.referrer", event.httpReferrer);
    putText(doc, u"user_agent.original", event.userAgent);
    for (auto it = event.extra.begin(); it != event.extra.end(); ++it) {
        if (!it.key().startsWith(QLatin1String("event.id")))
            setPath(doc, it.key(), QJsonValue::fromVariant(it.value()));
    }
    setPath(doc, u"event.original", event.original);
    return doc;
}

QJsonObject unparsedDocument(const QByteArray &line)
{
    QJsonObject doc;
    setPath(doc, u"event.kind", QStringLiteral("event"));
    setPath(doc, u"event.module", QStringLiteral("replay"));
    setPath(doc, u"event.category", QStringLiteral("unknown"));
    setPath(doc, u"event.action", QStringLiteral("other"));
    setPath(doc, u"event.original", QString::fromUtf8(line.left(MaxLineBytes)));
    doc.insert(QStringLiteral("tags"), QJsonArray { QStringLiteral("unparsed") });
    return doc;
}

QList<QByteArray> readLines(QFile &file, qint64 *offsetsOut, std::vector<qint64> *offsets)
{
    QList<QByteArray> lines;
    qint64 offset = 0;
    while (!file.atEnd() && lines.size() < MaxReplayLines) {
        QByteArray line = file.readLine();
        offsets->push_back(offset);
        offset += line.size();
        while (line.endsWith('\n') || line.endsWith('\r'))
            line.chop(1);
        lines.append(line);
    }
    *offsetsOut = offset;
    return lines;
}

} // namespace

bool readReplayFile(
    const QString &path, qint64 firstEventMs, std::vector<SimEvent> *events, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("Cannot read replay file %1: %2. Check the path given to --replay.")
                     .arg(path, file.errorString());
        return false;
    }
    qint64 bytes = 0;
    std::vector<qint64> offsets;
    const QList<QByteArray> lines = readLines(file, &bytes, &offsets);
    if (!file.atEnd())
        qCWarning(lcSim) << "replay file" << path << "has more than" << MaxReplayLines
                         << "lines; the rest are ignored";

    ParserOptions options;
    options.referenceTimeMs = QFileInfo(path).lastModified().toMSecsSinceEpoch();
    options.filePath = path;
    const LogFormat format = detectFormat(lines.mid(0, 50));
    std::unique_ptr<LogParser> parser
        = format == LogFormat::Auto ? nullptr : createParser(format, options);

    qint64 shiftMs = 0;
    bool haveShift = false;
    qint64 lastMs = firstEventMs;
    qint64 unparsed = 0;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        std::vector<Event> parsed;
        LineInfo info;
        info.lineNumber = i + 1;
        info.offset = offsets[std::size_t(i)];
        if (!parser || !parser->parseLine(lines[i], info, parsed) || parsed.empty()) {
            SimEvent event;
            event.timeMs = lastMs;
            event.doc = unparsedDocument(lines[i]);
            events->push_back(std::move(event));
            ++unparsed;
            continue;
        }
        for (const Event &parsedEvent : parsed) {
            if (!haveShift) {
                shiftMs = firstEventMs - parsedEvent.timestampMs;
                haveShift = true;
            }
            SimEvent event;
            // Keeps time order even where a log steps back (clock change).
            event.timeMs = qMax(lastMs, parsedEvent.timestampMs + shiftMs);
            lastMs = event.timeMs;
            event.doc = documentFor(parsedEvent);
            events->push_back(std::move(event));
        }
    }
    qCInfo(lcSim).noquote() << "replay of" << path << ":" << lines.size() << "lines as"
                            << formatName(format) << "," << unparsed << "not parsed," << bytes
                            << "bytes";
    return true;
}

} // namespace portcullis::sim
