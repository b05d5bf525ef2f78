// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer entry point for the log parsers. The build defines one of
// PORTCULLIS_FUZZ_SYSLOG, _WEB, _JSONL or _DETECT to pick the target.
#include "event/logparser.h"

#include <QByteArrayView>
#include <QList>

#include <cstddef>
#include <cstdint>

using namespace portcullis;

namespace {

LogFormat fuzzedFormat()
{
#if defined(PORTCULLIS_FUZZ_SYSLOG)
    return LogFormat::Syslog;
#elif defined(PORTCULLIS_FUZZ_WEB)
    return LogFormat::WebAccess;
#elif defined(PORTCULLIS_FUZZ_JSONL)
    return LogFormat::JsonLines;
#else
    return LogFormat::Auto;
#endif
}

// Splits the input at '\n' and cuts each line at MaxLineBytes, as the importer does.
QList<QByteArrayView> splitLines(QByteArrayView input)
{
    QList<QByteArrayView> lines;
    qsizetype begin = 0;
    while (begin <= input.size()) {
        qsizetype end = input.indexOf('\n', begin);
        if (end < 0)
            end = input.size();
        lines.append(input.sliced(begin, qMin(end - begin, MaxLineBytes)));
        begin = end + 1;
    }
    return lines;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const QList<QByteArrayView> lines = splitLines(input);

    if (fuzzedFormat() == LogFormat::Auto) {
        QList<QByteArray> firstLines;
        for (QByteArrayView line : lines.mid(0, 20))
            firstLines.append(line.toByteArray());
        detectFormat(firstLines);
        return 0;
    }

    ParserOptions options;
    options.referenceTimeMs = 1700000000000;
    options.timeZone = "UTC";
    const std::unique_ptr<LogParser> parser = createParser(fuzzedFormat(), options);
    std::vector<Event> events;
    qint64 lineNumber = 0;
    for (QByteArrayView line : lines) {
        ++lineNumber;
        parser->parseLine(line, {lineNumber, 0, false}, events);
        if (events.size() > 100000)
            events.clear();
    }
    return 0;
}
