// SPDX-License-Identifier: GPL-3.0-or-later
// portcullis-cli suppress: an administrator adds, lists and removes entries
// through the built CLI, an analyst may list but not change them, and each
// change leaves an audit record.
#include "../security/securitytestutil.h"

#include "security/apitokens.h"
#include "security/auditlog.h"
#include "clirun.h"

#include <QtTest>

using namespace portcullis;
using namespace portcullis::testutil;

class TestCliSuppress : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void adminAddsListsRemoves();
    void analystDenied();
    void invalidExpiryIsUsageError();
    void invalidValueIsUsageError();
    void missingReasonIsUsageError();

private:
    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Run runCli(const QStringList &arguments);
    QString tokenFile(const Identity &who, const QString &name);
    qsizetype auditCount(const QString &action);

    QTemporaryDir m_dir;
    Database m_db;
    Identity m_admin;
    QString m_adminToken;
    QString m_analystToken;
};

void TestCliSuppress::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(openFastDatabase(m_db, m_dir));
    SecurityPolicy policy = loadSecurityPolicy(m_db);
    policy.stepUpUsers = false;
    QString error;
    QVERIFY2(saveSecurityPolicyUnchecked(m_db, policy, &error), qPrintable(error));
    QVERIFY(!createAdmin(m_db, QStringLiteral("admin"), &m_admin).isEmpty());
    AccountService accounts(m_db);
    QVERIFY2(accounts.addUser(m_admin, QStringLiteral("ana"), strongPassword, { Role::Analyst },
                 &error),
        qPrintable(error));
    Statement query = m_db.prepare("SELECT id FROM users WHERE name = 'ana'");
    QVERIFY(query.step());
    const std::optional<Identity> analyst = accounts.loadIdentity(query.columnInt64(0));
    QVERIFY(analyst);
    m_adminToken = tokenFile(m_admin, QStringLiteral("admin"));
    m_analystToken = tokenFile(*analyst, QStringLiteral("ana"));
    QVERIFY(!m_adminToken.isEmpty());
    QVERIFY(!m_analystToken.isEmpty());
}

TestCliSuppress::Run TestCliSuppress::runCli(const QStringList &arguments)
{
    QProcessEnvironment environment = portcullis::testing::cliEnvironment(m_db.path());
    environment.insert(QStringLiteral("PORTCULLIS_SECRET_BACKEND"), QStringLiteral("file"));
    environment.insert(QStringLiteral("PORTCULLIS_SECRET_PASSPHRASE"),
        QStringLiteral("correct horse battery staple"));
    const portcullis::testing::CliResult run = portcullis::testing::runCliProgram(
        QStringLiteral(PORTCULLIS_CLI), QStringList { QStringLiteral("suppress") } + arguments,
        environment);
    return Run { run.exitCode, QString::fromUtf8(run.out), QString::fromUtf8(run.err) };
}

QString TestCliSuppress::tokenFile(const Identity &who, const QString &name)
{
    QString error;
    const QString token
        = ApiTokenService(m_db).create(who, QStringLiteral("test"), who.roles, 1, nullptr, &error);
    if (token.isEmpty()) {
        qWarning("token: %s", qPrintable(error));
        return QString();
    }
    const QString path = m_dir.filePath(name + QStringLiteral(".token"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QString();
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(token.toUtf8());
    return path;
}

qsizetype TestCliSuppress::auditCount(const QString &action)
{
    AuditFilter filter;
    filter.action = action;
    QString error;
    return AuditLog(m_db).list(m_admin, filter, &error).size();
}

void TestCliSuppress::adminAddsListsRemoves()
{
    const QStringList admin { QStringLiteral("--token-file"), m_adminToken };
    Run add = runCli(QStringList { QStringLiteral("add"), QStringLiteral("source"),
                         QStringLiteral("198.51.100.0/24"), QStringLiteral("--reason"),
                         QStringLiteral("office NAT"), QStringLiteral("--expires"),
                         QStringLiteral("7d") }
        + admin);
    QVERIFY2(add.exitCode == 0, qPrintable(add.err));
    QVERIFY2(add.out.contains(QLatin1String("Added suppression")), qPrintable(add.out));
    QCOMPARE(auditCount(QStringLiteral("suppression.add")), 1);

    Run list = runCli(QStringList { QStringLiteral("list") } + admin);
    QCOMPARE(list.exitCode, 0);
    QVERIFY2(list.out.contains(QLatin1String("198.51.100.0/24")), qPrintable(list.out));
    QVERIFY(list.out.contains(QLatin1String("office NAT")));

    const QString id = list.out.split(QLatin1Char('\n')).value(1).section(QLatin1Char('\t'), 0, 0);
    Run remove = runCli(QStringList { QStringLiteral("remove"), id } + admin);
    QVERIFY2(remove.exitCode == 0, qPrintable(remove.err));
    QCOMPARE(auditCount(QStringLiteral("suppression.remove")), 1);
    Run empty = runCli(QStringList { QStringLiteral("list") } + admin);
    QVERIFY(!empty.out.contains(QLatin1String("198.51.100.0/24")));
}

void TestCliSuppress::analystDenied()
{
    const QStringList analyst { QStringLiteral("--token-file"), m_analystToken };
    const qsizetype before = auditCount(QStringLiteral("suppression.add"));
    Run add = runCli(QStringList { QStringLiteral("add"), QStringLiteral("rule"),
                         QStringLiteral("web-scanning"), QStringLiteral("--reason"),
                         QStringLiteral("noisy") }
        + analyst);
    QCOMPARE(add.exitCode, 4);
    QVERIFY2(add.err.contains(QLatin1String("manage_rules")), qPrintable(add.err));
    QCOMPARE(auditCount(QStringLiteral("suppression.add")), before);

    Run list = runCli(QStringList { QStringLiteral("list") } + analyst);
    QCOMPARE(list.exitCode, 0);
}

void TestCliSuppress::invalidExpiryIsUsageError()
{
    Run add = runCli({ QStringLiteral("add"), QStringLiteral("rule"), QStringLiteral("web-scanning"),
        QStringLiteral("--reason"), QStringLiteral("noisy"), QStringLiteral("--expires"),
        QStringLiteral("soon"), QStringLiteral("--token-file"), m_adminToken });
    QCOMPARE(add.exitCode, 2);
    QVERIFY2(add.err.contains(QLatin1String("Invalid --expires 'soon'")), qPrintable(add.err));
}

void TestCliSuppress::invalidValueIsUsageError()
{
    Run add = runCli({ QStringLiteral("add"), QStringLiteral("source"), QStringLiteral("999.1.1.1"),
        QStringLiteral("--reason"), QStringLiteral("x"), QStringLiteral("--token-file"),
        m_adminToken });
    QCOMPARE(add.exitCode, 2);
    QVERIFY2(add.err.contains(QLatin1String("999.1.1.1")), qPrintable(add.err));
}

void TestCliSuppress::missingReasonIsUsageError()
{
    const qsizetype before = auditCount(QStringLiteral("suppression.add"));
    Run add = runCli({ QStringLiteral("add"), QStringLiteral("source"), QStringLiteral("1.2.3.4"),
        QStringLiteral("--token-file"), m_adminToken });
    QCOMPARE(add.exitCode, 2);
    QVERIFY2(add.err.contains(QLatin1String("reason")), qPrintable(add.err));
    QCOMPARE(auditCount(QStringLiteral("suppression.add")), before);
}

QTEST_GUILESS_MAIN(TestCliSuppress)
#include "tst_clisuppress.moc"
