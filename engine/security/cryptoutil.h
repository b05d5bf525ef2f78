// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

namespace portcullis::crypto {

// Cryptographically secure random bytes from OpenSSL's RAND_bytes. Aborts
// the process when the generator fails, because no caller can continue safely.
QByteArray randomBytes(int count);

QByteArray sha256(const QByteArray &data);
QByteArray hmacSha1(const QByteArray &key, const QByteArray &message);

// Constant-time comparison (CRYPTO_memcmp); false when the sizes differ.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

// Overwrites the buffer's bytes (OPENSSL_cleanse) before it is released.
void wipe(QByteArray &data);

// The current time in milliseconds since the Unix epoch, UTC. Tests shift it
// with setClockOffsetForTesting() to reach lockout expiry and TOTP steps.
qint64 nowMs();
void setClockOffsetForTesting(qint64 offsetMs);

} // namespace portcullis::crypto
