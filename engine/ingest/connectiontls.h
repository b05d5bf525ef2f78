// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QSslConfiguration>
#include <QString>

#include <functional>

class QNetworkReply;
class QObject;
class QSslCertificate;

namespace portcullis {

struct BackendSettings;

// The SHA-256 of a certificate's SubjectPublicKeyInfo (DER), the value a
// backend pin holds: `openssl x509 -pubkey -noout | openssl pkey -pubin
// -outform der | openssl dgst -sha256` prints it in hex.
QByteArray publicKeyPin(const QSslCertificate &certificate);

// The TLS configuration of a connection: the system store plus the PEM
// certificates of settings.caFile. Returns false with a message when the
// file cannot be read or contains no certificate.
bool tlsConfiguration(const BackendSettings &settings, QSslConfiguration *configuration,
    QString *errorMessage);

// Watches a reply's handshake. A certificate that the trusted store refuses is
// accepted only when its key matches one of settings.pinnedKeys; with pins
// set, a trusted certificate whose key matches none is refused too. A refused
// reply is aborted and `refused` gets the reason, naming the host.
void guardTls(QNetworkReply *reply, const BackendSettings &settings, QObject *context,
    const std::function<void(const QString &)> &refused);

} // namespace portcullis
