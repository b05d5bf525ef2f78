// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace portcullis::totp {

constexpr int stepSeconds = 30;
constexpr int digits = 6;

// HOTP (RFC 4226) with HMAC-SHA1, truncated to `digitCount` decimal digits.
QString hotp(const QByteArray &key, quint64 counter, int digitCount = digits);

// TOTP (RFC 6238): HOTP over floor(unixSeconds / 30).
QString code(const QByteArray &key, qint64 unixSeconds, int digitCount = digits);

// Accepts a 6-digit code for the current step or one step either side.
// Returns the matched step, or nothing when the code is wrong or its step is
// not after `lastUsedStep` (a code is accepted once).
std::optional<qint64> verify(const QByteArray &key, const QString &code, qint64 unixSeconds,
                             qint64 lastUsedStep);

// RFC 4648 base32 without padding, upper case; decoding ignores spaces,
// padding and case.
QString base32Encode(const QByteArray &data);
std::optional<QByteArray> base32Decode(const QString &text);

// The otpauth:// URI that authenticator apps read from the enrolment QR code.
QString provisioningUri(const QString &issuer, const QString &account, const QByteArray &key);

} // namespace portcullis::totp
