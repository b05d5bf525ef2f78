// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/connectiontls.h"

#include "ingest/backendclient.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QNetworkReply>
#include <QSslCertificate>
#include <QSslError>
#include <QSslKey>

namespace portcullis {

namespace {

constexpr qint64 MaxCaFileBytes = 4 * 1024 * 1024;

QString tr(const char *text)
{
    return QCoreApplication::translate("BackendClient", text);
}

QSslCertificate peerOf(QNetworkReply *reply, const QList<QSslError> &errors)
{
    QSslCertificate peer = reply->sslConfiguration().peerCertificate();
    for (qsizetype i = 0; peer.isNull() && i < errors.size(); ++i)
        peer = errors[i].certificate();
    return peer;
}

QString pinMismatch(const BackendSettings &settings, const QByteArray &digest)
{
    return tr("the public key of %1 (SHA-256 %2) matches none of the pinned keys. Update the "
              "pins if the backend's key changed on purpose.")
        .arg(settings.baseUrl.host(), QString::fromLatin1(digest.toHex()));
}

void refuse(QNetworkReply *reply, QObject *context,
    const std::function<void(const QString &)> &refused, const QString &reason)
{
    reply->disconnect(context);
    reply->abort();
    refused(reason);
}

} // namespace

QByteArray publicKeyPin(const QSslCertificate &certificate)
{
    // With the OpenSSL backend, toDer() of a public key is the DER
    // SubjectPublicKeyInfo; the TLS test checks it against the openssl command.
    return QCryptographicHash::hash(certificate.publicKey().toDer(), QCryptographicHash::Sha256);
}

bool tlsConfiguration(
    const BackendSettings &settings, QSslConfiguration *configuration, QString *errorMessage)
{
    *configuration = QSslConfiguration::defaultConfiguration();
    if (settings.caFile.isEmpty())
        return true;
    QFile file(settings.caFile);
    if (!file.open(QIODevice::ReadOnly)) {
        *errorMessage = tr("cannot read the CA file %1 of %2: %3")
                            .arg(settings.caFile, settings.name, file.errorString());
        return false;
    }
    const QList<QSslCertificate> certificates
        = QSslCertificate::fromData(file.read(MaxCaFileBytes), QSsl::Pem);
    if (certificates.isEmpty()) {
        *errorMessage = tr("the CA file %1 of %2 holds no PEM certificate")
                            .arg(settings.caFile, settings.name);
        return false;
    }
    configuration->addCaCertificates(certificates);
    return true;
}

void guardTls(QNetworkReply *reply, const BackendSettings &settings, QObject *context,
    const std::function<void(const QString &)> &refused)
{
    QObject::connect(reply, &QNetworkReply::sslErrors, context,
        [reply, settings, context, refused](const QList<QSslError> &errors) {
            const QSslCertificate peer = peerOf(reply, errors);
            const QByteArray digest = peer.isNull() ? QByteArray() : publicKeyPin(peer);
            if (!settings.pinnedKeys.isEmpty() && settings.pinnedKeys.contains(digest)) {
                reply->ignoreSslErrors(errors);  // the pinned key vouches for the peer
                return;
            }
            if (!settings.pinnedKeys.isEmpty()) {
                refuse(reply, context, refused, pinMismatch(settings, digest));
                return;
            }
            QStringList texts;
            for (const QSslError &error : errors)
                texts << error.errorString();
            refuse(reply, context, refused,
                tr("the certificate of %1 is not trusted: %2. Install a certificate the system "
                   "trusts on the backend, name its CA with --ca-file, or pin its key with "
                   "--pin.")
                    .arg(settings.baseUrl.host(), texts.join(QLatin1String("; "))));
        });
    QObject::connect(reply, &QNetworkReply::encrypted, context, [reply, settings, context,
                                                                    refused] {
        if (settings.pinnedKeys.isEmpty())
            return;
        const QByteArray digest = publicKeyPin(reply->sslConfiguration().peerCertificate());
        if (!settings.pinnedKeys.contains(digest))
            refuse(reply, context, refused, pinMismatch(settings, digest));
    });
}

} // namespace portcullis
