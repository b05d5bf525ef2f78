// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace portcullis {

// Storage for backend tokens and signing keys: the system keychain through
// QtKeychain when a Secret Service is running, otherwise an encrypted file.
class SecretStore
{
public:
    virtual ~SecretStore() = default;

    // Names the backend for the console to show, e.g. "system keychain
    // (Secret Service)" or "encrypted file /path (AES-256-GCM, scrypt)".
    virtual QString backendName() const = 0;
    virtual bool isKeychain() const = 0;

    virtual bool write(const QString &name, const QByteArray &secret, QString *errorMessage) = 0;
    // Nothing when the secret does not exist or cannot be read (errorMessage names the reason).
    virtual std::optional<QByteArray> read(const QString &name, QString *errorMessage) = 0;
    virtual bool remove(const QString &name, QString *errorMessage) = 0;
};

// The fallback: one JSON file (mode 0600) whose entries are each encrypted
// with AES-256-GCM (a fresh 96-bit nonce per write, the entry name as
// associated data) under a key derived with scrypt from a passphrase. A check
// entry makes a wrong passphrase fail at open().
class EncryptedFileSecretStore : public SecretStore
{
public:
    // A new file needs a passphrase of at least this many characters; an
    // empty passphrase is refused for any file.
    static constexpr int minimumNewPassphraseLength = 8;

    // Opens the file, or creates it when it does not exist.
    static std::unique_ptr<EncryptedFileSecretStore> open(const QString &path,
                                                          const QString &passphrase,
                                                          QString *errorMessage);
    ~EncryptedFileSecretStore() override;

    QString backendName() const override;
    bool isKeychain() const override { return false; }
    bool write(const QString &name, const QByteArray &secret, QString *errorMessage) override;
    std::optional<QByteArray> read(const QString &name, QString *errorMessage) override;
    bool remove(const QString &name, QString *errorMessage) override;

private:
    EncryptedFileSecretStore() = default;
    bool save(QString *errorMessage);

    QString m_path;
    QByteArray m_key;
    QByteArray m_document; // the file's JSON
};

// True when a Secret Service responds on the session D-Bus and the
// environment variable PORTCULLIS_SECRET_BACKEND is not "file".
bool keychainAvailable();

// Opens the keychain store when available, else the encrypted file at
// `fallbackPath`, asking `passphrase()` for its passphrase only then.
std::unique_ptr<SecretStore> openSecretStore(const QString &fallbackPath,
                                             const std::function<QString()> &passphrase,
                                             QString *errorMessage);

} // namespace portcullis
