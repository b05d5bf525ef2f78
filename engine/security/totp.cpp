// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/totp.h"

#include "security/cryptoutil.h"

#include <QUrl>
#include <QtEndian>

namespace portcullis::totp {

QString hotp(const QByteArray &key, quint64 counter, int digitCount)
{
    char message[8];
    qToBigEndian<quint64>(counter, message);
    const QByteArray mac = crypto::hmacSha1(key, QByteArray(message, 8));

    // Dynamic truncation, RFC 4226 section 5.3.
    const int offset = mac.at(mac.size() - 1) & 0x0f;
    const quint32 binary = (quint32(quint8(mac.at(offset)) & 0x7f) << 24)
        | (quint32(quint8(mac.at(offset + 1))) << 16) | (quint32(quint8(mac.at(offset + 2))) << 8)
        | quint32(quint8(mac.at(offset + 3)));
    quint64 modulus = 1;
    for (int i = 0; i < digitCount; ++i)
        modulus *= 10;
    return QString::number(binary % modulus).rightJustified(digitCount, QLatin1Char('0'));
}

QString code(const QByteArray &key, qint64 unixSeconds, int digitCount)
{
    return hotp(key, static_cast<quint64>(unixSeconds / stepSeconds), digitCount);
}

std::optional<qint64> verify(const QByteArray &key, const QString &code, qint64 unixSeconds,
                             qint64 lastUsedStep)
{
    const QString trimmed = code.trimmed().remove(QLatin1Char(' '));
    if (trimmed.size() != digits)
        return std::nullopt;
    const qint64 current = unixSeconds / stepSeconds;
    for (qint64 step = current - 1; step <= current + 1; ++step) {
        if (step <= lastUsedStep)
            continue;
        const QByteArray expected = hotp(key, static_cast<quint64>(step)).toLatin1();
        if (crypto::constantTimeEquals(expected, trimmed.toLatin1()))
            return step;
    }
    return std::nullopt;
}

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

QString base32Encode(const QByteArray &data)
{
    QString out;
    quint32 buffer = 0;
    int bits = 0;
    for (char byte : data) {
        buffer = (buffer << 8) | quint8(byte);
        bits += 8;
        while (bits >= 5) {
            out.append(QLatin1Char(alphabet[(buffer >> (bits - 5)) & 0x1f]));
            bits -= 5;
        }
    }
    if (bits > 0)
        out.append(QLatin1Char(alphabet[(buffer << (5 - bits)) & 0x1f]));
    return out;
}

std::optional<QByteArray> base32Decode(const QString &text)
{
    QByteArray out;
    quint32 buffer = 0;
    int bits = 0;
    for (QChar ch : text) {
        if (ch == QLatin1Char(' ') || ch == QLatin1Char('=') || ch == QLatin1Char('-'))
            continue;
        const char upper = ch.toUpper().toLatin1();
        const char *found = upper ? strchr(alphabet, upper) : nullptr;
        if (!found)
            return std::nullopt;
        buffer = (buffer << 5) | quint32(found - alphabet);
        bits += 5;
        if (bits >= 8) {
            out.append(char((buffer >> (bits - 8)) & 0xff));
            bits -= 8;
        }
    }
    return out;
}

QString provisioningUri(const QString &issuer, const QString &account, const QByteArray &key)
{
    const QString label = QString::fromLatin1(QUrl::toPercentEncoding(issuer)) + QLatin1Char(':')
        + QString::fromLatin1(QUrl::toPercentEncoding(account));
    return QStringLiteral("otpauth://totp/%1?secret=%2&issuer=%3&algorithm=SHA1&digits=%4"
                          "&period=%5")
        .arg(label, base32Encode(key), QString::fromLatin1(QUrl::toPercentEncoding(issuer)))
        .arg(digits)
        .arg(stepSeconds);
}

} // namespace portcullis::totp
