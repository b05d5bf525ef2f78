// SPDX-License-Identifier: GPL-3.0-or-later
// The role-by-permission matrix through the engine and through the built
// portcullis-cli, plus CLI sign-in and audit verification end to end.
#include "securitytestutil.h"

#include "security/apitokens.h"
#include "security/auditlog.h"
#include "security/authenticator.h"
#include "clirun.h"

#include <QProcess>
#include <QRegularExpression>

#include <sys/stat.h>

#include <sqlite3.h>

using namespace portcullis;
using namespace portcullis::testutil;

class PermissionsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void engineMatrix_data();
    void engineMatrix();
    void tokenNarrowsRoles();
    void cliMatrix_data();
    void cliMatrix();
    void cliCommandsDenied_data();
    void cliCommandsDenied();
    void cliPasswordSignIn();
    void cliPasswordAndTotp();
    void cliSecretsRefuseEmptyPassphrase();
    void cliSecretsUseEncryptedFile();
    void cliTokenDaysBounded_data();
    void cliTokenDaysBounded();
    void cliAuditExportNeedsStepUp();
    void cliAuditListEscapesControls();
    void cliDetectEscapesUnparsedLines();
    void cliAuditVerifyDetectsWipe();
    void cliSetupFirstRun();
    void cliSetupUserFromEnvironment();
    void cliPolicyChange();
    void cliAuditVerifyNamesBrokenRecord();

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Run runCli(const QStringList &arguments, const QByteArray &input = QByteArray());
    QString tokenFileFor(const QString &userName, const QSet<Role> &roles);

    QTemporaryDir m_dir;
    Database m_db;
    Identity m_admin;
    QByteArray m_adminKey;
    QString m_passphrase = QStringLiteral("test passphrase");
};

static const QList<Role> allRoles = {Role::Analyst, Role::Responder, Role::ComplianceOfficer,
                                     Role::Administrator};

void PermissionsTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(openFastDatabase(m_db, m_dir));
    m_adminKey = createAdmin(m_db, QStringLiteral("alice"), &m_admin);
    QVERIFY(!m_adminKey.isEmpty());
    nextTotpStep();
    QCOMPARE(Authenticator(m_db).signIn(QStringLiteral("alice"), strongPassword,
                                        currentCode(m_adminKey), "test").status,
             SignInStatus::Success);
    AccountService accounts(m_db);
    QString error;
    QVERIFY2(accounts.addUser(m_admin, QStringLiteral("andy"), strongPassword, {Role::Analyst},
                              &error), qPrintable(error));
    QVERIFY(accounts.addUser(m_admin, QStringLiteral("rita"), strongPassword, {Role::Responder},
                             &error));
    QVERIFY(accounts.addUser(m_admin, QStringLiteral("cora"), strongPassword,
                             {Role::ComplianceOfficer}, &error));
}

// The agreed role-to-permission table, spelled out so that a change to it
// fails here first. Columns: analyst, responder, compliance officer, admin.
void PermissionsTest::engineMatrix_data()
{
    QTest::addColumn<Permission>("permission");
    QTest::addColumn<QList<bool>>("granted");
    QTest::newRow("view_alerts") << Permission::ViewAlerts << QList<bool>{1, 1, 1, 1};
    QTest::newRow("triage_alerts") << Permission::TriageAlerts << QList<bool>{1, 1, 0, 0};
    QTest::newRow("import_logs") << Permission::ImportLogs << QList<bool>{1, 0, 0, 1};
    QTest::newRow("manage_rules") << Permission::ManageRules << QList<bool>{0, 0, 0, 1};
    QTest::newRow("run_playbooks") << Permission::RunPlaybooks << QList<bool>{0, 1, 0, 0};
    QTest::newRow("approve_playbook_steps")
        << Permission::ApprovePlaybookSteps << QList<bool>{0, 1, 0, 0};
    QTest::newRow("view_evidence") << Permission::ViewEvidence << QList<bool>{0, 0, 1, 0};
    QTest::newRow("export_evidence") << Permission::ExportEvidence << QList<bool>{0, 0, 1, 0};
    QTest::newRow("view_audit") << Permission::ViewAudit << QList<bool>{0, 0, 1, 1};
    QTest::newRow("manage_users") << Permission::ManageUsers << QList<bool>{0, 0, 0, 1};
    QTest::newRow("manage_connections")
        << Permission::ManageConnections << QList<bool>{0, 0, 0, 1};
}

void PermissionsTest::engineMatrix()
{
    QFETCH(Permission, permission);
    QFETCH(QList<bool>, granted);
    for (int i = 0; i < allRoles.size(); ++i) {
        const Identity who = identityForTesting(QStringLiteral("u"), {allRoles.at(i)}, 7);
        QString error;
        QCOMPARE(checkPermission(who, permission, &error), granted.at(i));
        QCOMPARE(error.isEmpty(), granted.at(i));
    }
    QVERIFY(!hasPermission(Identity(), permission)); // not signed in
}

void PermissionsTest::tokenNarrowsRoles()
{
    Identity who = identityForTesting(QStringLiteral("u"), {Role::Analyst, Role::Responder}, 7);
    QVERIFY(hasPermission(who, Permission::ApprovePlaybookSteps));
    who.tokenRoles = {Role::Analyst};
    QVERIFY(!hasPermission(who, Permission::ApprovePlaybookSteps));
    QVERIFY(hasPermission(who, Permission::TriageAlerts));
    who.tokenRoles = {Role::Administrator}; // not held by the user: grants nothing
    QVERIFY(!hasPermission(who, Permission::ViewAlerts));
}

PermissionsTest::Run PermissionsTest::runCli(const QStringList &arguments,
                                             const QByteArray &input)
{
    QProcessEnvironment environment = portcullis::testing::cliEnvironment(m_db.path());
    environment.insert(QStringLiteral("PORTCULLIS_SECRET_BACKEND"), QStringLiteral("file"));
    environment.insert(QStringLiteral("PORTCULLIS_SECRET_PASSPHRASE"), m_passphrase);
    const portcullis::testing::CliResult run = portcullis::testing::runCliProgram(
        QStringLiteral(PORTCULLIS_CLI), arguments, environment, input);
    return Run { run.exitCode, QString::fromUtf8(run.out), QString::fromUtf8(run.err) };
}

QString PermissionsTest::tokenFileFor(const QString &userName, const QSet<Role> &roles)
{
    Statement query = m_db.prepare("SELECT id FROM users WHERE name = ?1");
    query.bind(1, userName);
    if (!query.step())
        return QString();
    const std::optional<Identity> who = AccountService(m_db).loadIdentity(query.columnInt64(0));
    QString error;
    const QString token =
        ApiTokenService(m_db).create(*who, QStringLiteral("test"), roles, 1, nullptr, &error);
    const QString path = m_dir.filePath(userName + QStringLiteral(".token"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QString();
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(token.toUtf8());
    return path;
}

void PermissionsTest::cliMatrix_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("role");
    QTest::addColumn<QString>("permission");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("analyst approves step") << "andy" << "analyst" << "approve_playbook_steps" << 4;
    QTest::newRow("analyst runs playbook") << "andy" << "analyst" << "run_playbooks" << 4;
    QTest::newRow("analyst triages") << "andy" << "analyst" << "triage_alerts" << 0;
    QTest::newRow("responder approves") << "rita" << "responder" << "approve_playbook_steps" << 0;
    QTest::newRow("responder manages users") << "rita" << "responder" << "manage_users" << 4;
    QTest::newRow("officer exports evidence")
        << "cora" << "compliance_officer" << "export_evidence" << 0;
    QTest::newRow("officer triages") << "cora" << "compliance_officer" << "triage_alerts" << 4;
    QTest::newRow("admin manages users") << "alice" << "administrator" << "manage_users" << 0;
    QTest::newRow("admin approves step")
        << "alice" << "administrator" << "approve_playbook_steps" << 4;
}

void PermissionsTest::cliMatrix()
{
    QFETCH(QString, user);
    QFETCH(QString, role);
    QFETCH(QString, permission);
    QFETCH(int, exitCode);
    Role parsed;
    QVERIFY(roleFromName(role, &parsed));
    const QString tokenFile = tokenFileFor(user, {parsed});
    QVERIFY(!tokenFile.isEmpty());
    const Run run = runCli({QStringLiteral("whoami"), QStringLiteral("--token-file"), tokenFile,
                            QStringLiteral("--require"), permission});
    QVERIFY2(run.exitCode == exitCode, qPrintable(run.err));
    if (exitCode == 4)
        QVERIFY(run.err.contains(permission));
}

void PermissionsTest::cliCommandsDenied_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("role");
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("analyst audit list") << "andy" << "analyst" << QStringList{"audit", "list"} << 4;
    QTest::newRow("analyst users list") << "andy" << "analyst" << QStringList{"users", "list"} << 4;
    QTest::newRow("responder users disable")
        << "rita" << "responder" << QStringList{"users", "disable", "andy"} << 4;
    QTest::newRow("officer audit verify")
        << "cora" << "compliance_officer" << QStringList{"audit", "verify"} << 0;
    QTest::newRow("admin users list")
        << "alice" << "administrator" << QStringList{"users", "list"} << 0;
}

void PermissionsTest::cliCommandsDenied()
{
    QFETCH(QString, user);
    QFETCH(QString, role);
    QFETCH(QStringList, command);
    QFETCH(int, exitCode);
    Role parsed;
    QVERIFY(roleFromName(role, &parsed));
    const QString tokenFile = tokenFileFor(user, {parsed});
    const Run run = runCli(command + QStringList{QStringLiteral("--token-file"), tokenFile});
    QVERIFY2(run.exitCode == exitCode, qPrintable(run.err + run.out));
}

void PermissionsTest::cliPasswordSignIn()
{
    const Run ok = runCli({QStringLiteral("whoami"), QStringLiteral("--user"),
                           QStringLiteral("andy")},
                          strongPassword.toUtf8() + '\n');
    QVERIFY2(ok.exitCode == 0, qPrintable(ok.err));
    QVERIFY(ok.out.contains(QStringLiteral("user: andy")));
    QVERIFY(!ok.out.contains(strongPassword));
    QVERIFY(!ok.err.contains(strongPassword));

    const Run wrong = runCli({QStringLiteral("whoami"), QStringLiteral("--user"),
                              QStringLiteral("andy")},
                             "not the password\n");
    QCOMPARE(wrong.exitCode, 4);
    QVERIFY(!wrong.err.contains(QStringLiteral("not the password")));

    // A responder without an authenticator must enrol before using the CLI.
    const Run rita = runCli({QStringLiteral("whoami"), QStringLiteral("--user"),
                             QStringLiteral("rita")},
                            strongPassword.toUtf8() + '\n');
    QCOMPARE(rita.exitCode, 4);
    QVERIFY(rita.err.contains(QStringLiteral("enrol")));

    const Run none = runCli({QStringLiteral("whoami")});
    QCOMPARE(none.exitCode, 2);

    // Nothing on standard input is a usage error, not a failed sign-in, so
    // andy can still sign in after six of them.
    for (int i = 0; i < 6; ++i) {
        const Run empty = runCli({QStringLiteral("whoami"), QStringLiteral("--user"),
                                  QStringLiteral("andy")});
        QCOMPARE(empty.exitCode, 2);
        QVERIFY2(empty.err.contains(QStringLiteral("Password missing")), qPrintable(empty.err));
    }
    const Run after = runCli({QStringLiteral("whoami"), QStringLiteral("--user"),
                              QStringLiteral("andy")},
                             strongPassword.toUtf8() + '\n');
    QVERIFY2(after.exitCode == 0, qPrintable(after.err));
}

// The CLI runs on the real clock, so this user enrols on the real clock too
// and the CLI gets the code of the next step (inside the one-step drift).
void PermissionsTest::cliPasswordAndTotp()
{
    crypto::setClockOffsetForTesting(0);
    AccountService accounts(m_db);
    QString error;
    QVERIFY2(accounts.addUser(m_admin, QStringLiteral("tess"), strongPassword, {Role::Analyst},
                              &error), qPrintable(error));
    Statement query = m_db.prepare("SELECT id FROM users WHERE name = 'tess'");
    QVERIFY(query.step());
    const std::optional<Identity> tess = accounts.loadIdentity(query.columnInt64(0));
    QVERIFY(tess);
    const TotpEnrolment enrolment = accounts.beginTotpEnrolment(*tess);
    QStringList codes;
    QVERIFY(accounts.confirmTotpEnrolment(*tess, enrolment, currentCode(enrolment.key), &codes,
                                          &error));

    const QString nextCode = totp::code(enrolment.key, crypto::nowMs() / 1000 + 30);
    const QByteArray input = strongPassword.toUtf8() + '\n' + nextCode.toUtf8() + '\n';
    const QStringList whoami = {QStringLiteral("whoami"), QStringLiteral("--user"),
                                QStringLiteral("tess")};
    const Run run = runCli(whoami, input);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.out.contains(QStringLiteral("user: tess")));

    // The same code a second time is rejected.
    const Run replay = runCli(whoami, input);
    QCOMPARE(replay.exitCode, 4);

    // A recovery code works once.
    const QByteArray recovery = strongPassword.toUtf8() + '\n' + codes.first().toUtf8() + '\n';
    QCOMPARE(runCli(whoami, recovery).exitCode, 0);
    QCOMPARE(runCli(whoami, recovery).exitCode, 4);
}

// `status` only reports; an empty passphrase (closed input, or an empty
// first line) or a short one for a new file is refused and creates nothing.
void PermissionsTest::cliSecretsRefuseEmptyPassphrase()
{
    const QString adminToken = tokenFileFor(QStringLiteral("alice"), {Role::Administrator});
    const QString file = m_dir.filePath(QStringLiteral("secrets.json"));
    QVERIFY(!QFile::exists(file));
    m_passphrase.clear();
    const Run status = runCli({QStringLiteral("secrets"), QStringLiteral("status"),
                               QStringLiteral("--token-file"), adminToken});
    QVERIFY2(status.exitCode == 0, qPrintable(status.err));
    QVERIFY(status.out.contains(QStringLiteral("not created yet")));
    QVERIFY(!QFile::exists(file));

    const QStringList set = {QStringLiteral("secrets"), QStringLiteral("set"),
                             QStringLiteral("backend1"), QStringLiteral("--token-file"),
                             adminToken};
    const Run empty = runCli(set, "\nSECRET\n");
    QCOMPARE(empty.exitCode, 1);
    QVERIFY2(empty.err.contains(QStringLiteral("empty")), qPrintable(empty.err));
    QVERIFY(!QFile::exists(file));

    m_passphrase = QStringLiteral("short");
    const Run shortOne = runCli(set, "SECRET\n");
    QCOMPARE(shortOne.exitCode, 1);
    QVERIFY2(shortOne.err.contains(QStringLiteral("at least 8")), qPrintable(shortOne.err));
    QVERIFY(!QFile::exists(file));
    m_passphrase = QStringLiteral("test passphrase");
}

void PermissionsTest::cliSecretsUseEncryptedFile()
{
    const QString adminToken = tokenFileFor(QStringLiteral("alice"), {Role::Administrator});
    const QByteArray secret = "backend-bearer-7f2c9d";
    const Run set = runCli({QStringLiteral("secrets"), QStringLiteral("set"),
                            QStringLiteral("backend/token"), QStringLiteral("--token-file"),
                            adminToken},
                           secret + '\n');
    QVERIFY2(set.exitCode == 0, qPrintable(set.err));
    QVERIFY(set.out.contains(QStringLiteral("AES-256-GCM")));
    QVERIFY(!set.out.contains(QString::fromLatin1(secret)));

    const QString file = m_dir.filePath(QStringLiteral("secrets.json"));
    struct stat info {};
    QCOMPARE(::stat(QFile::encodeName(file).constData(), &info), 0);
    QCOMPARE(info.st_mode & 0777, mode_t(0600));
    QFile content(file);
    QVERIFY(content.open(QIODevice::ReadOnly));
    QVERIFY(!content.readAll().contains(secret));

    const Run status = runCli({QStringLiteral("secrets"), QStringLiteral("status"),
                               QStringLiteral("--token-file"), adminToken});
    QCOMPARE(status.exitCode, 0);
    QVERIFY(status.out.contains(QStringLiteral("encrypted file")));

    const QString analystToken = tokenFileFor(QStringLiteral("andy"), {Role::Analyst});
    const Run denied = runCli({QStringLiteral("secrets"), QStringLiteral("status"),
                               QStringLiteral("--token-file"), analystToken});
    QCOMPARE(denied.exitCode, 4);
}

// `setup` on a new database: password twice, then the code for the key it
// prints, then ten recovery codes; a second `setup` is rejected.
void PermissionsTest::cliSetupFirstRun()
{
    const QString path = m_dir.filePath(QStringLiteral("fresh.db"));
    QProcess process;
    process.start(QStringLiteral(PORTCULLIS_CLI),
                  {QStringLiteral("setup"), QStringLiteral("--database"), path,
                   QStringLiteral("--user"), QStringLiteral("root")});
    process.write(strongPassword.toUtf8() + '\n' + strongPassword.toUtf8() + '\n');
    QByteArray output;
    while (!output.contains("URI:") && process.waitForReadyRead(60000))
        output += process.readAllStandardOutput();
    const QRegularExpression keyLine(QStringLiteral("by hand: ([A-Z2-7]+)"));
    const QRegularExpressionMatch match = keyLine.match(QString::fromUtf8(output));
    QVERIFY2(match.hasMatch(), output.constData());
    const QByteArray key = totp::base32Decode(match.captured(1)).value_or(QByteArray());
    QCOMPARE(key.size(), 20);
    const qint64 now = QDateTime::currentMSecsSinceEpoch() / 1000;
    process.write(totp::code(key, now).toUtf8() + '\n');
    process.closeWriteChannel();
    QVERIFY(process.waitForFinished(60000));
    output += process.readAllStandardOutput();
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    QVERIFY(output.contains("Recovery codes"));
    QCOMPARE(QString::fromUtf8(output).count(QRegularExpression(
                 QStringLiteral("\\b[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}\\b"))),
             10);

    process.start(QStringLiteral(PORTCULLIS_CLI),
                  {QStringLiteral("setup"), QStringLiteral("--database"), path});
    process.closeWriteChannel();
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 2);
}

void PermissionsTest::cliSetupUserFromEnvironment()
{
    // Without --user, setup takes $PORTCULLIS_USER, as its help documents, and
    // reads only the two passwords and the code from standard input.
    const QString path = m_dir.filePath(QStringLiteral("from-environment.db"));
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("PORTCULLIS_USER"), QStringLiteral("envadmin"));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(PORTCULLIS_CLI),
                  {QStringLiteral("setup"), QStringLiteral("--database"), path});
    process.write(strongPassword.toUtf8() + '\n' + strongPassword.toUtf8() + '\n');
    process.closeWriteChannel();
    QVERIFY(process.waitForFinished(60000));
    const QString output = QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(output.contains(QStringLiteral("Created administrator envadmin")),
             qPrintable(output + QString::fromUtf8(process.readAllStandardError())));
    // No code followed, so the administrator exists but is not enrolled yet.
    QCOMPARE(process.exitCode(), 1);
}

void PermissionsTest::cliPolicyChange()
{
    const QString adminToken = tokenFileFor(QStringLiteral("alice"), {Role::Administrator});
    const QStringList set = {QStringLiteral("users"), QStringLiteral("policy"),
                             QStringLiteral("--set"), QStringLiteral("max_failures=7"),
                             QStringLiteral("--token-file"), adminToken};
    // A token sign-in carries no step-up, so the change is refused.
    const Run refused = runCli(set);
    QCOMPARE(refused.exitCode, 1);
    QVERIFY(refused.err.contains(QStringLiteral("fresh confirmation")));
    QCOMPARE(loadSecurityPolicy(m_db).maxFailures, 5);

    // Interactive sign-in grants the step-up (the analyst lacks the permission).
    const Run analyst = runCli({QStringLiteral("users"), QStringLiteral("policy"),
                                QStringLiteral("--set"), QStringLiteral("max_failures=7"),
                                QStringLiteral("--user"), QStringLiteral("andy")},
                               strongPassword.toUtf8() + '\n');
    QCOMPARE(analyst.exitCode, 4);
    QCOMPARE(loadSecurityPolicy(m_db).maxFailures, 5);
}

void PermissionsTest::cliAuditVerifyNamesBrokenRecord()
{
    const QString tokenFile = tokenFileFor(QStringLiteral("cora"), {Role::ComplianceOfficer});
    const Run intact = runCli({QStringLiteral("audit"), QStringLiteral("verify"),
                               QStringLiteral("--token-file"), tokenFile});
    QVERIFY2(intact.exitCode == 0, qPrintable(intact.err));
    QVERIFY(intact.out.contains(QStringLiteral("intact")));

    sqlite3 *raw = nullptr;
    QCOMPARE(sqlite3_open(m_db.path().toUtf8().constData(), &raw), SQLITE_OK);
    QCOMPARE(sqlite3_exec(raw, "DROP TRIGGER audit_log_no_update; "
                               "UPDATE audit_log SET actor = 'nobody' WHERE seq = 3",
                          nullptr, nullptr, nullptr),
             SQLITE_OK);
    sqlite3_close(raw);

    const Run broken = runCli({QStringLiteral("audit"), QStringLiteral("verify"),
                               QStringLiteral("--token-file"), tokenFile});
    QCOMPARE(broken.exitCode, 5);
    QVERIFY2(broken.out.contains(QStringLiteral("BROKEN at record 3")), qPrintable(broken.out));
}

void PermissionsTest::cliTokenDaysBounded_data()
{
    QTest::addColumn<QString>("days");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("negative") << "-1" << 2;
    QTest::newRow("zero") << "0" << 2;
    QTest::newRow("over a year") << "367" << 2;
    QTest::newRow("not a number") << "ten" << 2;
    QTest::newRow("a month") << "30" << 0;
    QTest::newRow("maximum") << "366" << 0;
}

void PermissionsTest::cliTokenDaysBounded()
{
    QFETCH(QString, days);
    QFETCH(int, exitCode);
    // Tokens are created after a password sign-in (a token cannot create one).
    const Run run = runCli({QStringLiteral("token"), QStringLiteral("create"),
                            QStringLiteral("--name"), QStringLiteral("ci"),
                            QStringLiteral("--roles"), QStringLiteral("analyst"),
                            QStringLiteral("--days=") + days, QStringLiteral("--user"),
                            QStringLiteral("andy")},
                           strongPassword.toUtf8() + '\n');
    QVERIFY2(run.exitCode == exitCode, qPrintable(run.err));
    if (exitCode == 2)
        QVERIFY2(run.err.contains(QStringLiteral("366")), qPrintable(run.err));
}

// Exporting the trail needs a fresh password or code (policy step_up_export):
// a token sign-in has none and is refused; an interactive sign-in has one.
void PermissionsTest::cliAuditExportNeedsStepUp()
{
    const QString tokenFile = tokenFileFor(QStringLiteral("cora"), {Role::ComplianceOfficer});
    const QString csv = m_dir.filePath(QStringLiteral("audit-export.csv"));
    const Run refused = runCli({QStringLiteral("audit"), QStringLiteral("export"),
                                QStringLiteral("--output"), csv, QStringLiteral("--token-file"),
                                tokenFile});
    QCOMPARE(refused.exitCode, 4);
    QVERIFY2(refused.err.contains(QStringLiteral("fresh password")), qPrintable(refused.err));
    QVERIFY(!QFile::exists(csv));

    const Run allowed = runCli({QStringLiteral("audit"), QStringLiteral("export"),
                                QStringLiteral("--output"), csv, QStringLiteral("--user"),
                                QStringLiteral("cora")},
                               strongPassword.toUtf8() + '\n');
    QVERIFY2(allowed.exitCode == 0, qPrintable(allowed.err));
    QVERIFY(QFile::exists(csv));
}

// A name with a newline and terminal escapes must not fake a record line,
// retitle the terminal or clear the screen.
void PermissionsTest::cliAuditListEscapesControls()
{
    // Under 32 characters: `audit list` shows that much of a name.
    const QString evil = QStringLiteral("evil\n 99 x root\x1b]0;P\x07\x1b[2J\u202e");
    QVERIFY(AuditLog(m_db).appendAnonymous(evil, QStringLiteral("login.probe"),
                                           QStringLiteral("user:x"), QJsonObject(), nullptr));
    const QString tokenFile = tokenFileFor(QStringLiteral("cora"), {Role::ComplianceOfficer});
    const Run run = runCli({QStringLiteral("audit"), QStringLiteral("list"),
                            QStringLiteral("--action"), QStringLiteral("login.probe"),
                            QStringLiteral("--token-file"), tokenFile});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(!run.out.contains(QChar(0x1b)));
    QVERIFY(!run.out.contains(QChar(0x07)));
    QVERIFY(!run.out.contains(QChar(0x202e)));
    QCOMPARE(run.out.count(QLatin1Char('\n')), 1);
    QVERIFY2(run.out.contains(QStringLiteral("evil\\x0a")), qPrintable(run.out));
    QVERIFY(run.out.contains(QStringLiteral("\\x1b]0;P\\x07\\x1b[2J<U+202E>")));
}

void PermissionsTest::cliDetectEscapesUnparsedLines()
{
    const QString log = m_dir.filePath(QStringLiteral("evil.log"));
    QFile file(log);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\x1b]0;PWNED\x07\x1b[2J not a log line\x9b\n");
    file.close();
    const Run run = runCli({QStringLiteral("detect"), QStringLiteral("--format"),
                            QStringLiteral("syslog"), log});
    QVERIFY2(run.err.contains(QStringLiteral("\\x1b]0;PWNED\\x07\\x1b[2J")), qPrintable(run.err));
    QVERIFY(!run.err.contains(QChar(0x1b)));
    QVERIFY(!run.out.contains(QChar(0x1b)));
}

// Deleting every record (and the anchor) leaves a chain that is consistent
// with itself; verify must still fail because accounts exist without the
// records that created them. --expect-head catches a consistent rewrite.
void PermissionsTest::cliAuditVerifyDetectsWipe()
{
    QTemporaryDir dir;
    Database db;
    QVERIFY(openFastDatabase(db, dir));
    Identity admin;
    QVERIFY(!createAdmin(db, QStringLiteral("root"), &admin).isEmpty());
    QString error;
    const QString token = ApiTokenService(db).create(admin, QStringLiteral("t"),
                                                     {Role::Administrator}, 1, nullptr, &error);
    QVERIFY2(!token.isEmpty(), qPrintable(error));
    const QString tokenFile = dir.filePath(QStringLiteral("root.token"));
    QFile file(tokenFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(token.toUtf8());
    file.close();
    const QStringList verify = {QStringLiteral("audit"), QStringLiteral("verify"),
                                QStringLiteral("--database"), db.path(),
                                QStringLiteral("--token-file"), tokenFile};

    const Run intact = runCli(verify);
    QVERIFY2(intact.exitCode == 0, qPrintable(intact.err + intact.out));
    const QRegularExpressionMatch head =
        QRegularExpression(QStringLiteral("hash ([0-9a-f]{64})")).match(intact.out);
    QVERIFY2(head.hasMatch(), qPrintable(intact.out));
    const Run kept = runCli(verify + QStringList{QStringLiteral("--expect-head"),
                                                 head.captured(1)});
    QVERIFY2(kept.exitCode == 0, qPrintable(kept.out));
    const Run other = runCli(verify + QStringList{QStringLiteral("--expect-head"),
                                                  QString(64, QLatin1Char('a'))});
    QCOMPARE(other.exitCode, 5);
    QVERIFY2(other.out.contains(QStringLiteral("kept head hash")), qPrintable(other.out));
    const Run bad = runCli(verify + QStringList{QStringLiteral("--expect-head"),
                                                QStringLiteral("xyz")});
    QCOMPARE(bad.exitCode, 2);

    sqlite3 *raw = nullptr;
    QCOMPARE(sqlite3_open(db.path().toUtf8().constData(), &raw), SQLITE_OK);
    QCOMPARE(sqlite3_exec(raw, "DROP TRIGGER audit_log_no_update; "
                               "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log; "
                               "DELETE FROM audit_anchor",
                          nullptr, nullptr, nullptr),
             SQLITE_OK);
    sqlite3_close(raw);

    const Run wiped = runCli(verify);
    QCOMPARE(wiped.exitCode, 5);
    QVERIFY2(wiped.out.contains(QStringLiteral("user.create_first_admin")), qPrintable(wiped.out));
}

QTEST_GUILESS_MAIN(PermissionsTest)
#include "tst_permissions.moc"
