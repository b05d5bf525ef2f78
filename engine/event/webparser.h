// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event/logparser.h"
#include "event/parsertext.h"

namespace portcullis {

// The fields of one access log line as byte ranges of the line, found
// without decoding anything. WebAccessParser builds its events from them, and
// the Sigma line screen (sigma/sigmascreen.h) reads them before a line is
// parsed.
struct AccessLineSpans
{
    QByteArrayView line;      // the line without a trailing carriage return
    QByteArrayView time;      // between the brackets
    QByteArrayView head;      // "[VHOST ]CLIENT IDENT USER" before the time
    QByteArrayView request;   // between the request's quotes
    QByteArrayView status;
    QByteArrayView bytes;
    QByteArrayView referrer;  // between its quotes; empty when absent
    QByteArrayView agent;     // between its quotes; empty when absent
    bool hasReferrer = false;
    bool hasAgent = false;
};

// Finds the fields of `line`. False when the line lacks the brackets and
// quotes of an access log line; the parser then rejects it. A true result
// does not check the time or the client address.
bool splitAccessLine(QByteArrayView line, AccessLineSpans *spans);

// The parts of a request line ("GET /path?q HTTP/1.1") as ranges of it.
// When the text is no request line (no method and space first), `url` is the
// whole text and `method` is empty. `path` is the URL without its scheme,
// host, query and fragment.
struct RequestSpans
{
    QByteArrayView method;
    QByteArrayView url;
    QByteArrayView version;  // after "HTTP/", or empty
    QByteArrayView path;
    bool hasVersion = false;
    bool isRequestLine = false;
};
RequestSpans splitRequest(QByteArrayView request);

// Apache and nginx access logs in the common and combined formats, with an
// optional leading virtual host ("vhost_combined"). Tolerates what real
// servers write for broken clients: lowercase or missing methods, request
// lines without a protocol, "-" requests, quotes inside quoted fields and
// bytes that are not UTF-8.
class WebAccessParser final : public LogParser
{
public:
    explicit WebAccessParser(const ParserOptions &options);

    LogFormat format() const override { return LogFormat::WebAccess; }
    bool parseLine(QByteArrayView line, const LineInfo &info, std::vector<Event> &out) override;

private:
    // The decoded texts of a quoted field by their bytes, because referrers
    // and user agents repeat, most often on consecutive lines (one client's
    // requests). Cleared when it reaches MaxEntries.
    struct RepeatedField
    {
        static constexpr int MaxEntries = 4096;

        QHash<QByteArray, QString> texts;
        QByteArray lastBytes;  // shares its data with the key in `texts`
        QString lastText;
        bool set = false;

        QString decode(QByteArrayView field);
    };

    // The day part of the previous timestamp ("dd/Mon/yyyy" and the zone)
    // and its UTC start in seconds, because consecutive lines mostly share
    // a day and only the time of day has to be parsed.
    struct DayCache
    {
        char key[16] = {};
        qint64 dayStartSeconds = 0;
        bool set = false;
    };

    // The fields that a request line ("GET /path HTTP/1.1") gives an event.
    struct RequestFields
    {
        QString method;
        QString url;
        QVariantMap extra;  // http.version and url.path, when present
    };

    bool parseTime(QByteArrayView s, qint64 *utcMs);
    RequestFields parseRequest(QByteArrayView request);
    void setRequest(Event &event, QByteArrayView request);

    ParserOptions m_options;
    text::Interner m_strings;
    text::AddressCache m_addresses;
    // Parsed request lines by their bytes. A site serves few distinct URLs,
    // so most request lines repeat, and their events then share the strings
    // and the extra map. Cleared when it reaches MaxRequests.
    static constexpr int MaxRequests = 4096;
    QHash<QByteArray, RequestFields> m_requests;
    RepeatedField m_referrer;
    RepeatedField m_userAgent;
    DayCache m_day;
};

// Parses "[dd/Mon/yyyy:HH:MM:SS +zzzz]" content (without brackets) to UTC ms.
bool parseAccessLogTime(QByteArrayView s, qint64 *utcMs);

} // namespace portcullis
