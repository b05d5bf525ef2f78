// SPDX-License-Identifier: GPL-3.0-or-later
#include "sigma/sigmafields.h"

#include "sigma/sigmavalue.h"

#include <QDateTime>

#include <array>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif

namespace portcullis::sigma {

namespace {

struct NameMapping
{
    const char *name;
    const char *target;
};

// Sigma and W3C field names and the ECS field each maps to. docs/sigma.md
// carries the same table; keep them together.
constexpr std::array<NameMapping, 44> nameMappings { {
    // W3C extended log format names from the Sigma webserver taxonomy.
    { "c-ip", "source.ip" },
    { "cs-method", "http.request.method" },
    { "cs-uri-stem", "url.path" },
    { "cs-uri-query", "url.original" },  // rule authors put whole paths here
    { "cs-uri", "url.original" },
    { "c-uri", "url.original" },
    { "cs-user-agent", "user_agent.original" },
    { "c-useragent", "user_agent.original" },
    { "cs(user-agent)", "user_agent.original" },
    { "sc-status", "http.response.status_code" },
    { "cs-referrer", "http.request.referrer" },
    { "cs-referer", "http.request.referrer" },
    { "cs(referer)", "http.request.referrer" },
    { "cs-host", "url.domain" },
    { "cs(host)", "url.domain" },
    { "cs-username", "user.name" },
    { "sc-bytes", "http.response.body.bytes" },
    { "cs-version", "http.version" },
    { "c-port", "source.port" },
    // Generic Sigma names used across products.
    { "sourceip", "source.ip" },
    { "src_ip", "source.ip" },
    { "ipaddress", "source.ip" },
    { "clientip", "source.ip" },
    { "sourceaddress", "source.ip" },
    { "sourceport", "source.port" },
    { "ipport", "source.port" },
    { "user", "user.name" },
    { "username", "user.name" },
    { "targetusername", "user.name" },
    { "accountname", "user.name" },
    { "hostname", "host.name" },
    { "computername", "host.name" },
    { "computer", "host.name" },
    { "processname", "process.name" },
    { "processid", "process.pid" },
    { "pid", "process.pid" },
    { "useragent", "user_agent.original" },
    { "method", "http.request.method" },
    { "url", "url.original" },
    { "uri", "url.original" },
    { "status", "http.response.status_code" },
    { "referer", "http.request.referrer" },
    { "message", "message" },
    { "msg", "message" },
} };

struct MemberName
{
    const char *name;
    Member member;
};

constexpr std::array<MemberName, 25> memberNames { {
    { "message", Member::Keywords },
    { "@timestamp", Member::Timestamp },
    { "event.id", Member::EventId },
    { "event.category", Member::Category },
    { "event.action", Member::Action },
    { "event.outcome", Member::Outcome },
    { "event.reason", Member::Reason },
    { "source.ip", Member::SourceIp },
    { "source.port", Member::SourcePort },
    { "source.domain", Member::SourceDomain },
    { "user.name", Member::UserName },
    { "host.name", Member::HostName },
    { "process.name", Member::ProcessName },
    { "process.pid", Member::ProcessPid },
    { "service.name", Member::ServiceName },
    { "http.request.method", Member::HttpMethod },
    { "url.original", Member::UrlOriginal },
    { "http.response.status_code", Member::HttpStatus },
    { "http.response.body.bytes", Member::HttpBytes },
    { "http.request.referrer", Member::HttpReferrer },
    { "user_agent.original", Member::UserAgent },
    { "event.original", Member::Original },
    { "log.file.path", Member::FilePath },
    { "log.offset", Member::FileOffset },
    // Not ECS: false on the second log line of one authentication attempt.
    { "event.counts_as_attempt", Member::CountsAsAttempt },
} };

FieldSpec specOf(const QString &target)
{
    for (const MemberName &entry : memberNames) {
        if (target == QLatin1String(entry.name))
            return FieldSpec { entry.member, QString() };
    }
    return FieldSpec { Member::Extra, target };
}

void addText(FieldValue *value, const QString &text)
{
    FieldItem item;
    item.text = text;
    value->state = FieldValue::State::Present;
    value->items.append(std::move(item));
}

void addNumber(FieldValue *value, qint64 number)
{
    FieldItem item;
    item.text = QString::number(number);
    item.hasNumber = true;
    item.number = double(number);
    value->state = FieldValue::State::Present;
    value->items.append(std::move(item));
}

void addVariant(FieldValue *value, const QVariant &variant)
{
    if (!variant.isValid())
        return;
    if (variant.isNull()) {
        if (value->state == FieldValue::State::Absent)
            value->state = FieldValue::State::Null;
        return;
    }
    if (variant.typeId() == QMetaType::QVariantList) {
        const QVariantList list = variant.toList();
        for (const QVariant &element : list)
            addVariant(value, element);
        if (list.isEmpty())
            value->state = FieldValue::State::Present;
        return;
    }
    if (variant.typeId() == QMetaType::Bool) {
        addText(value, variant.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
        return;
    }
    addText(value, variant.toString());
}

void addIfNotEmpty(FieldValue *value, const QString &text)
{
    if (!text.isEmpty())
        addText(value, text);
}

// Returns the index of the first unit `c` in chars[from, end), or `end`.
qsizetype findUnit(const char16_t *chars, qsizetype from, qsizetype end, char16_t c)
{
    qsizetype i = from;
#ifdef __SSE2__
    const __m128i target = _mm_set1_epi16(short(c));
    for (; i + 8 <= end; i += 8) {
        const __m128i units = _mm_loadu_si128(reinterpret_cast<const __m128i *>(chars + i));
        const int mask = _mm_movemask_epi8(_mm_cmpeq_epi16(units, target));
        if (mask != 0)
            return i + qCountTrailingZeroBits(quint32(mask)) / 2;
    }
#endif
    for (; i < end; ++i) {
        if (chars[i] == c)
            return i;
    }
    return end;
}

// The message body of a syslog line: the text after "process[pid]: ", so that
// keywords do not match the timestamp or host of the header.
QStringView messageBodyView(const Event &event)
{
    const QStringView original = event.original;
    const QStringView process = event.processName;
    if (process.isEmpty() || process.size() > original.size())
        return original;
    // These searches find the same positions as QString::indexOf
    // (case-sensitive), which prepares a general search on every call and
    // costs more than the search itself on these short headers.
    const char16_t *chars = original.utf16();
    const qsizetype size = original.size();
    const char16_t first = process.front().unicode();
    const size_t processBytes = size_t(process.size()) * sizeof(char16_t);
    const qsizetype lastStart = size - process.size();
    qsizetype at = findUnit(chars, 0, lastStart + 1, first);
    while (at <= lastStart && std::memcmp(chars + at, process.utf16(), processBytes) != 0)
        at = findUnit(chars, at + 1, lastStart + 1, first);
    if (at > lastStart)
        return original;
    for (qsizetype colon = findUnit(chars, at, size, u':'); colon + 1 < size;
         colon = findUnit(chars, colon + 1, size, u':')) {
        if (chars[colon + 1] == u' ')
            return original.mid(colon + 2);
    }
    return original;
}

QString messageBody(const Event &event)
{
    const QStringView body = messageBodyView(event);
    return body.size() == event.original.size() ? event.original : body.toString();
}

void readMember(const Event &event, Member member, FieldValue *value)
{
    switch (member) {
    case Member::Extra:
        break;
    case Member::Keywords:
        addIfNotEmpty(value, messageBody(event));
        break;
    case Member::Timestamp:
        value->timestampMs = event.timestampMs;
        addText(value, QDateTime::fromMSecsSinceEpoch(event.timestampMs, Qt::UTC)
                           .toString(Qt::ISODateWithMs));
        break;
    case Member::EventId:
        addIfNotEmpty(value, QString::fromUtf8(event.id));
        break;
    case Member::Category:
        if (event.category != EventCategory::Unknown)
            addText(value, categoryName(event.category));
        break;
    case Member::Action:
        addIfNotEmpty(value, event.action);
        break;
    case Member::Outcome:
        if (event.outcome != EventOutcome::Unknown)
            addText(value, outcomeName(event.outcome));
        break;
    case Member::Reason:
        addIfNotEmpty(value, event.reason);
        break;
    case Member::SourceIp:
        addIfNotEmpty(value, event.sourceIp);
        break;
    case Member::SourcePort:
        if (event.sourcePort > 0)
            addNumber(value, event.sourcePort);
        break;
    case Member::SourceDomain:
        addIfNotEmpty(value, event.sourceDomain);
        break;
    case Member::UserName:
        if (event.hasUserName || !event.userName.isEmpty())
            addText(value, event.userName);
        break;
    case Member::HostName:
        addIfNotEmpty(value, event.hostName);
        break;
    case Member::ProcessName:
        addIfNotEmpty(value, event.processName);
        break;
    case Member::ProcessPid:
        if (event.processPid > 0)
            addNumber(value, event.processPid);
        break;
    case Member::ServiceName:
        addIfNotEmpty(value, event.serviceName);
        break;
    case Member::HttpMethod:
        addIfNotEmpty(value, event.httpMethod);
        break;
    case Member::UrlOriginal:
        addIfNotEmpty(value, event.urlOriginal);
        break;
    case Member::HttpStatus:
        if (event.httpStatus > 0)
            addNumber(value, event.httpStatus);
        break;
    case Member::HttpBytes:
        if (event.httpBytes >= 0)
            addNumber(value, event.httpBytes);
        break;
    case Member::HttpReferrer:
        addIfNotEmpty(value, event.httpReferrer);
        break;
    case Member::UserAgent:
        addIfNotEmpty(value, event.userAgent);
        break;
    case Member::Original:
        addIfNotEmpty(value, event.original);
        break;
    case Member::FilePath:
        addIfNotEmpty(value, event.filePath);
        break;
    case Member::FileOffset:
        if (event.fileOffset >= 0)
            addNumber(value, event.fileOffset);
        break;
    case Member::CountsAsAttempt:
        addText(value, event.countsAsAttempt ? QStringLiteral("true") : QStringLiteral("false"));
        break;
    }
}

constexpr int FirstBackendIndex = 4;
constexpr int CategoryCount = int(EventCategory::Configuration) + 1;

struct SourceTuple
{
    QString category;
    QString product;
    QString service;
};

bool fieldAccepts(const QString &ruleValue, const QString &eventValue)
{
    return ruleValue.isEmpty() || ruleValue.compare(eventValue, Qt::CaseInsensitive) == 0;
}

QVector<SourceTuple> tuplesOf(int index)
{
    const QString linux = QStringLiteral("linux");
    switch (index) {
    case int(SourceClass::Webserver):
        return { { QStringLiteral("webserver"), QString(), QString() } };
    case int(SourceClass::LinuxSshd):
        return { { QString(), linux, QStringLiteral("sshd") },
                 { QString(), linux, QStringLiteral("auth") } };
    case int(SourceClass::LinuxAuth):
        return { { QString(), linux, QStringLiteral("auth") } };
    case int(SourceClass::Other):
        return { {} };
    default:
        break;
    }
    const auto category = EventCategory(index - FirstBackendIndex);
    const QString name = category == EventCategory::Unknown ? QString() : categoryName(category);
    return { { name, QStringLiteral("bookedbarber"), QString() } };
}

} // namespace

QByteArrayView FieldItem::addressBytes() const
{
    if (m_addressState == AddressState::Unparsed) {
        switch (parseAddress(text, &m_address)) {
        case 4:
            m_addressState = AddressState::V4;
            break;
        case 16:
            m_addressState = AddressState::V6;
            break;
        default:
            m_addressState = AddressState::Invalid;
            break;
        }
    }
    const auto *bytes = reinterpret_cast<const char *>(m_address.data());
    switch (m_addressState) {
    case AddressState::V4:
        return QByteArrayView(bytes, 4);
    case AddressState::V6:
        return QByteArrayView(bytes, 16);
    default:
        return {};
    }
}

QString foldCase(const QString &text)
{
    // QString::toLower looks every character up in the Unicode tables; most
    // log text is ASCII, which this loop handles without them.
    const char16_t *chars = reinterpret_cast<const char16_t *>(text.utf16());
    bool hasUpper = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (chars[i] >= 0x80)
            return text.toLower();
        hasUpper = hasUpper || (chars[i] >= u'A' && chars[i] <= u'Z');
    }
    if (!hasUpper)
        return text;
    QString folded(text.size(), Qt::Uninitialized);
    char16_t *out = reinterpret_cast<char16_t *>(folded.data());
    for (qsizetype i = 0; i < text.size(); ++i)
        out[i] = chars[i] >= u'A' && chars[i] <= u'Z' ? char16_t(chars[i] + 32) : chars[i];
    return folded;
}

#if defined(__GNUC__) && defined(__x86_64__)
#define PORTCULLIS_FOLD_AVX2 1

namespace {

bool hasAvx2()
{
    static const bool avx2 = __builtin_cpu_supports("avx2");
    return avx2;
}

// foldUtf8's SSE2 block step with AVX2, 32 units at a time, for CPUs that
// have it (checked at run time, the build targets baseline x86-64). Returns
// the number of units folded into `out`: it stops before the first block
// with a unit that is not ASCII.
__attribute__((target("avx2"))) qsizetype foldAsciiAvx2(const char16_t *chars, qsizetype size,
                                                         char *out)
{
    const __m256i highBits = _mm256_set1_epi16(qint16(0xff80));
    const __m256i beforeA = _mm256_set1_epi8('A' - 1);
    const __m256i afterZ = _mm256_set1_epi8('Z' + 1);
    const __m256i caseBit = _mm256_set1_epi8(0x20);
    qsizetype i = 0;
    for (; i + 32 <= size; i += 32) {
        const __m256i low = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(chars + i));
        const __m256i high =
            _mm256_loadu_si256(reinterpret_cast<const __m256i *>(chars + i + 16));
        if (!_mm256_testz_si256(_mm256_or_si256(low, high), highBits))
            break;
        // packus works per 128-bit lane and gives units 0-7, 16-23, 8-15 and
        // 24-31, so the permutation puts the four 8-byte groups back in order.
        const __m256i bytes = _mm256_permute4x64_epi64(_mm256_packus_epi16(low, high), 0xD8);
        const __m256i upper = _mm256_and_si256(_mm256_cmpgt_epi8(bytes, beforeA),
                                               _mm256_cmpgt_epi8(afterZ, bytes));
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(out + i),
                            _mm256_or_si256(bytes, _mm256_and_si256(upper, caseBit)));
    }
    return i;
}

} // namespace
#endif

void foldUtf8(QStringView text, QByteArray *buffer)
{
    const char16_t *chars = reinterpret_cast<const char16_t *>(text.utf16());
    const qsizetype size = text.size();
    buffer->resize(size);
    char *out = buffer->data();
    qsizetype i = 0;
#ifdef __SSE2__
    // Sixteen UTF-16 code units at a time: stop at the first non-ASCII one,
    // narrow to bytes, then add 32 to 'A'..'Z'. Bytes below 0x80 compare
    // alike as signed and unsigned.
    const __m128i highBits = _mm_set1_epi16(qint16(0xff80));
    const __m128i beforeA = _mm_set1_epi8('A' - 1);
    const __m128i afterZ = _mm_set1_epi8('Z' + 1);
    const __m128i caseBit = _mm_set1_epi8(0x20);
    // Folds the 16 units at `at`; false when one of them is not ASCII.
    const auto foldBlock = [&](qsizetype at) {
        const __m128i low = _mm_loadu_si128(reinterpret_cast<const __m128i *>(chars + at));
        const __m128i high = _mm_loadu_si128(reinterpret_cast<const __m128i *>(chars + at + 8));
        const __m128i nonAscii = _mm_and_si128(_mm_or_si128(low, high), highBits);
        if (_mm_movemask_epi8(_mm_cmpeq_epi16(nonAscii, _mm_setzero_si128())) != 0xffff)
            return false;
        const __m128i bytes = _mm_packus_epi16(low, high);
        const __m128i upper
            = _mm_and_si128(_mm_cmpgt_epi8(bytes, beforeA), _mm_cmplt_epi8(bytes, afterZ));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(out + at),
                         _mm_or_si128(bytes, _mm_and_si128(upper, caseBit)));
        return true;
    };
#ifdef PORTCULLIS_FOLD_AVX2
    if (size >= 32 && hasAvx2())
        i = foldAsciiAvx2(chars, size, out);
#endif
    while (i + 16 <= size && foldBlock(i))
        i += 16;
    // The last partial block as the 16 units that end the text, overlapping
    // units already folded, which fold to the same bytes again.
    if (i > 0 && i < size && i + 16 > size && foldBlock(size - 16))
        i = size;
#endif
    for (; i < size; ++i) {
        const char16_t c = chars[i];
        if (c >= 0x80) {
            *buffer = text.toString().toLower().toUtf8();
            return;
        }
        out[i] = char(c >= u'A' && c <= u'Z' ? c + 32 : c);
    }
}

QString mappedFieldName(const QString &name)
{
    const QString lower = name.toLower();
    for (const NameMapping &entry : nameMappings) {
        if (lower == QLatin1String(entry.name))
            return QLatin1String(entry.target);
    }
    return name;
}

int FieldCatalog::intern(const FieldSpec &spec)
{
    const QString key = QString::number(int(spec.member)) + QLatin1Char(':') + spec.extraKey;
    const auto it = m_byTarget.constFind(key);
    if (it != m_byTarget.constEnd())
        return it.value();
    m_specs.append(spec);
    m_byTarget.insert(key, m_specs.size() - 1);
    return m_specs.size() - 1;
}

int FieldCatalog::idOf(const QString &name)
{
    const auto it = m_byName.constFind(name);
    if (it != m_byName.constEnd())
        return it.value();
    const int id = intern(specOf(mappedFieldName(name)));
    m_byName.insert(name, id);
    return id;
}

int FieldCatalog::keywordsId()
{
    return intern(FieldSpec { Member::Keywords, QString() });
}

void FieldCatalog::read(const Event &event, int id, FieldValue *value) const
{
    value->state = FieldValue::State::Absent;
    value->items.clear();
    const FieldSpec &spec = m_specs.at(id);
    if (spec.member == Member::Extra)
        addVariant(value, event.extra.value(spec.extraKey));
    else
        readMember(event, spec.member, value);
}

bool FieldCatalog::directText(const Event &event, int id, QStringView *text) const
{
    const QString *member = nullptr;
    switch (m_specs.at(id).member) {
    case Member::Keywords:
        *text = messageBodyView(event);
        return true;
    case Member::Action:
        member = &event.action;
        break;
    case Member::Reason:
        member = &event.reason;
        break;
    case Member::SourceIp:
        member = &event.sourceIp;
        break;
    case Member::SourceDomain:
        member = &event.sourceDomain;
        break;
    case Member::UserName:
        member = &event.userName;
        break;
    case Member::HostName:
        member = &event.hostName;
        break;
    case Member::ProcessName:
        member = &event.processName;
        break;
    case Member::ServiceName:
        member = &event.serviceName;
        break;
    case Member::HttpMethod:
        member = &event.httpMethod;
        break;
    case Member::UrlOriginal:
        member = &event.urlOriginal;
        break;
    case Member::HttpReferrer:
        member = &event.httpReferrer;
        break;
    case Member::UserAgent:
        member = &event.userAgent;
        break;
    case Member::Original:
        member = &event.original;
        break;
    case Member::FilePath:
        member = &event.filePath;
        break;
    default:
        return false;
    }
    *text = *member;
    return true;
}

bool FieldCatalog::directNumber(const Event &event, int id, qint64 *number) const
{
    // The same presence rules as readMember().
    switch (m_specs.at(id).member) {
    case Member::SourcePort:
        *number = event.sourcePort > 0 ? event.sourcePort : -1;
        return true;
    case Member::ProcessPid:
        *number = event.processPid > 0 ? event.processPid : -1;
        return true;
    case Member::HttpStatus:
        *number = event.httpStatus > 0 ? event.httpStatus : -1;
        return true;
    case Member::HttpBytes:
        *number = event.httpBytes >= 0 ? event.httpBytes : -1;
        return true;
    case Member::FileOffset:
        *number = event.fileOffset >= 0 ? event.fileOffset : -1;
        return true;
    default:
        break;
    }
    return false;
}

namespace {

// processName.startsWith("sshd") without the out-of-line call.
bool startsWithSshd(const QString &processName)
{
    const QChar *chars = processName.constData();
    return processName.size() >= 4 && chars[0] == u's' && chars[1] == u's' && chars[2] == u'h'
           && chars[3] == u'd';
}

} // namespace

int sourceClassIndex(const Event &event)
{
    // Most syslog events have no extra fields, so the map search is skipped.
    const auto module = event.extra.isEmpty()
                            ? event.extra.constEnd()
                            : event.extra.constFind(QStringLiteral("event.module"));
    const bool hasModule = module != event.extra.constEnd();
    if (hasModule && module.value().toString() == QLatin1String("bookedbarber"))
        return FirstBackendIndex + int(event.category);
    if (event.category == EventCategory::Web)
        return int(SourceClass::Webserver);
    if (startsWithSshd(event.processName))
        return int(SourceClass::LinuxSshd);
    if (!event.processName.isEmpty() && !hasModule)
        return int(SourceClass::LinuxAuth);
    return int(SourceClass::Other);
}

int sourceClassCount()
{
    return FirstBackendIndex + CategoryCount;
}

bool logSourceAccepts(const LogSource &logsource, int index)
{
    const QVector<SourceTuple> tuples = tuplesOf(index);
    for (const SourceTuple &tuple : tuples) {
        if (fieldAccepts(logsource.category, tuple.category)
            && fieldAccepts(logsource.product, tuple.product)
            && fieldAccepts(logsource.service, tuple.service))
            return true;
    }
    return false;
}

} // namespace portcullis::sigma
