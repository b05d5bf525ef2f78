// SPDX-License-Identifier: GPL-3.0-or-later
#include "detect/suppression.h"

#include <QCoreApplication>

#include <arpa/inet.h>

#include <cstring>

namespace portcullis {

namespace {

constexpr char Context[] = "portcullis::Suppression";

QString tr(const char *text)
{
    return QCoreApplication::translate(Context, text);
}

// Parses an address into 16 bytes; IPv4 (and IPv4-mapped IPv6) into the first four.
bool parseAddress(QStringView text, std::array<quint8, 16> *bytes, bool *v4)
{
    const QByteArray latin = text.trimmed().toLatin1();
    bytes->fill(0);
    if (latin.isEmpty() || latin.size() > 45)
        return false;
    in_addr address4 {};
    if (inet_pton(AF_INET, latin.constData(), &address4) == 1) {
        std::memcpy(bytes->data(), &address4, 4);
        *v4 = true;
        return true;
    }
    in6_addr address6 {};
    if (inet_pton(AF_INET6, latin.constData(), &address6) != 1)
        return false;
    static const quint8 mappedPrefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    if (std::memcmp(&address6, mappedPrefix, 12) == 0) {
        std::memcpy(bytes->data(), reinterpret_cast<const quint8 *>(&address6) + 12, 4);
        *v4 = true;
        return true;
    }
    std::memcpy(bytes->data(), &address6, 16);
    *v4 = false;
    return true;
}

bool prefixMatches(const std::array<quint8, 16> &a, const std::array<quint8, 16> &b, int prefix)
{
    const int whole = prefix / 8;
    if (std::memcmp(a.data(), b.data(), std::size_t(whole)) != 0)
        return false;
    const int bits = prefix % 8;
    if (bits == 0)
        return true;
    const quint8 mask = quint8(0xff << (8 - bits));
    return (a[std::size_t(whole)] & mask) == (b[std::size_t(whole)] & mask);
}

bool isRuleId(const QString &text)
{
    if (text.isEmpty() || text.size() > 128)
        return false;
    for (QChar c : text) {
        if (!(c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_')
                || c == QLatin1Char('.') || c == QLatin1Char(':')))
            return false;
    }
    return true;
}

} // namespace

bool IpNetwork::parse(QStringView text, IpNetwork *network, QString *errorMessage)
{
    const qsizetype slash = text.indexOf(QLatin1Char('/'));
    const QStringView address = slash < 0 ? text : text.first(slash);
    IpNetwork parsed;
    if (!parseAddress(address, &parsed.m_bytes, &parsed.m_v4)) {
        *errorMessage = tr("'%1' is not an IPv4 or IPv6 address; write an address such as "
                           "198.51.100.7 or a range such as 203.0.113.0/24.")
                            .arg(text.toString().left(80));
        return false;
    }
    const int maximum = parsed.m_v4 ? 32 : 128;
    parsed.m_prefix = maximum;
    if (slash >= 0) {
        bool ok = false;
        const int prefix = text.mid(slash + 1).toInt(&ok);
        if (!ok || prefix < 0 || prefix > maximum) {
            *errorMessage = tr("'%1' has an invalid prefix length; use 0 to %2 after the '/'.")
                                .arg(text.toString().left(80))
                                .arg(maximum);
            return false;
        }
        parsed.m_prefix = prefix;
    }
    *network = parsed;
    return true;
}

bool IpNetwork::contains(QStringView address) const
{
    std::array<quint8, 16> bytes {};
    bool v4 = false;
    if (!parseAddress(address, &bytes, &v4) || v4 != m_v4)
        return false;
    return prefixMatches(bytes, m_bytes, m_prefix);
}

bool validateSuppression(const Suppression &suppression, QString *errorMessage)
{
    if (suppression.reason.trimmed().isEmpty() || suppression.reason.size() > 1000) {
        *errorMessage = tr("The reason is missing or longer than 1000 characters; say why the "
                           "entry is needed, for the audit trail.");
        return false;
    }
    if (!suppression.ruleId.isEmpty() && !isRuleId(suppression.ruleId)) {
        *errorMessage = tr("'%1' is not a rule id; use the id an alert shows, such as "
                           "web-scanning.")
                            .arg(suppression.ruleId.left(80));
        return false;
    }
    switch (suppression.kind) {
    case SuppressionKind::Source: {
        IpNetwork network;
        return IpNetwork::parse(suppression.value, &network, errorMessage);
    }
    case SuppressionKind::Rule:
        if (!isRuleId(suppression.value)) {
            *errorMessage = tr("'%1' is not a rule id; use the id an alert shows, such as "
                               "web-scanning.")
                                .arg(suppression.value.left(80));
            return false;
        }
        if (!suppression.ruleId.isEmpty()) {
            *errorMessage = tr("A rule entry names its rule as its value; leave the rule "
                               "option empty.");
            return false;
        }
        return true;
    case SuppressionKind::User:
        if (suppression.value.isEmpty() || suppression.value.size() > 256) {
            *errorMessage = tr("The user name is empty or longer than 256 characters.");
            return false;
        }
        return true;
    }
    return false;
}

SuppressionList::SuppressionList(const QVector<Suppression> &entries)
{
    for (const Suppression &suppression : entries) {
        Compiled compiled;
        compiled.suppression = suppression;
        QString error;
        if (suppression.kind == SuppressionKind::Source
            && !IpNetwork::parse(suppression.value, &compiled.network, &error))
            continue;
        m_entries.append(compiled);
    }
}

qint64 SuppressionList::allowedSource(QStringView address, qint64 nowMs) const
{
    if (address.isEmpty())
        return 0;
    for (const Compiled &entry : m_entries) {
        const Suppression &suppression = entry.suppression;
        if (suppression.kind == SuppressionKind::Source && suppression.ruleId.isEmpty()
            && suppression.isActive(nowMs) && entry.network.contains(address))
            return suppression.id;
    }
    return 0;
}

qint64 SuppressionList::suppressingEntry(const Alert &alert, qint64 nowMs) const
{
    const QStringList sources = alert.entities.value(QStringLiteral("source.ip"));
    const QStringList users = alert.entities.value(QStringLiteral("user.name"));
    for (const Compiled &entry : m_entries) {
        const Suppression &suppression = entry.suppression;
        if (!suppression.isActive(nowMs))
            continue;
        if (!suppression.ruleId.isEmpty() && suppression.ruleId != alert.ruleId)
            continue;
        bool matches = false;
        switch (suppression.kind) {
        case SuppressionKind::Rule:
            matches = suppression.value == alert.ruleId;
            break;
        case SuppressionKind::Source:
            matches = !sources.isEmpty()
                && std::all_of(sources.begin(), sources.end(),
                    [&entry](const QString &source) { return entry.network.contains(source); });
            break;
        case SuppressionKind::User:
            matches = !users.isEmpty()
                && std::all_of(users.begin(), users.end(), [&suppression](const QString &user) {
                       return user.compare(suppression.value, Qt::CaseInsensitive) == 0;
                   });
            break;
        }
        if (matches)
            return suppression.id;
    }
    return 0;
}

} // namespace portcullis
