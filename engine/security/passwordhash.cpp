// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/passwordhash.h"

#include "core/logging.h"
#include "security/cryptoutil.h"

#include <openssl/evp.h>

namespace portcullis {

static constexpr int saltSize = 16;
static constexpr int hashSize = 32;

bool ScryptParams::operator<(const ScryptParams &other) const
{
    return n < other.n || r < other.r || p < other.p;
}

bool ScryptParams::isValid() const
{
    const bool powerOfTwo = n >= 2 && (n & (n - 1)) == 0;
    return powerOfTwo && r >= 1 && p >= 1 && n <= (1ULL << 22) && r <= 32 && p <= 16;
}

static QByteArray deriveScrypt(const QByteArray &password, const QByteArray &salt,
                               const ScryptParams &params)
{
    if (!params.isValid())
        return QByteArray();
    // scrypt needs 128 * r * N bytes for V plus 128 * r * p for B; allow
    // both with room to spare, since OpenSSL's default cap is 32 MiB.
    const quint64 maxMemory = 128ULL * params.r * (params.n + params.p + 2) + (1ULL << 20);
    QByteArray key(hashSize, Qt::Uninitialized);
    const int ok = EVP_PBE_scrypt(password.constData(), static_cast<size_t>(password.size()),
                                  reinterpret_cast<const unsigned char *>(salt.constData()),
                                  static_cast<size_t>(salt.size()), params.n, params.r, params.p,
                                  maxMemory, reinterpret_cast<unsigned char *>(key.data()),
                                  static_cast<size_t>(key.size()));
    if (ok != 1) {
        qCWarning(lcSecurity) << "EVP_PBE_scrypt failed with N" << params.n << "r" << params.r
                              << "p" << params.p;
        return QByteArray();
    }
    return key;
}

QByteArray scryptDerive(const QByteArray &password, const QByteArray &salt,
                        const ScryptParams &params)
{
    return deriveScrypt(password, salt, params);
}

PasswordHash hashPassword(const QByteArray &password, const ScryptParams &params)
{
    PasswordHash result;
    result.params = params;
    result.salt = crypto::randomBytes(saltSize);
    result.hash = deriveScrypt(password, result.salt, params);
    return result;
}

bool verifyPassword(const QByteArray &password, const PasswordHash &stored)
{
    if (stored.hash.size() != hashSize || stored.salt.isEmpty())
        return false;
    QByteArray computed = deriveScrypt(password, stored.salt, stored.params);
    const bool equal = crypto::constantTimeEquals(computed, stored.hash);
    crypto::wipe(computed);
    return equal;
}

} // namespace portcullis
