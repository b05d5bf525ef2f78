// SPDX-License-Identifier: GPL-3.0-or-later
// The QtKeychain backend of SecretStore and the choice between backends.
#include "security/secretstore.h"

#include "core/logging.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QEventLoop>

#include <qt6keychain/keychain.h>

namespace portcullis {

static QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::SecretStore", text);
}

static const QString serviceName = QStringLiteral("portcullis");
static const QString secretServiceBus = QStringLiteral("org.freedesktop.secrets");

bool keychainAvailable()
{
    if (qEnvironmentVariable("PORTCULLIS_SECRET_BACKEND") == QLatin1String("file"))
        return false;
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected() || !bus.interface())
        return false;
    if (bus.interface()->isServiceRegistered(secretServiceBus).value())
        return true;
    const QStringList activatable = bus.interface()->activatableServiceNames().value();
    return activatable.contains(secretServiceBus);
}

namespace {

// Runs a QtKeychain job to completion in a local event loop.
void runJob(QKeychain::Job &job)
{
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.setAutoDelete(false);
    job.start();
    loop.exec();
}

class KeychainSecretStore : public SecretStore
{
public:
    QString backendName() const override { return tr("system keychain (Secret Service)"); }
    bool isKeychain() const override { return true; }

    bool write(const QString &name, const QByteArray &secret, QString *errorMessage) override
    {
        QKeychain::WritePasswordJob job(serviceName);
        job.setInsecureFallback(false);
        job.setKey(name);
        job.setBinaryData(secret);
        runJob(job);
        return check(job, errorMessage);
    }

    std::optional<QByteArray> read(const QString &name, QString *errorMessage) override
    {
        QKeychain::ReadPasswordJob job(serviceName);
        job.setInsecureFallback(false);
        job.setKey(name);
        runJob(job);
        if (!check(job, errorMessage))
            return std::nullopt;
        return job.binaryData();
    }

    bool remove(const QString &name, QString *errorMessage) override
    {
        QKeychain::DeletePasswordJob job(serviceName);
        job.setInsecureFallback(false);
        job.setKey(name);
        runJob(job);
        return check(job, errorMessage);
    }

private:
    static bool check(const QKeychain::Job &job, QString *errorMessage)
    {
        if (job.error() == QKeychain::NoError)
            return true;
        if (errorMessage)
            *errorMessage = tr("System keychain: %1").arg(job.errorString());
        return false;
    }
};

} // namespace

std::unique_ptr<SecretStore> openSecretStore(const QString &fallbackPath,
                                             const std::function<QString()> &passphrase,
                                             QString *errorMessage)
{
    if (keychainAvailable()) {
        qCInfo(lcSecurity) << "Secrets go to the system keychain";
        return std::make_unique<KeychainSecretStore>();
    }
    qCInfo(lcSecurity) << "No Secret Service; secrets go to the encrypted file" << fallbackPath;
    return EncryptedFileSecretStore::open(fallbackPath, passphrase(), errorMessage);
}

} // namespace portcullis
