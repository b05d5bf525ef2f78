// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/cryptoutil.h"

#include <QDateTime>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace portcullis::crypto {

static std::atomic<qint64> clockOffsetMs{0};

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), count) != 1) {
        std::fputs("portcullis: OpenSSL RAND_bytes failed; refusing to continue\n", stderr);
        std::abort();
    }
    return bytes;
}

QByteArray sha256(const QByteArray &data)
{
    QByteArray digest(32, Qt::Uninitialized);
    unsigned int size = 0;
    EVP_Digest(data.constData(), static_cast<size_t>(data.size()),
               reinterpret_cast<unsigned char *>(digest.data()), &size, EVP_sha256(), nullptr);
    return digest;
}

QByteArray hmacSha1(const QByteArray &key, const QByteArray &message)
{
    QByteArray mac(20, Qt::Uninitialized);
    unsigned int size = 0;
    HMAC(EVP_sha1(), key.constData(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char *>(message.constData()),
         static_cast<size_t>(message.size()), reinterpret_cast<unsigned char *>(mac.data()), &size);
    mac.resize(static_cast<int>(size));
    return mac;
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(a.constData(), b.constData(), static_cast<size_t>(a.size())) == 0;
}

void wipe(QByteArray &data)
{
    if (!data.isEmpty())
        OPENSSL_cleanse(data.data(), static_cast<size_t>(data.size()));
    data.clear();
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch() + clockOffsetMs.load();
}

void setClockOffsetForTesting(qint64 offsetMs)
{
    clockOffsetMs.store(offsetMs);
}

} // namespace portcullis::crypto
