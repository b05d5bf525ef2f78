// SPDX-License-Identifier: GPL-3.0-or-later
// HTTPS between the client and the stand-in: a self-signed certificate made
// with the openssl command is refused against the system store, accepted with
// its key pinned or its file trusted as a CA, and a wrong pin is refused.
#include "telemetrytestutil.h"

#include "ingest/connectiontls.h"
#include "ingest/telemetrypipeline.h"
#include "store/store.h"

#include <QProcess>
#include <QSslCertificate>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace portcullis;
using namespace portcullis::sim;
using namespace portcullis::telemetrytest;

class TestTelemetryTls : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pinMatchesOpenssl();
    void selfSignedRefused();
    void pinnedAccepted();
    void caFileAccepted();
    void wrongPinRefused();

private:
    bool openssl(const QStringList &arguments, const QByteArray &input, QByteArray *output);
    // Runs a client against the HTTPS stand-in until it stores events or stops.
    BackendState follow(BackendSettings settings, qint64 *stored);

    QTemporaryDir m_dir;
    QString m_cert;
    QString m_key;
    QByteArray m_pin;
    std::unique_ptr<SimServer> m_server;
};

bool TestTelemetryTls::openssl(
    const QStringList &arguments, const QByteArray &input, QByteArray *output)
{
    QProcess process;
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForStarted(10000))
        return false;
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000) || process.exitCode() != 0) {
        qWarning() << "openssl" << arguments << process.readAllStandardError();
        return false;
    }
    if (output)
        *output = process.readAllStandardOutput();
    return true;
}

void TestTelemetryTls::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
        QSKIP("The openssl command is missing; install the openssl package.");
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt has no TLS backend here.");
    QVERIFY(m_dir.isValid());
    m_cert = m_dir.filePath(QStringLiteral("cert.pem"));
    m_key = m_dir.filePath(QStringLiteral("key.pem"));
    QVERIFY(openssl({ QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                        QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                        QStringLiteral("-keyout"), m_key, QStringLiteral("-out"), m_cert,
                        QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                        QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                        QStringLiteral("subjectAltName=IP:127.0.0.1") },
        QByteArray(), nullptr));

    // The pin as the documented openssl pipeline computes it.
    QByteArray publicPem;
    QByteArray der;
    QByteArray digest;
    QVERIFY(openssl({ QStringLiteral("x509"), QStringLiteral("-in"), m_cert,
                        QStringLiteral("-pubkey"), QStringLiteral("-noout") },
        QByteArray(), &publicPem));
    QVERIFY(openssl({ QStringLiteral("pkey"), QStringLiteral("-pubin"), QStringLiteral("-outform"),
                        QStringLiteral("der") },
        publicPem, &der));
    QVERIFY(openssl(
        { QStringLiteral("dgst"), QStringLiteral("-sha256"), QStringLiteral("-binary") }, der,
        &digest));
    QCOMPARE(digest.size(), 32);
    m_pin = digest;

    SimOptions options = simOptions();
    options.tlsCertificateFile = m_cert;
    options.tlsKeyFile = m_key;
    m_server = std::make_unique<SimServer>(options);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    QCOMPARE(m_server->baseUrl().scheme(), QStringLiteral("https"));
    QVERIFY(m_server->fastForward(300) > 0);
}

void TestTelemetryTls::pinMatchesOpenssl()
{
    const QList<QSslCertificate> certs = QSslCertificate::fromPath(m_cert);
    QCOMPARE(certs.size(), 1);
    QCOMPARE(publicKeyPin(certs.first()).toHex(), m_pin.toHex());
}

BackendState TestTelemetryTls::follow(BackendSettings settings, qint64 *stored)
{
    QTemporaryDir dir;
    Store store;
    QString error;
    if (!store.open(dir.filePath(QStringLiteral("console.db")), &error))
        qFatal("%s", qPrintable(error));
    TelemetryPipeline pipeline(store, settings.name, settings.baseUrl);
    if (!pipeline.open(&error))
        qFatal("%s", qPrintable(error));
    BackendClient client(settings);
    pipeline.attach(&client);
    client.start(pipeline.cursor());
    waitFor([&] {
        return client.state().kind == BackendState::Error || pipeline.counters().stored >= 300;
    });
    *stored = pipeline.counters().stored;
    const BackendState state = client.state();
    client.stop();
    return state;
}

void TestTelemetryTls::selfSignedRefused()
{
    qint64 stored = -1;
    const BackendState state
        = follow(settingsFor(QStringLiteral("tls"), m_server->baseUrl(), m_server->token()),
            &stored);
    QCOMPARE(state.kind, BackendState::Error);
    QCOMPARE(stored, 0);
    QVERIFY2(state.reason.contains(QLatin1String("127.0.0.1")), qPrintable(state.reason));
    QVERIFY2(state.reason.contains(QLatin1String("not trusted")), qPrintable(state.reason));
    QVERIFY2(state.reason.contains(QLatin1String("self-signed"), Qt::CaseInsensitive),
        qPrintable(state.reason));
}

void TestTelemetryTls::pinnedAccepted()
{
    BackendSettings settings
        = settingsFor(QStringLiteral("tls"), m_server->baseUrl(), m_server->token());
    settings.pinnedKeys = { m_pin };
    qint64 stored = 0;
    const BackendState state = follow(settings, &stored);
    QVERIFY2(state.kind != BackendState::Error, qPrintable(state.reason));
    QCOMPARE(stored, 300);
}

void TestTelemetryTls::caFileAccepted()
{
    BackendSettings settings
        = settingsFor(QStringLiteral("tls"), m_server->baseUrl(), m_server->token());
    settings.caFile = m_cert;
    qint64 stored = 0;
    const BackendState state = follow(settings, &stored);
    QVERIFY2(state.kind != BackendState::Error, qPrintable(state.reason));
    QCOMPARE(stored, 300);
}

void TestTelemetryTls::wrongPinRefused()
{
    for (const bool trusted : { false, true }) {
        BackendSettings settings
            = settingsFor(QStringLiteral("tls"), m_server->baseUrl(), m_server->token());
        QByteArray wrong = m_pin;
        wrong[0] = char(wrong[0] ^ 0x01);
        settings.pinnedKeys = { wrong };
        if (trusted)
            settings.caFile = m_cert;  // trusted, but the key is not the pinned one
        qint64 stored = -1;
        const BackendState state = follow(settings, &stored);
        QCOMPARE(state.kind, BackendState::Error);
        QCOMPARE(stored, 0);
        QVERIFY2(state.reason.contains(QLatin1String("matches none of the pinned keys")),
            qPrintable(state.reason));
        QVERIFY2(state.reason.contains(QString::fromLatin1(m_pin.toHex())),
            qPrintable(state.reason));
    }
}

QTEST_GUILESS_MAIN(TestTelemetryTls)
#include "tst_telemetrytls.moc"
