// SPDX-License-Identifier: GPL-3.0-or-later
// Sign-in flows on a real SQLite file: password, TOTP, recovery codes,
// lockout, step-up, API tokens, and that no secret reaches a log.
#include "securitytestutil.h"

#include "security/apitokens.h"
#include "security/auditlog.h"
#include "security/authenticator.h"
#include "security/stepupgrants.h"

#include <QDir>
#include <QFileInfo>

#include <sys/stat.h>
#include <QLoggingCategory>

using namespace portcullis;
using namespace portcullis::testutil;

class SignInTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void firstRunOnlyOnce();
    void passwordThenTotp();
    void totpCodeReuseRejected();
    void wrongPasswordGeneric();
    void lockoutAfterFiveFailures();
    void lockoutForUnknownName();
    void emptyPasswordNotCounted();
    void recoveryCodeSingleUse();
    void enrolmentRequiredForResponder();
    void enrolmentRejectsWrongCode();
    void disabledUserRejected();
    void stepUpRequiredForUserChanges();
    void apiTokenLimitedToRoles();
    void apiTokenRevoked();
    void databaseFileMode0600();
    void demoRefusedOnRealDatabase();
    void noSecretInLogs();

private:
    QTemporaryDir *m_dir = nullptr;
    Database *m_db = nullptr;
    Identity m_admin;
    QByteArray m_adminKey;
    QStringList m_recoveryCodes;
};

void SignInTest::init()
{
    m_dir = new QTemporaryDir;
    QVERIFY(m_dir->isValid());
    m_db = new Database;
    QVERIFY(openFastDatabase(*m_db, *m_dir));
    m_adminKey = createAdmin(*m_db, QStringLiteral("alice"), &m_admin, &m_recoveryCodes);
    QVERIFY(!m_adminKey.isEmpty());
    nextTotpStep();

    // Sign in once, as the console would, which also grants a step-up.
    const SignInResult signedIn = Authenticator(*m_db).signIn(
        QStringLiteral("alice"), strongPassword, currentCode(m_adminKey), "t");
    QCOMPARE(signedIn.status, SignInStatus::Success);
    nextTotpStep();
}

void SignInTest::cleanup()
{
    delete m_db;
    delete m_dir;
    m_db = nullptr;
    m_dir = nullptr;
}

void SignInTest::firstRunOnlyOnce()
{
    QString error;
    const auto second = AccountService(*m_db).createFirstAdministrator(
        QStringLiteral("mallory"), strongPassword, &error);
    QVERIFY(!second);
    QVERIFY(error.contains(QStringLiteral("already has users")));
}

void SignInTest::passwordThenTotp()
{
    Authenticator auth(*m_db);
    const SignInResult first = auth.signIn(QStringLiteral("alice"), strongPassword, QString(), "t");
    QCOMPARE(first.status, SignInStatus::SecondFactorRequired);
    QVERIFY(!first.identity.isValid());

    const SignInResult second = auth.signIn(QStringLiteral("alice"), strongPassword,
                                            currentCode(m_adminKey), "t");
    QCOMPARE(second.status, SignInStatus::Success);
    QCOMPARE(second.identity.userName, QStringLiteral("alice"));
    QVERIFY(second.identity.roles.contains(Role::Administrator));
    QVERIFY(!second.mfaEnrolmentRequired);
}

void SignInTest::totpCodeReuseRejected()
{
    Authenticator auth(*m_db);
    const QString code = currentCode(m_adminKey);
    QCOMPARE(auth.signIn(QStringLiteral("alice"), strongPassword, code, "t").status,
             SignInStatus::Success);
    QCOMPARE(auth.signIn(QStringLiteral("alice"), strongPassword, code, "t").status,
             SignInStatus::InvalidCredentials);
}

void SignInTest::wrongPasswordGeneric()
{
    Authenticator auth(*m_db);
    const SignInResult wrongPassword =
        auth.signIn(QStringLiteral("alice"), QStringLiteral("nope"), QString(), "t");
    const SignInResult unknownUser =
        auth.signIn(QStringLiteral("nobody"), strongPassword, QString(), "t");
    QCOMPARE(wrongPassword.status, SignInStatus::InvalidCredentials);
    QCOMPARE(unknownUser.status, SignInStatus::InvalidCredentials);
    QCOMPARE(wrongPassword.message, unknownUser.message);
}

void SignInTest::lockoutAfterFiveFailures()
{
    Authenticator auth(*m_db);
    for (int i = 0; i < 4; ++i)
        QCOMPARE(auth.signIn(QStringLiteral("alice"), QStringLiteral("bad"), QString(), "t").status,
                 SignInStatus::InvalidCredentials);
    const SignInResult fifth =
        auth.signIn(QStringLiteral("alice"), QStringLiteral("bad"), QString(), "t");
    QCOMPARE(fifth.status, SignInStatus::LockedOut);
    QVERIFY(fifth.lockedUntilMs > crypto::nowMs());

    // The right password and code are rejected while the lock lasts.
    const SignInResult locked =
        auth.signIn(QStringLiteral("alice"), strongPassword, currentCode(m_adminKey), "t");
    QCOMPARE(locked.status, SignInStatus::LockedOut);

    // 15 minutes later the lock has ended.
    crypto::setClockOffsetForTesting(fifth.lockedUntilMs - QDateTime::currentMSecsSinceEpoch()
                                     + 1000);
    const SignInResult after =
        auth.signIn(QStringLiteral("alice"), strongPassword, currentCode(m_adminKey), "t");
    QCOMPARE(after.status, SignInStatus::Success);

    QString error;
    const QVector<AuditRecord> lockouts = AuditLog(*m_db).list(
        m_admin, AuditFilter{QString(), QStringLiteral("login.lockout"), 0, 0, 100}, &error);
    QCOMPARE(lockouts.size(), 1);
    QCOMPARE(lockouts.first().actor, QStringLiteral("alice"));
}

void SignInTest::lockoutForUnknownName()
{
    Authenticator auth(*m_db);
    SignInResult result;
    for (int i = 0; i < 5; ++i)
        result = auth.signIn(QStringLiteral("ghost"), QStringLiteral("bad"), QString(), "t");
    QCOMPARE(result.status, SignInStatus::LockedOut);
}

// Pressing Enter on an empty field, or piping nothing into the CLI, is
// refused without a check and must not lock the account.
void SignInTest::emptyPasswordNotCounted()
{
    Authenticator auth(*m_db);
    for (int i = 0; i < 6; ++i) {
        const SignInResult empty = auth.signIn(QStringLiteral("alice"), QString(), QString(), "t");
        QCOMPARE(empty.status, SignInStatus::PasswordMissing);
        QVERIFY(empty.message.contains(QStringLiteral("alice")));
    }
    QCOMPARE(auth.signIn(QStringLiteral("alice"), strongPassword, currentCode(m_adminKey), "t")
                 .status,
             SignInStatus::Success);

    QString error;
    const QVector<AuditRecord> failures = AuditLog(*m_db).list(
        m_admin, AuditFilter{QString(), QStringLiteral("login.failure"), 0, 0, 100}, &error);
    QVERIFY2(failures.isEmpty(), qPrintable(failures.isEmpty() ? error : failures.first().action));
}

void SignInTest::recoveryCodeSingleUse()
{
    QCOMPARE(m_recoveryCodes.size(), 10);
    Authenticator auth(*m_db);
    const QString code = m_recoveryCodes.at(3);
    const SignInResult used = auth.signIn(QStringLiteral("alice"), strongPassword, code, "t");
    QCOMPARE(used.status, SignInStatus::Success);
    QVERIFY(used.usedRecoveryCode);
    QCOMPARE(used.recoveryCodesLeft, 9);

    const SignInResult again = auth.signIn(QStringLiteral("alice"), strongPassword, code, "t");
    QCOMPARE(again.status, SignInStatus::InvalidCredentials);

    // Case and dashes do not matter.
    const QString other = m_recoveryCodes.at(5).toUpper().remove(QLatin1Char('-'));
    QCOMPARE(auth.signIn(QStringLiteral("alice"), strongPassword, other, "t").status,
             SignInStatus::Success);

    Statement stored = m_db->prepare("SELECT count(*) FROM recovery_codes WHERE code_hash = ?1");
    stored.bind(1, m_recoveryCodes.at(0).toUtf8());
    QVERIFY(stored.step());
    QCOMPARE(stored.columnInt(0), 0); // stored hashed, never as text
}

void SignInTest::enrolmentRequiredForResponder()
{
    AccountService accounts(*m_db);
    QString error;
    QVERIFY2(accounts.addUser(m_admin, QStringLiteral("rita"), strongPassword,
                              {Role::Responder}, &error),
             qPrintable(error));
    QVERIFY2(accounts.addUser(m_admin, QStringLiteral("andy"), strongPassword, {Role::Analyst},
                              &error),
             qPrintable(error));

    Authenticator auth(*m_db);
    const SignInResult rita = auth.signIn(QStringLiteral("rita"), strongPassword, QString(), "t");
    QCOMPARE(rita.status, SignInStatus::Success);
    QVERIFY(rita.mfaEnrolmentRequired);
    const SignInResult andy = auth.signIn(QStringLiteral("andy"), strongPassword, QString(), "t");
    QCOMPARE(andy.status, SignInStatus::Success);
    QVERIFY(!andy.mfaEnrolmentRequired);

    // Enrolment, then the second factor is required.
    const TotpEnrolment enrolment = accounts.beginTotpEnrolment(rita.identity);
    QVERIFY(enrolment.uri.startsWith(QStringLiteral("otpauth://totp/Portcullis:rita")));
    QVERIFY(enrolment.qr.size >= 21);
    QStringList codes;
    QVERIFY2(accounts.confirmTotpEnrolment(rita.identity, enrolment,
                                           currentCode(enrolment.key), &codes, &error),
             qPrintable(error));
    QCOMPARE(codes.size(), 10);
    nextTotpStep();
    QCOMPARE(auth.signIn(QStringLiteral("rita"), strongPassword, QString(), "t").status,
             SignInStatus::SecondFactorRequired);
    QCOMPARE(auth.signIn(QStringLiteral("rita"), strongPassword, currentCode(enrolment.key), "t")
                 .status,
             SignInStatus::Success);
}

void SignInTest::enrolmentRejectsWrongCode()
{
    AccountService accounts(*m_db);
    const TotpEnrolment enrolment = accounts.beginTotpEnrolment(m_admin);
    QStringList codes;
    QString error;
    QVERIFY(!accounts.confirmTotpEnrolment(m_admin, enrolment, QStringLiteral("000000"), &codes,
                                           &error)
            || currentCode(enrolment.key) == QLatin1String("000000"));
    QVERIFY(codes.isEmpty());
}

void SignInTest::disabledUserRejected()
{
    AccountService accounts(*m_db);
    QString error;
    QVERIFY(accounts.addUser(m_admin, QStringLiteral("andy"), strongPassword, {Role::Analyst},
                             &error));
    QVERIFY(accounts.setDisabled(m_admin, QStringLiteral("andy"), true, &error));
    QCOMPARE(Authenticator(*m_db).signIn(QStringLiteral("andy"), strongPassword, QString(), "t")
                 .status,
             SignInStatus::InvalidCredentials);

    // The last administrator cannot be disabled.
    QVERIFY(!accounts.setDisabled(m_admin, QStringLiteral("alice"), true, &error));
    QVERIFY(error.contains(QStringLiteral("last enabled administrator")));
}

void SignInTest::stepUpRequiredForUserChanges()
{
    // A fresh identity in another "process": no grant yet.
    stepup::revoke(m_admin.userId);
    AccountService accounts(*m_db);
    QString error;
    QVERIFY(!accounts.addUser(m_admin, QStringLiteral("bob"), strongPassword, {Role::Analyst},
                              &error));
    QVERIFY(error.contains(QStringLiteral("fresh confirmation")));

    Authenticator auth(*m_db);
    QVERIFY(!auth.stepUp(m_admin, QStringLiteral("wrong password"), &error));
    QVERIFY(auth.stepUp(m_admin, strongPassword, &error));
    QVERIFY2(accounts.addUser(m_admin, QStringLiteral("bob"), strongPassword, {Role::Analyst},
                              &error),
             qPrintable(error));

    // The grant expires with the policy's validity.
    crypto::setClockOffsetForTesting(crypto::nowMs() - QDateTime::currentMSecsSinceEpoch()
                                     + 6 * 60 * 1000);
    QVERIFY(!accounts.setDisabled(m_admin, QStringLiteral("bob"), true, &error));

    // A TOTP code works as step-up too.
    QVERIFY(auth.stepUp(m_admin, currentCode(m_adminKey), &error));
    QVERIFY(accounts.setDisabled(m_admin, QStringLiteral("bob"), true, &error));
}

void SignInTest::apiTokenLimitedToRoles()
{
    AccountService accounts(*m_db);
    QString error;
    QVERIFY(accounts.setRoles(m_admin, QStringLiteral("alice"),
                              {Role::Administrator, Role::Analyst}, &error));
    m_admin.roles = {Role::Administrator, Role::Analyst};

    ApiTokenService tokens(*m_db);
    QVERIFY(tokens.create(m_admin, QStringLiteral("x"), {Role::Responder}, 30, nullptr, &error)
                .isEmpty());
    qint64 id = 0;
    const QString token =
        tokens.create(m_admin, QStringLiteral("ci"), {Role::Analyst}, 30, &id, &error);
    QVERIFY2(token.startsWith(QStringLiteral("pct_")), qPrintable(error));
    QVERIFY(token.size() >= 40);

    const std::optional<Identity> who = Authenticator(*m_db).signInWithToken(token, &error);
    QVERIFY(who);
    QVERIFY(hasPermission(*who, Permission::TriageAlerts));
    QVERIFY(!hasPermission(*who, Permission::ManageUsers)); // limited to analyst

    Statement stored = m_db->prepare("SELECT count(*) FROM api_tokens WHERE token_hash = ?1");
    stored.bind(1, token.toUtf8());
    QVERIFY(stored.step());
    QCOMPARE(stored.columnInt(0), 0); // only the SHA-256 is stored

    // Expiry.
    crypto::setClockOffsetForTesting(31LL * 24 * 3600 * 1000);
    QVERIFY(!Authenticator(*m_db).signInWithToken(token, &error));
}

void SignInTest::apiTokenRevoked()
{
    QString error;
    ApiTokenService tokens(*m_db);
    qint64 id = 0;
    const QString token =
        tokens.create(m_admin, QStringLiteral("ci"), {Role::Administrator}, 1, &id, &error);
    QVERIFY(!token.isEmpty());
    // A token always expires.
    for (const int days : {-1, 0, ApiTokenService::maxValidDays + 1}) {
        QVERIFY(tokens.create(m_admin, QStringLiteral("ci"), {Role::Administrator}, days,
                              nullptr, &error)
                    .isEmpty());
        QVERIFY2(error.contains(QStringLiteral("366")), qPrintable(error));
    }
    QVERIFY(Authenticator(*m_db).signInWithToken(token, &error));
    QVERIFY(tokens.revoke(m_admin, id, &error));
    QVERIFY(!Authenticator(*m_db).signInWithToken(token, &error));
    QVERIFY(!Authenticator(*m_db).signInWithToken(QStringLiteral("pct_forged"), &error));
}

void SignInTest::databaseFileMode0600()
{
    struct stat info {};
    const QByteArray path = QFile::encodeName(m_dir->filePath(QStringLiteral("console.db")));
    QCOMPARE(::stat(path.constData(), &info), 0);
    QCOMPARE(info.st_mode & 0777, mode_t(0600));

    // SQLite gives the write-ahead log the main file's mode.
    struct stat wal {};
    const QByteArray walPath = path + QByteArray("-wal");
    QCOMPARE(::stat(walPath.constData(), &wal), 0);
    QCOMPARE(wal.st_mode & 0777, mode_t(0600));
}

void SignInTest::demoRefusedOnRealDatabase()
{
    Database memory;
    QString error;
    QVERIFY(memory.open(QStringLiteral(":memory:"), &error));
    const std::optional<Identity> demo = AccountService(memory).demoIdentity(&error);
    QVERIFY(demo);
    QVERIFY(demo->isDemo);
    QVERIFY(hasPermission(*demo, Permission::ApprovePlaybookSteps));

    // Point the temporary folder elsewhere: the test database is then an
    // ordinary file, and the demo identity is refused on it.
    const QByteArray savedTmp = qgetenv("TMPDIR");
    QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("elsewhere")));
    qputenv("TMPDIR", m_dir->filePath(QStringLiteral("elsewhere")).toUtf8());
    const std::optional<Identity> refused = AccountService(*m_db).demoIdentity(&error);
    if (savedTmp.isEmpty())
        qunsetenv("TMPDIR");
    else
        qputenv("TMPDIR", savedTmp);
    QVERIFY(!refused);
    QVERIFY(error.contains(QStringLiteral("throw-away")));
}

static QStringList *capturedLog = nullptr;

static void captureMessage(QtMsgType, const QMessageLogContext &, const QString &message)
{
    if (capturedLog)
        capturedLog->append(message);
}

// Every logging category at debug level, every sign-in path: the password,
// TOTP key, codes and token never appear in a log message.
void SignInTest::noSecretInLogs()
{
    QStringList log;
    capturedLog = &log;
    QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true"));
    QtMessageHandler previous = qInstallMessageHandler(captureMessage);

    Authenticator auth(*m_db);
    auth.signIn(QStringLiteral("alice"), strongPassword, QString(), "t");
    const QString code = currentCode(m_adminKey);
    auth.signIn(QStringLiteral("alice"), strongPassword, code, "t");
    for (int i = 0; i < 6; ++i)
        auth.signIn(QStringLiteral("alice"), QStringLiteral("hunter2-wrong-pass"), QString(), "t");
    QString error;
    auth.stepUp(m_admin, strongPassword, &error);
    const QString token = ApiTokenService(*m_db).create(m_admin, QStringLiteral("ci"),
                                                        {Role::Administrator}, 1, nullptr,
                                                        &error);
    auth.signInWithToken(token, &error);
    auth.signInWithToken(token + QStringLiteral("x"), &error);

    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());
    capturedLog = nullptr;

    QVERIFY(!log.isEmpty()); // the lockout warning at least
    const QString all = log.join(QLatin1Char('\n'));
    QVERIFY(!all.contains(strongPassword));
    QVERIFY(!all.contains(QStringLiteral("hunter2-wrong-pass")));
    QVERIFY(!all.contains(token));
    QVERIFY(!all.contains(QString::fromLatin1(m_adminKey.toHex())));
    QVERIFY(!all.contains(totp::base32Encode(m_adminKey)));
    for (const QString &recovery : std::as_const(m_recoveryCodes))
        QVERIFY(!all.contains(recovery));

    // Nor in the audit trail.
    const QVector<AuditRecord> records = AuditLog(*m_db).list(m_admin, AuditFilter(), &error);
    for (const AuditRecord &record : records) {
        QVERIFY(!record.details.contains(strongPassword));
        QVERIFY(!record.details.contains(token));
        QVERIFY(!record.actor.contains(token));
    }
}

QTEST_GUILESS_MAIN(SignInTest)
#include "tst_signin.moc"
