// SPDX-License-Identifier: GPL-3.0-or-later
// The encrypted-file fallback of the secret store (the keychain needs a
// D-Bus Secret Service, which CI does not run).
#include "security/secretstore.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace portcullis;

class SecretStoreTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void roundTrip();
    void wrongPassphraseRejected();
    void fileMode0600();
    void secretNotInFile();
    void tamperedEntryRejected();
    void fallbackChosenWithoutKeychain();
    void emptyOrShortPassphraseRefused();
};

static const QByteArray backendToken("bbk_live_token_8f3a9c1d2e");

void SecretStoreTest::initTestCase()
{
    qputenv("PORTCULLIS_SECRET_BACKEND", "file");
}

void SecretStoreTest::roundTrip()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("secrets.json"));
    QString error;
    {
        auto store = EncryptedFileSecretStore::open(path, QStringLiteral("pass phrase"), &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY(!store->isKeychain());
        QVERIFY(store->backendName().contains(QStringLiteral("AES-256-GCM")));
        QVERIFY(store->write(QStringLiteral("backend/token"), backendToken, &error));
        QVERIFY(store->write(QStringLiteral("signing/key"), QByteArray(32, '\x07'), &error));
    }
    auto reopened = EncryptedFileSecretStore::open(path, QStringLiteral("pass phrase"), &error);
    QVERIFY2(reopened, qPrintable(error));
    QCOMPARE(reopened->read(QStringLiteral("backend/token"), &error).value_or(QByteArray()),
             backendToken);
    QCOMPARE(reopened->read(QStringLiteral("signing/key"), &error).value_or(QByteArray()),
             QByteArray(32, '\x07'));
    QVERIFY(!reopened->read(QStringLiteral("missing"), &error));
    QVERIFY(reopened->remove(QStringLiteral("signing/key"), &error));
    QVERIFY(!reopened->read(QStringLiteral("signing/key"), &error));
}

void SecretStoreTest::wrongPassphraseRejected()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("secrets.json"));
    QString error;
    auto store = EncryptedFileSecretStore::open(path, QStringLiteral("right passphrase"), &error);
    QVERIFY(store);
    QVERIFY(store->write(QStringLiteral("t"), backendToken, &error));
    auto wrong = EncryptedFileSecretStore::open(path, QStringLiteral("wrong passphrase"), &error);
    QVERIFY(!wrong);
    QVERIFY(error.contains(QStringLiteral("Wrong passphrase")));
}

void SecretStoreTest::fileMode0600()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("secrets.json"));
    QString error;
    auto store = EncryptedFileSecretStore::open(path, QStringLiteral("passphrase"), &error);
    QVERIFY(store);
    QVERIFY(store->write(QStringLiteral("t"), backendToken, &error));
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup
        | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
        | QFileDevice::ExeOther;
    QCOMPARE(QFileInfo(path).permissions() & others, QFileDevice::Permissions());
    QVERIFY(QFileInfo(path).permissions() & QFileDevice::ReadOwner);
}

void SecretStoreTest::secretNotInFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("secrets.json"));
    QString error;
    auto store = EncryptedFileSecretStore::open(path, QStringLiteral("passphrase"), &error);
    QVERIFY(store->write(QStringLiteral("t"), backendToken, &error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    QVERIFY(!content.contains(backendToken));
    QVERIFY(!content.contains(backendToken.toBase64()));
}

void SecretStoreTest::tamperedEntryRejected()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("secrets.json"));
    QString error;
    {
        auto store = EncryptedFileSecretStore::open(path, QStringLiteral("passphrase"), &error);
        QVERIFY(store->write(QStringLiteral("a"), backendToken, &error));
        QVERIFY(store->write(QStringLiteral("b"), "other", &error));
    }
    // Swap the two entries' ciphertexts: the entry name is bound as associated data.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonObject document = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    QJsonObject entries = document.value(QStringLiteral("entries")).toObject();
    const QJsonValue a = entries.value(QStringLiteral("a"));
    entries.insert(QStringLiteral("a"), entries.value(QStringLiteral("b")));
    entries.insert(QStringLiteral("b"), a);
    document.insert(QStringLiteral("entries"), entries);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(document).toJson());
    file.close();

    auto store = EncryptedFileSecretStore::open(path, QStringLiteral("passphrase"), &error);
    QVERIFY(store);
    QVERIFY(!store->read(QStringLiteral("a"), &error));
    QVERIFY(error.contains(QStringLiteral("integrity")));
}

void SecretStoreTest::fallbackChosenWithoutKeychain()
{
    QVERIFY(!keychainAvailable());
    QTemporaryDir dir;
    QString error;
    bool asked = false;
    auto store = openSecretStore(dir.filePath(QStringLiteral("s.json")),
                                 [&] {
                                     asked = true;
                                     return QStringLiteral("passphrase");
                                 },
                                 &error);
    QVERIFY2(store, qPrintable(error));
    QVERIFY(asked);
    QVERIFY(!store->isKeychain());
}

// An empty passphrase is refused for any file, and a new file needs eight
// characters; a refused open creates nothing.
void SecretStoreTest::emptyOrShortPassphraseRefused()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("secrets.json"));
    QString error;
    QVERIFY(!EncryptedFileSecretStore::open(path, QString(), &error));
    QVERIFY2(error.contains(QStringLiteral("empty")), qPrintable(error));
    QVERIFY(!QFile::exists(path));
    QVERIFY(!EncryptedFileSecretStore::open(path, QStringLiteral("1234567"), &error));
    QVERIFY2(error.contains(QStringLiteral("at least 8")), qPrintable(error));
    QVERIFY(!QFile::exists(path));

    QVERIFY(EncryptedFileSecretStore::open(path, QStringLiteral("12345678"), &error));
    QVERIFY(QFile::exists(path));
    QVERIFY(!EncryptedFileSecretStore::open(path, QString(), &error));
    QVERIFY2(error.contains(QStringLiteral("empty")), qPrintable(error));
}

QTEST_GUILESS_MAIN(SecretStoreTest)
#include "tst_secretstore.moc"
