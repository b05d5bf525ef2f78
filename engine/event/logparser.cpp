// SPDX-License-Identifier: GPL-3.0-or-later
#include "event/logparser.h"

#include "event/jsonparser.h"
#include "event/syslogparser.h"
#include "event/webparser.h"

#include <array>

namespace portcullis {

QString formatName(LogFormat format)
{
    switch (format) {
    case LogFormat::Syslog:
        return QStringLiteral("syslog");
    case LogFormat::WebAccess:
        return QStringLiteral("web");
    case LogFormat::JsonLines:
        return QStringLiteral("jsonl");
    case LogFormat::Auto:
        break;
    }
    return QStringLiteral("auto");
}

bool formatFromName(QStringView name, LogFormat *format)
{
    for (LogFormat candidate : {LogFormat::Auto, LogFormat::Syslog, LogFormat::WebAccess,
                                LogFormat::JsonLines}) {
        if (name.compare(formatName(candidate), Qt::CaseInsensitive) == 0) {
            *format = candidate;
            return true;
        }
    }
    return false;
}

std::unique_ptr<LogParser> createParser(LogFormat format, const ParserOptions &options)
{
    switch (format) {
    case LogFormat::Syslog:
        return std::make_unique<SyslogParser>(options);
    case LogFormat::WebAccess:
        return std::make_unique<WebAccessParser>(options);
    case LogFormat::JsonLines:
        return std::make_unique<JsonLinesParser>(options);
    case LogFormat::Auto:
        break;
    }
    return nullptr;
}

LogFormat detectFormat(const QList<QByteArray> &firstLines)
{
    // Ties go to the earlier format in this list.
    const std::array<LogFormat, 3> formats{LogFormat::Syslog, LogFormat::WebAccess,
                                           LogFormat::JsonLines};
    LogFormat best = LogFormat::Auto;
    int bestCount = 0;
    for (LogFormat format : formats) {
        const std::unique_ptr<LogParser> parser = createParser(format, ParserOptions());
        std::vector<Event> events;
        int accepted = 0;
        qint64 lineNumber = 0;
        for (const QByteArray &line : firstLines) {
            ++lineNumber;
            const QByteArrayView view = QByteArrayView(line).first(qMin(line.size(), MaxLineBytes));
            if (!view.trimmed().isEmpty() && parser->parseLine(view, {lineNumber, 0, false}, events))
                ++accepted;
            events.clear();
        }
        if (accepted > bestCount) {
            best = format;
            bestCount = accepted;
        }
    }
    return best;
}

} // namespace portcullis
