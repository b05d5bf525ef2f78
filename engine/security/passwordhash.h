// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

namespace portcullis {

// scrypt cost parameters, stored with each hash so that they can be raised
// later: a user whose stored parameters are below the policy's is re-hashed
// at the next successful sign-in.
struct ScryptParams
{
    quint64 n = 1 << 15; // CPU and memory cost, a power of two
    quint32 r = 8;       // block size
    quint32 p = 1;       // parallelism

    bool operator<(const ScryptParams &other) const;
    bool isValid() const;
};

struct PasswordHash
{
    QByteArray salt; // 16 random bytes per hash
    QByteArray hash; // 32 bytes of scrypt output
    ScryptParams params;
};

// Derives a hash with a fresh random salt (OpenSSL EVP_PBE_scrypt). Returns
// an empty hash when OpenSSL rejects the parameters.
PasswordHash hashPassword(const QByteArray &password, const ScryptParams &params);

// Raw scrypt output of 32 bytes for a given salt, e.g. for an encryption key;
// empty when OpenSSL rejects the parameters.
QByteArray scryptDerive(const QByteArray &password, const QByteArray &salt,
                        const ScryptParams &params);

// Recomputes the hash with the stored salt and parameters and compares it in
// constant time.
bool verifyPassword(const QByteArray &password, const PasswordHash &stored);

} // namespace portcullis
