// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/authenticator.h"
#include "security/passwordhash.h"
#include "security/securitypolicy.h"

#include "security/accounts.h"
#include "store/database.h"

#include <QTemporaryDir>
#include <QTest>

using namespace portcullis;

class PasswordsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scryptRoundTrip();
    void scryptSaltDiffers();
    void scryptRejectsInvalidParams();
    void parameterUpgradeOnSignIn();
    void policy_data();
    void policy();
};

void PasswordsTest::scryptRoundTrip()
{
    const PasswordHash stored = hashPassword("violet tractor harbour", ScryptParams());
    QCOMPARE(stored.hash.size(), 32);
    QCOMPARE(stored.salt.size(), 16);
    QCOMPARE(stored.params.n, quint64(1) << 15);
    QVERIFY(verifyPassword("violet tractor harbour", stored));
    QVERIFY(!verifyPassword("violet tractor harbouR", stored));
    QVERIFY(!verifyPassword("", stored));
}

void PasswordsTest::scryptSaltDiffers()
{
    const ScryptParams fast{1 << 10, 8, 1};
    const PasswordHash a = hashPassword("same password", fast);
    const PasswordHash b = hashPassword("same password", fast);
    QVERIFY(a.salt != b.salt);
    QVERIFY(a.hash != b.hash);
}

void PasswordsTest::scryptRejectsInvalidParams()
{
    const PasswordHash bad = hashPassword("x", ScryptParams{1000, 8, 1}); // not a power of two
    QVERIFY(bad.hash.isEmpty());
    QVERIFY(!verifyPassword("x", bad));
}

// A user hashed with weaker parameters is re-hashed with the policy's
// parameters at the next successful sign-in, and can still sign in after.
void PasswordsTest::parameterUpgradeOnSignIn()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Database db;
    QString error;
    QVERIFY2(db.open(dir.filePath(QStringLiteral("p.db")), &error), qPrintable(error));
    SecurityPolicy policy = loadSecurityPolicy(db);
    policy.scrypt = ScryptParams{1 << 10, 8, 1};
    policy.mfaRequiredForAll = false;
    QVERIFY(saveSecurityPolicyUnchecked(db, policy, &error));

    AccountService accounts(db);
    const QString password = QStringLiteral("violet tractor harbour 42");
    const std::optional<Identity> admin =
        accounts.createFirstAdministrator(QStringLiteral("root1"), password, &error);
    QVERIFY2(admin, qPrintable(error));

    policy.scrypt = ScryptParams{1 << 12, 8, 2};
    QVERIFY(saveSecurityPolicyUnchecked(db, policy, &error));
    const SignInResult first =
        Authenticator(db).signIn(QStringLiteral("root1"), password, QString(), "test");
    QCOMPARE(first.status, SignInStatus::Success);

    Statement query = db.prepare("SELECT scrypt_n, scrypt_p FROM users WHERE name = 'root1'");
    QVERIFY(query.step());
    QCOMPARE(query.columnInt64(0), qint64(1) << 12);
    QCOMPARE(query.columnInt64(1), qint64(2));

    const SignInResult second =
        Authenticator(db).signIn(QStringLiteral("root1"), password, QString(), "test");
    QCOMPARE(second.status, SignInStatus::Success);
}

void PasswordsTest::policy_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("too short") << QStringLiteral("Xk9!vT2#") << false;
    QTest::newRow("eleven chars") << QStringLiteral("abcdefghijk") << false;
    QTest::newRow("common word plus digits") << QStringLiteral("Password2024!") << false;
    QTest::newRow("common repeated") << QStringLiteral("qwertyqwerty") << false;
    QTest::newRow("one character repeated") << QStringLiteral("aaaaaaaaaaaaaa") << false;
    QTest::newRow("contains user name") << QStringLiteral("carol-is-great-99") << false;
    QTest::newRow("passphrase") << QStringLiteral("violet tractor harbour") << true;
    QTest::newRow("twelve random") << QStringLiteral("h7Rq2mX9vLp4") << true;
    QTest::newRow("non-ASCII counts characters") << QStringLiteral("äöüßäöüßäöüx") << true;
}

void PasswordsTest::policy()
{
    QFETCH(QString, password);
    QFETCH(bool, accepted);
    QString error;
    const bool ok = checkPasswordStrength(password, QStringLiteral("carol"), SecurityPolicy(),
                                          &error);
    QCOMPARE(ok, accepted);
    QCOMPARE(error.isEmpty(), accepted);
}

QTEST_GUILESS_MAIN(PasswordsTest)
#include "tst_passwords.moc"
