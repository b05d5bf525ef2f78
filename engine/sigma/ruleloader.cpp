// SPDX-License-Identifier: GPL-3.0-or-later
#include "sigma/ruleloader.h"

#include "sigma/sigmascreen.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <vector>

namespace portcullis::sigma {

namespace {

constexpr int FormatProbeLines = 50;

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::sigma", text);
}

QByteArray lineBody(QByteArray line)
{
    if (line.endsWith('\n'))
        line.chop(1);
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

LogFormat probeFormat(QFile &file)
{
    QList<QByteArray> firstLines;
    while (firstLines.size() < FormatProbeLines && !file.atEnd()) {
        const QByteArray line = lineBody(file.readLine(MaxLineBytes + 2));
        if (!line.trimmed().isEmpty())
            firstLines.append(line);
    }
    file.seek(0);
    return detectFormat(firstLines);
}

} // namespace

bool readLogFile(const QString &path, LogFormat format,
    const std::function<void(const Event &)> &onEvent, LogReadSummary *summary,
    QString *errorMessage, const RuleSet *screenFor)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *errorMessage = tr("Cannot open %1: %2. Check the path and that you may read the file.")
                            .arg(path, file.errorString());
        return false;
    }
    if (format == LogFormat::Auto)
        format = probeFormat(file);
    if (format == LogFormat::Auto) {
        *errorMessage = tr("%1: the format is not recognised; name it with --format (syslog, "
                           "web or jsonl).")
                            .arg(path);
        return false;
    }
    summary->format = format;

    ParserOptions options;
    options.filePath = path;
    options.referenceTimeMs = QFileInfo(path).lastModified().toMSecsSinceEpoch();
    const std::unique_ptr<LogParser> parser = createParser(format, options);
    std::unique_ptr<LineScreen> screen;
    if (screenFor)
        screen = std::make_unique<LineScreen>(*screenFor, format);
    const QByteArray idPrefix = QFileInfo(path).fileName().toUtf8() + ':';
    std::vector<Event> events;
    LineInfo info;
    // One buffer for every line, because QIODevice::readLine(qint64)
    // allocates its maximum size for each line, which costs more than parsing
    // it. Both overloads read at most their size less one byte.
    QByteArray buffer(MaxLineBytes + 2, Qt::Uninitialized);
    while (!file.atEnd()) {
        info.offset = file.pos();
        const qint64 length = file.readLine(buffer.data(), buffer.size());
        if (length < 0) {
            *errorMessage = tr("Cannot read %1: %2.").arg(path, file.errorString());
            return false;
        }
        QByteArrayView line(buffer.constData(), length);
        ++info.lineNumber;
        info.truncated = !line.endsWith('\n') && !file.atEnd();
        if (line.endsWith('\n'))
            line.chop(1);
        if (line.endsWith('\r'))
            line.chop(1);
        if (info.truncated) {
            // Skip the rest of an over-long line, as the importer does.
            while (!file.atEnd() && !file.readLine(MaxLineBytes).endsWith('\n')) { }
        }
        ++summary->lines;
        const bool blank = std::all_of(line.cbegin(), line.cend(), [](char c) {
            return c == ' ' || (c >= '\t' && c <= '\r');  // what QByteArray::trimmed() drops
        });
        if (blank)
            continue;
        if (screen && !screen->mayMatch(line)) {
            ++summary->screenedLines;
            continue;
        }
        events.clear();
        if (!parser->parseLine(line, info, events)) {
            ++summary->unparsedLines;
            continue;
        }
        for (size_t i = 0; i < events.size(); ++i) {
            Event &event = events[i];
            event.id = idPrefix + QByteArray::number(info.lineNumber);
            if (events.size() > 1)
                event.id += ':' + QByteArray::number(qint64(i));
            ++summary->events;
            onEvent(event);
        }
    }
    return true;
}

} // namespace portcullis::sigma
