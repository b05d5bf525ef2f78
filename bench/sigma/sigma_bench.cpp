// SPDX-License-Identifier: GPL-3.0-or-later
// Sigma matching throughput on one core: parses an access log or an sshd auth
// log in chunks and matches every chunk against rule sets of several sizes,
// timing parse and match separately in thread CPU time.
//
// Usage: sigma_bench [--format web|syslog] [--rules 10,100,1000] [--no-screen]
//                    [--dump FILE] [--dump-events FILE] LOGFILE
//        sigma_bench --write-sec COUNT FILE
// Each rule set screens the lines first (sigma::LineScreen, as `rules test`
// does), and only lines that one of the sets may match are parsed. The
// screen's time counts as that set's match time. --no-screen parses every
// line, as import and detect do, because their other detectors need every
// event. --dump writes one line per matched event and rule set, "RULES LINE:
// INDEXES", and --dump-events one line per parsed event with every field, so
// that two builds can be checked for the same matches and the same events.
#include "benchrules.h"

#include "event/logparser.h"
#include "sigma/sigmarule.h"
#include "sigma/sigmascreen.h"

#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

#include <time.h>

#include <algorithm>
#include <memory>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace portcullis;

namespace {


double threadCpuSeconds()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

struct Measured
{
    int ruleCount = 0;
    double compileSeconds = 0;
    double matchSeconds = 0;
    qint64 matchedEvents = 0;
    qint64 matches = 0;
    qint64 screenedOut = 0;  // lines the screen passed over without parsing
    sigma::RuleSet rules;
    std::unique_ptr<sigma::LineScreen> screen;
    std::vector<char> passed;  // by line of the current chunk: the screen passed it
};

// The lines of one block of a file, as views into the reader's buffer.
struct Chunk
{
    std::vector<QByteArrayView> lines;  // without line ends
    std::vector<qint64> offsets;        // byte offset in the file of each line
    qint64 firstLine = 1;               // line number of lines[0]
};

// Splits a file into lines read in blocks, without a copy per line as
// QFile::readLine makes. The lines of a chunk are valid until the next call.
class LineReader
{
public:
    static constexpr qint64 BlockBytes = 256 << 10;

    explicit LineReader(QFile *file)
        : m_file(file)
    {
    }

    // Fills `chunk` with the next whole lines (the last line of the file
    // may lack its newline); false at the end of the file.
    bool next(Chunk *chunk)
    {
        chunk->lines.clear();
        chunk->offsets.clear();
        chunk->firstLine = m_lines + 1;
        m_buffer.remove(0, m_position);
        m_bufferOffset += m_position;
        m_position = 0;
        const qsizetype partialLine = m_buffer.size();
        m_buffer.resize(partialLine + BlockBytes);
        const qint64 read = m_file->read(m_buffer.data() + partialLine, BlockBytes);
        m_buffer.resize(partialLine + qMax<qint64>(read, 0));
        const bool last = read <= 0 || m_file->atEnd();
        const char *data = m_buffer.constData();
        const qsizetype size = m_buffer.size();
        while (m_position < size) {
            const auto *newline = static_cast<const char *>(
                std::memchr(data + m_position, '\n', size_t(size - m_position)));
            if (!newline && !last)
                break;  // a partial line, read again with the next block
            const qsizetype end = newline ? newline - data : size;
            QByteArrayView line(data + m_position, end - m_position);
            while (line.endsWith('\r'))
                line.chop(1);
            chunk->lines.push_back(line);
            chunk->offsets.push_back(m_bufferOffset + m_position);
            ++m_lines;
            m_position = newline ? end + 1 : size;
        }
        return !chunk->lines.empty() || !last;
    }

private:
    QFile *m_file;
    QByteArray m_buffer;
    qsizetype m_position = 0;
    qint64 m_bufferOffset = 0;
    qint64 m_lines = 0;
};

int fail(const QString &message)
{
    QTextStream(stderr) << "sigma_bench: " << message << '\n';
    return 2;
}

// Loads `count` generated rules: webserver rules for access logs, linux/sshd
// rules for syslog auth logs.
bool buildRuleSet(LogFormat format, int count, Measured *measured)
{
    const double start = threadCpuSeconds();
    QVector<sigma::LoadIssue> issues;
    measured->ruleCount = count;
    const QByteArray yaml = format == LogFormat::Syslog ? bench::sshdRules(count)
                                                        : bench::sigmaRules(count);
    measured->rules.loadText(yaml, QStringLiteral("generated.yml"), &issues);
    measured->rules.compile(&issues);
    measured->compileSeconds = threadCpuSeconds() - start;
    for (const sigma::LoadIssue &issue : std::as_const(issues))
        QTextStream(stderr) << "generated rule issue: " << issue.message << '\n';
    return issues.isEmpty() && measured->rules.ruleCount() == count;
}

void dumpEvents(const std::vector<Event> &events, QTextStream *out)
{
    for (const Event &event : events) {
        *out << event.lineNumber << '\t' << event.timestampMs << '\t' << event.id << '\t'
             << int(event.category) << '\t' << event.action << '\t' << int(event.outcome) << '\t'
             << event.reason << '\t' << event.sourceIp << '\t' << event.sourcePort << '\t'
             << event.sourceDomain << '\t' << event.userName << '\t' << event.hasUserName << '\t'
             << event.hostName << '\t' << event.processName << '\t' << event.processPid << '\t'
             << event.serviceName << '\t' << event.httpMethod << '\t' << event.urlOriginal << '\t'
             << event.httpStatus << '\t' << event.httpBytes << '\t' << event.httpReferrer << '\t'
             << event.userAgent << '\t' << event.original << '\t' << event.originalTruncated
             << '\t' << event.filePath << '\t' << event.fileOffset << '\t'
             << event.countsAsAttempt;
        for (auto it = event.extra.cbegin(); it != event.extra.cend(); ++it)
            *out << '\t' << it.key() << '=' << it.value().toString();
        *out << '\n';
    }
}

// Runs the set's screen over the chunk's lines, timed as matching.
void screenChunk(const Chunk &chunk, Measured *measured)
{
    const double start = threadCpuSeconds();
    measured->passed.assign(chunk.lines.size(), 1);
    if (measured->screen) {
        for (size_t i = 0; i < chunk.lines.size(); ++i) {
            if (!measured->screen->mayMatch(chunk.lines[i])) {
                measured->passed[i] = 0;
                ++measured->screenedOut;
            }
        }
    }
    measured->matchSeconds += threadCpuSeconds() - start;
}

void matchChunk(const std::vector<Event> &events, qint64 firstLine, Measured *measured,
                QTextStream *dump)
{
    QVector<int> matched;
    const double start = threadCpuSeconds();
    for (const Event &event : events) {
        if (measured->screen && measured->screen->active()
            && !measured->passed[size_t(event.lineNumber - firstLine)])
            continue;
        matched.clear();
        measured->rules.match(event, &matched);
        measured->matches += matched.size();
        measured->matchedEvents += matched.isEmpty() ? 0 : 1;
        if (dump && !matched.isEmpty()) {
            *dump << measured->ruleCount << ' ' << event.lineNumber << ':';
            for (const int rule : std::as_const(matched))
                *dump << ' ' << rule;
            *dump << '\n';
        }
    }
    measured->matchSeconds += threadCpuSeconds() - start;
}

QVector<int> parseCounts(const QString &text)
{
    QVector<int> counts;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int count = part.trimmed().toInt(&ok);
        if (!ok || count < 0)
            return {};
        counts.append(count);
    }
    return counts;
}

// Opens `file` for a dump when it has a name; false after reporting an error.
bool openDump(QFile *file, std::unique_ptr<QTextStream> *stream)
{
    if (file->fileName().isEmpty())
        return true;
    if (!file->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        fail(QStringLiteral("cannot write %1: %2").arg(file->fileName(), file->errorString()));
        return false;
    }
    *stream = std::make_unique<QTextStream>(file);
    return true;
}

int writeSecRules(const QStringList &args)
{
    bool ok = false;
    const int count = args.value(2).toInt(&ok);
    QFile out(args.value(3));
    if (!ok || count < 0 || !out.open(QIODevice::WriteOnly))
        return fail(QStringLiteral("--write-sec needs a rule count and a writable file"));
    out.write(bench::secRules(count));
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.value(1) == QLatin1String("--write-sec"))
        return writeSecRules(args);

    QVector<int> counts { 10, 100, 1000 };
    QString logPath;
    QString dumpPath;
    QString eventsPath;
    LogFormat format = LogFormat::WebAccess;
    bool screen = true;
    for (int i = 1; i < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--no-screen")) {
            screen = false;
        } else if (args.at(i) == QLatin1String("--rules")) {
            counts = parseCounts(args.value(++i));
        } else if (args.at(i) == QLatin1String("--dump")) {
            dumpPath = args.value(++i);
        } else if (args.at(i) == QLatin1String("--dump-events")) {
            eventsPath = args.value(++i);
        } else if (args.at(i) == QLatin1String("--format")) {
            const QString name = args.value(++i);
            if (!formatFromName(name, &format)
                || (format != LogFormat::WebAccess && format != LogFormat::Syslog))
                return fail(QStringLiteral("invalid --format %1; use web or syslog").arg(name));
        } else {
            logPath = args.at(i);
        }
    }
    if (counts.isEmpty() || logPath.isEmpty())
        return fail(QStringLiteral(
            "usage: sigma_bench [--format web|syslog] [--rules 10,100,1000] [--no-screen] "
            "[--dump FILE] [--dump-events FILE] LOGFILE"));

    std::vector<Measured> sets(counts.size());
    for (int i = 0; i < counts.size(); ++i) {
        if (!buildRuleSet(format, counts.at(i), &sets[i]))
            return fail(QStringLiteral("the generated %1 rules did not all load")
                            .arg(counts.at(i)));
        if (screen) {
            const double start = threadCpuSeconds();
            sets[i].screen = std::make_unique<sigma::LineScreen>(sets[i].rules, format);
            sets[i].compileSeconds += threadCpuSeconds() - start;
        }
    }

    QFile file(logPath);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(logPath, file.errorString()));
    QFile dumpFile(dumpPath);
    std::unique_ptr<QTextStream> dump;
    QFile eventsFile(eventsPath);
    std::unique_ptr<QTextStream> eventsDump;
    if (!openDump(&dumpFile, &dump) || !openDump(&eventsFile, &eventsDump))
        return 2;
    ParserOptions options;
    options.filePath = logPath;
    options.timeZone = "UTC";
    const std::unique_ptr<LogParser> parser = createParser(format, options);
    qint64 lines = 0;
    qint64 events = 0;
    double parseSeconds = 0;
    // Without an active screen every line is parsed and matched, as before.
    const bool screening = std::any_of(sets.cbegin(), sets.cend(), [](const Measured &set) {
        return set.screen && set.screen->active();
    });
    std::vector<Event> chunkEvents;
    Chunk chunk;
    LineReader reader(&file);
    for (;;) {
        double start = threadCpuSeconds();
        const bool more = reader.next(&chunk);
        lines += qint64(chunk.lines.size());
        parseSeconds += threadCpuSeconds() - start;
        if (!more)
            break;
        if (screening) {
            for (Measured &set : sets)
                screenChunk(chunk, &set);
        }

        start = threadCpuSeconds();
        chunkEvents.clear();
        chunkEvents.reserve(chunk.lines.size());
        for (size_t i = 0; i < chunk.lines.size(); ++i) {
            const bool anyPassed = !screening || std::any_of(sets.cbegin(), sets.cend(), [i](const Measured &set) {
                return set.passed[i] != 0;
            });
            if (!anyPassed)
                continue;
            LineInfo info;
            info.lineNumber = chunk.firstLine + qint64(i);
            info.offset = chunk.offsets[i];
            parser->parseLine(chunk.lines[i], info, chunkEvents);
        }
        parseSeconds += threadCpuSeconds() - start;
        events += qint64(chunkEvents.size());
        if (eventsDump)
            dumpEvents(chunkEvents, eventsDump.get());
        for (Measured &set : sets)
            matchChunk(chunkEvents, chunk.firstLine, &set, dump.get());
    }

    std::printf("lines %lld, events %lld, read+parse %.2f s CPU (%.0f lines/s)\n",
                static_cast<long long>(lines), static_cast<long long>(events), parseSeconds,
                double(lines) / parseSeconds);
    std::printf("%6s %10s %10s %14s %16s %10s %10s %12s\n", "rules", "compile_s", "match_s",
                "match_lines/s", "parse+match_ln/s", "events_hit", "matches", "screened_out");
    for (const Measured &set : sets) {
        std::printf("%6d %10.3f %10.2f %14.0f %16.0f %10lld %10lld %12lld\n", set.ruleCount,
                    set.compileSeconds, set.matchSeconds, double(lines) / set.matchSeconds,
                    double(lines) / (parseSeconds + set.matchSeconds),
                    static_cast<long long>(set.matchedEvents), static_cast<long long>(set.matches),
                    static_cast<long long>(set.screenedOut));
    }
    // The smallest non-empty set is the reference: an empty set returns
    // before any field is read.
    const auto reference = std::find_if(sets.cbegin(), sets.cend(),
                                        [](const Measured &set) { return set.ruleCount > 0; });
    if (reference != sets.cend() && &*reference != &sets.back()) {
        std::printf("match cost ratio %d rules / %d rules: %.2f\n", sets.back().ruleCount,
                    reference->ruleCount, sets.back().matchSeconds / reference->matchSeconds);
    }
    return 0;
}
