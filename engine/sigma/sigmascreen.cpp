// SPDX-License-Identifier: GPL-3.0-or-later
// LineScreen works in two steps per line. The first is one Hyperscan scan of
// the whole line for the literals of every field that the access log parser
// copies from the line's bytes. A rule stays a candidate when each of its
// clauses has a literal anywhere in the line.
//
// Only then is the line split into its fields, and each field is searched as
// match() searches it, which gives the prefilter's own candidates. Literals
// of fields that the screen does not read from the line (the address,
// constant fields) count as found in both steps.
#include "sigma/sigmascreen.h"

#include "core/logging.h"
#include "event/parsertext.h"
#include "event/webparser.h"
#include "sigma/sigmacompiled.h"

#include <hs/hs.h>

#include <cstring>
#include <vector>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace portcullis::sigma {

namespace {

// The source of a field's text in an access log line.
enum class Source : quint8 {
    None,  // not read from the line: its literals count as found
    Line,
    Method,
    Url,
    Path,
    Version,
    Referrer,
    Agent,
    Status,
    Bytes,
};

Source sourceOf(const FieldSpec &spec)
{
    switch (spec.member) {
    case Member::Keywords:  // the message body of a web event is the whole line
    case Member::Original:
        return Source::Line;
    case Member::HttpMethod:
        return Source::Method;
    case Member::UrlOriginal:
        return Source::Url;
    case Member::HttpReferrer:
        return Source::Referrer;
    case Member::UserAgent:
        return Source::Agent;
    case Member::HttpStatus:
        return Source::Status;
    case Member::HttpBytes:
        return Source::Bytes;
    case Member::Extra:
        if (spec.extraKey == QLatin1String("url.path"))
            return Source::Path;
        if (spec.extraKey == QLatin1String("http.version"))
            return Source::Version;
        return Source::None;
    default:
        return Source::None;
    }
}

// Whether every byte of `line` is ASCII and none is a backslash.
bool plainAscii(QByteArrayView line)
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(line.data());
    const qsizetype size = line.size();
    qsizetype i = 0;
#ifdef __SSE2__
    const __m128i backslash = _mm_set1_epi8('\\');
    const auto plainBlock = [&](qsizetype at) {
        const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i *>(bytes + at));
        const int high = _mm_movemask_epi8(block);
        const int escapes = _mm_movemask_epi8(_mm_cmpeq_epi8(block, backslash));
        return (high | escapes) == 0;
    };
    for (; i + 16 <= size; i += 16) {
        if (!plainBlock(i))
            return false;
    }
    // The last partial block as the 16 bytes that end the line.
    if (i < size && size >= 16)
        return plainBlock(size - 16);
#endif
    for (; i < size; ++i) {
        if (bytes[i] >= 0x80 || bytes[i] == '\\')
            return false;
    }
    return true;
}

// Lower-cases ASCII `text` into `buffer`, as foldUtf8() does for the same
// text decoded.
void foldAscii(QByteArrayView text, QByteArray *buffer)
{
    buffer->resize(text.size());
    char *out = buffer->data();
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.data()[i];
        out[i] = (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
    }
}

int onLineMatch(unsigned int id, unsigned long long, unsigned long long, unsigned int,
                void *context)
{
    static_cast<LiteralHits *>(context)->add(int(id));
    return 0;
}

} // namespace

struct LineScreen::Private
{
    enum class Mode : quint8 { PassAll, RejectAll, Screen };
    Mode mode = Mode::PassAll;
    const Prefilter *prefilter = nullptr;
    hs_database *lineDatabase = nullptr;  // the prefilter's, caseless
    hs_scratch *scratch = nullptr;
    QVector<int> alwaysFound;    // literal ids of the fields not read from the line
    QVector<Source> fieldSources;  // by text field plan of the prefilter
    LiteralHits hits;
    QVector<quint64> candidates;
    QByteArray buffer;

    ~Private()
    {
        hs_free_scratch(scratch);
    }

    bool build(const CompiledRules &rules, const ClassPlan &plan);
    void startHits();
    bool anyCandidate();
    bool fieldsMayMatch(QByteArrayView line);
};

bool LineScreen::Private::build(const CompiledRules &rules, const ClassPlan &plan)
{
    prefilter = plan.prefilter.get();
    const LiteralTable &literals = rules.literals;
    for (int id = 0; id < literals.size(); ++id) {
        if (!prefilter->searches(id))
            continue;
        // A field read from the line is a part of the line's bytes, so its
        // literals, and an exact value of it, occur in the line as well. The
        // prefilter's database of this class is caseless and contains the
        // exact values too (Prefilter::build), so it finds them in raw bytes.
        const Requirement::Literal &literal = literals.at(id);
        const bool fromLine = literal.kind != Requirement::Literal::Kind::Network
                              && sourceOf(rules.catalog.spec(literal.field)) != Source::None;
        if (!fromLine)
            alwaysFound.append(id);
    }
    lineDatabase = prefilter->database();
    if (!prefilter->allocScratch(&scratch))
        return false;
    for (const Prefilter::FieldPlan &field : prefilter->textFields())
        fieldSources.append(sourceOf(rules.catalog.spec(field.field)));
    hits.bits.fill(0, (literals.size() + 63) / 64);
    candidates.fill(0, (rules.rules.size() + 63) / 64);
    return true;
}

void LineScreen::Private::startHits()
{
    hits.clear();
    for (const int id : std::as_const(alwaysFound))
        hits.add(id);
}

bool LineScreen::Private::anyCandidate()
{
    quint64 wordsSet = 0;
    prefilter->markCandidates(hits, &candidates, &wordsSet);
    if (wordsSet == 0)
        return false;
    candidates.fill(0);
    return true;
}

bool LineScreen::Private::fieldsMayMatch(QByteArrayView line)
{
    AccessLineSpans spans;
    if (!splitAccessLine(line, &spans))
        return true;  // the parser rejects it and counts it
    RequestSpans request;
    if (spans.request != "-" && !spans.request.isEmpty())
        request = splitRequest(spans.request);
    startHits();
    for (int i = 0; i < fieldSources.size(); ++i) {
        QByteArrayView text;
        qint64 number = -1;
        switch (fieldSources.at(i)) {
        case Source::None:
            continue;
        case Source::Line:
            text = spans.line;
            break;
        case Source::Method:
            text = request.method;
            break;
        case Source::Url:
            text = request.url;
            break;
        case Source::Path:
            text = request.isRequestLine ? request.path : QByteArrayView();
            break;
        case Source::Version:
            text = request.hasVersion ? request.version : QByteArrayView();
            break;
        case Source::Referrer:
            text = spans.referrer == "-" ? QByteArrayView() : spans.referrer;
            break;
        case Source::Agent:
            text = spans.agent == "-" ? QByteArrayView() : spans.agent;
            break;
        case Source::Status: {
            // splitAccessLine() accepts three digits or "-" here.
            qint64 status = -1;
            if (text::parseUInt(spans.status, &status) && status > 0)
                number = status;
            break;
        }
        case Source::Bytes:
            if (!text::parseUInt(spans.bytes, &number))
                number = -1;
            break;
        }
        if (number >= 0) {
            writeDecimal(number, &buffer);
        } else if (!text.isEmpty()) {
            foldAscii(text, &buffer);
        } else {
            continue;
        }
        prefilter->scanText(i, buffer, scratch, &hits);
    }
    return anyCandidate();
}

LineScreen::LineScreen(const RuleSet &rules, LogFormat format)
    : d(std::make_unique<Private>())
{
    const CompiledRules &compiled = *rules.d;
    if (format != LogFormat::WebAccess || !compiled.compiled)
        return;
    const ClassPlan &plan = compiled.plans.at(int(SourceClass::Webserver));
    if (plan.candidateCount == 0) {
        d->mode = Private::Mode::RejectAll;
        return;
    }
    if (!plan.unconditional.isEmpty() || !plan.prefilter)
        return;
    if (d->build(compiled, plan))
        d->mode = Private::Mode::Screen;
}

LineScreen::~LineScreen() = default;

bool LineScreen::active() const
{
    return d->mode != Private::Mode::PassAll;
}

bool LineScreen::mayMatch(QByteArrayView line)
{
    switch (d->mode) {
    case Private::Mode::PassAll:
        return true;
    case Private::Mode::RejectAll:
        return false;
    case Private::Mode::Screen:
        break;
    }
    if (!plainAscii(line))
        return true;
    d->startHits();
    if (d->lineDatabase) {
        hs_scan(d->lineDatabase, line.data(), unsigned(line.size()), 0, d->scratch, onLineMatch,
                &d->hits);
    }
    if (!d->anyCandidate())
        return false;
    return d->fieldsMayMatch(line);
}

} // namespace portcullis::sigma
