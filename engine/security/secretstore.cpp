// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/secretstore.h"

#include "core/logging.h"
#include "security/cryptoutil.h"
#include "security/passwordhash.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <openssl/evp.h>

namespace portcullis {

static QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::SecretStore", text);
}

static const char formatTag[] = "portcullis-secrets-v1";
static const char checkName[] = "\x01check";
static constexpr int nonceSize = 12;
static constexpr int tagSize = 16;

static QByteArray aadFor(const QString &name)
{
    return QByteArray("portcullis-secret:") + name.toUtf8();
}

// AES-256-GCM; the result is ciphertext followed by the 16-byte tag.
static QByteArray seal(const QByteArray &key, const QByteArray &nonce, const QByteArray &aad,
                       const QByteArray &plain)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    QByteArray out(plain.size() + tagSize, Qt::Uninitialized);
    auto *buffer = reinterpret_cast<unsigned char *>(out.data());
    int length = 0;
    int total = 0;
    bool ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1
        && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, nonceSize, nullptr) == 1
        && EVP_EncryptInit_ex(ctx, nullptr, nullptr,
                              reinterpret_cast<const unsigned char *>(key.constData()),
                              reinterpret_cast<const unsigned char *>(nonce.constData())) == 1
        && EVP_EncryptUpdate(ctx, nullptr, &length,
                             reinterpret_cast<const unsigned char *>(aad.constData()),
                             int(aad.size())) == 1
        && EVP_EncryptUpdate(ctx, buffer, &length,
                             reinterpret_cast<const unsigned char *>(plain.constData()),
                             int(plain.size())) == 1;
    total = length;
    ok = ok && EVP_EncryptFinal_ex(ctx, buffer + total, &length) == 1;
    total += length;
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, tagSize, buffer + total) == 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok ? out : QByteArray();
}

static std::optional<QByteArray> unseal(const QByteArray &key, const QByteArray &nonce,
                                      const QByteArray &aad, const QByteArray &sealed)
{
    if (sealed.size() < tagSize || nonce.size() != nonceSize)
        return std::nullopt;
    const int cipherSize = int(sealed.size()) - tagSize;
    QByteArray plain(cipherSize, Qt::Uninitialized);
    auto *buffer = reinterpret_cast<unsigned char *>(plain.data());
    QByteArray tag = sealed.right(tagSize);
    int length = 0;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    bool ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1
        && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, nonceSize, nullptr) == 1
        && EVP_DecryptInit_ex(ctx, nullptr, nullptr,
                              reinterpret_cast<const unsigned char *>(key.constData()),
                              reinterpret_cast<const unsigned char *>(nonce.constData())) == 1
        && EVP_DecryptUpdate(ctx, nullptr, &length,
                             reinterpret_cast<const unsigned char *>(aad.constData()),
                             int(aad.size())) == 1
        && EVP_DecryptUpdate(ctx, buffer, &length,
                             reinterpret_cast<const unsigned char *>(sealed.constData()),
                             cipherSize) == 1
        && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, tagSize, tag.data()) == 1;
    int finalLength = 0;
    ok = ok && EVP_DecryptFinal_ex(ctx, buffer + length, &finalLength) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok) {
        crypto::wipe(plain);
        return std::nullopt;
    }
    return plain;
}

static QByteArray deriveKey(const QString &passphrase, const QByteArray &salt,
                            const ScryptParams &params)
{
    QByteArray utf8 = passphrase.toUtf8();
    const QByteArray key = scryptDerive(utf8, salt, params);
    crypto::wipe(utf8);
    return key;
}

static QJsonObject sealedEntry(const QByteArray &key, const QString &name, const QByteArray &plain)
{
    const QByteArray nonce = crypto::randomBytes(nonceSize);
    return QJsonObject{
        {QStringLiteral("nonce"), QString::fromLatin1(nonce.toBase64())},
        {QStringLiteral("data"),
         QString::fromLatin1(seal(key, nonce, aadFor(name), plain).toBase64())},
    };
}

static std::optional<QByteArray> openEntry(const QByteArray &key, const QString &name,
                                           const QJsonObject &entry)
{
    const QByteArray nonce =
        QByteArray::fromBase64(entry.value(QStringLiteral("nonce")).toString().toLatin1());
    const QByteArray sealed =
        QByteArray::fromBase64(entry.value(QStringLiteral("data")).toString().toLatin1());
    return unseal(key, nonce, aadFor(name), sealed);
}

std::unique_ptr<EncryptedFileSecretStore>
EncryptedFileSecretStore::open(const QString &path, const QString &passphrase,
                               QString *errorMessage)
{
    std::unique_ptr<EncryptedFileSecretStore> store(new EncryptedFileSecretStore);
    store->m_path = path;
    QFile file(path);
    if (passphrase.isEmpty()) {
        if (errorMessage)
            *errorMessage = tr("The passphrase of the secret file %1 is empty; set "
                               "PORTCULLIS_SECRET_PASSPHRASE or type it at the prompt.")
                                .arg(path);
        return nullptr;
    }
    if (!file.exists() && passphrase.size() < minimumNewPassphraseLength) {
        if (errorMessage)
            *errorMessage = tr("The passphrase for the new secret file %1 has %2 characters; "
                               "use at least %3.")
                                .arg(path)
                                .arg(passphrase.size())
                                .arg(minimumNewPassphraseLength);
        return nullptr;
    }
    if (!file.exists()) {
        const ScryptParams params;
        const QByteArray salt = crypto::randomBytes(16);
        store->m_key = deriveKey(passphrase, salt, params);
        const QJsonObject document{
            {QStringLiteral("format"), QLatin1String(formatTag)},
            {QStringLiteral("kdf"),
             QJsonObject{{QStringLiteral("name"), QStringLiteral("scrypt")},
                         {QStringLiteral("salt"), QString::fromLatin1(salt.toBase64())},
                         {QStringLiteral("n"), qint64(params.n)},
                         {QStringLiteral("r"), qint64(params.r)},
                         {QStringLiteral("p"), qint64(params.p)}}},
            {QStringLiteral("check"),
             sealedEntry(store->m_key, QLatin1String(checkName), QByteArray(formatTag))},
            {QStringLiteral("entries"), QJsonObject()},
        };
        store->m_document = QJsonDocument(document).toJson();
        if (!store->save(errorMessage))
            return nullptr;
        qCInfo(lcSecurity) << "Created encrypted secret file" << path;
        return store;
    }

    if (!file.open(QIODevice::ReadOnly)) {
        if (errorMessage)
            *errorMessage = tr("Cannot read the secret file %1: %2").arg(path, file.errorString());
        return nullptr;
    }
    store->m_document = file.readAll();
    const QJsonObject document = QJsonDocument::fromJson(store->m_document).object();
    const QJsonObject kdf = document.value(QStringLiteral("kdf")).toObject();
    ScryptParams params;
    params.n = quint64(kdf.value(QStringLiteral("n")).toInteger());
    params.r = quint32(kdf.value(QStringLiteral("r")).toInteger());
    params.p = quint32(kdf.value(QStringLiteral("p")).toInteger());
    if (document.value(QStringLiteral("format")).toString() != QLatin1String(formatTag)
        || !params.isValid()) {
        if (errorMessage)
            *errorMessage = tr("%1 is not a Portcullis secret file (format %2).")
                                .arg(path, QLatin1String(formatTag));
        return nullptr;
    }
    const QByteArray salt =
        QByteArray::fromBase64(kdf.value(QStringLiteral("salt")).toString().toLatin1());
    store->m_key = deriveKey(passphrase, salt, params);
    const auto check = openEntry(store->m_key, QLatin1String(checkName),
                                 document.value(QStringLiteral("check")).toObject());
    if (!check || *check != formatTag) {
        if (errorMessage)
            *errorMessage = tr("Wrong passphrase for the secret file %1 (or the file was "
                               "altered).")
                                .arg(path);
        return nullptr;
    }
    return store;
}

EncryptedFileSecretStore::~EncryptedFileSecretStore()
{
    crypto::wipe(m_key);
}

QString EncryptedFileSecretStore::backendName() const
{
    return tr("encrypted file %1 (AES-256-GCM, key from scrypt)").arg(m_path);
}

bool EncryptedFileSecretStore::save(QString *errorMessage)
{
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || file.write(m_document) != m_document.size() || !file.commit()) {
        if (errorMessage)
            *errorMessage = tr("Cannot write the secret file %1: %2")
                                .arg(m_path, file.errorString());
        return false;
    }
    return true;
}

bool EncryptedFileSecretStore::write(const QString &name, const QByteArray &secret,
                                     QString *errorMessage)
{
    QJsonObject document = QJsonDocument::fromJson(m_document).object();
    QJsonObject entries = document.value(QStringLiteral("entries")).toObject();
    entries.insert(name, sealedEntry(m_key, name, secret));
    document.insert(QStringLiteral("entries"), entries);
    m_document = QJsonDocument(document).toJson();
    return save(errorMessage);
}

std::optional<QByteArray> EncryptedFileSecretStore::read(const QString &name,
                                                         QString *errorMessage)
{
    const QJsonObject entries =
        QJsonDocument::fromJson(m_document).object().value(QStringLiteral("entries")).toObject();
    if (!entries.contains(name)) {
        if (errorMessage)
            *errorMessage = tr("No secret named %1 in %2.").arg(name, m_path);
        return std::nullopt;
    }
    auto plain = openEntry(m_key, name, entries.value(name).toObject());
    if (!plain && errorMessage)
        *errorMessage = tr("The secret %1 in %2 fails its integrity check; the file was altered.")
                            .arg(name, m_path);
    return plain;
}

bool EncryptedFileSecretStore::remove(const QString &name, QString *errorMessage)
{
    QJsonObject document = QJsonDocument::fromJson(m_document).object();
    QJsonObject entries = document.value(QStringLiteral("entries")).toObject();
    entries.remove(name);
    document.insert(QStringLiteral("entries"), entries);
    m_document = QJsonDocument(document).toJson();
    return save(errorMessage);
}

} // namespace portcullis
