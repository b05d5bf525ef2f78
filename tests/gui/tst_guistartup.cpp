// SPDX-License-Identifier: GPL-3.0-or-later
// Start-up of the GUI as the executable runs it: first-run set-up and login
// on a real database file, the demo session, and the menus shown to each role.
#include "../security/securitytestutil.h"

#include "alerttablemodel.h"
#include "consolesignin.h"
#include "demo.h"
#include "importdialog.h"
#include "mainwindow.h"
#include "security/firstrundialog.h"
#include "security/idlelock.h"
#include "security/logindialog.h"
#include "security/signininteractive.h"
#include "security/totpenrolmentwidget.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLineEdit>
#include <QScopeGuard>
#include <QTimer>
#include <QtTest>

#include <functional>

using namespace portcullis;
using namespace portcullis::testutil;

namespace {

// Runs `drive` on the first top-level dialog of type T once its exec() runs.
template<typename T>
void whenDialogOpens(const std::function<void(T *)> &drive)
{
    auto *poll = new QTimer;
    poll->setInterval(20);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, drive] {
        for (QWidget *widget : QApplication::topLevelWidgets()) {
            auto *dialog = qobject_cast<T *>(widget);
            if (dialog && dialog->isVisible()) {
                poll->stop();
                poll->deleteLater();
                drive(dialog);
                return;
            }
        }
    });
    poll->start();
}

// Creates the database with a low scrypt cost, so that sign-in runs quickly.
QString prepareDatabase(const QTemporaryDir &dir)
{
    Database db;
    if (!openFastDatabase(db, dir))
        return QString();
    return db.path();
}

} // namespace

class GuiStartupTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstRunCreatesAdminOpensWindow();
    void loginWrongPasswordRejectedCounted();
    void demoSignsInOnTemporaryDatabase();
    void demoRejectsExplicitDatabase();
    void demoIdentityRejectsRealDatabase();
    void analystSeesNoSecurityMenus();
};

void GuiStartupTest::firstRunCreatesAdminOpensWindow()
{
    QTemporaryDir dir;
    const QString path = prepareDatabase(dir);
    QVERIFY(!path.isEmpty());

    bool enrolled = false;
    whenDialogOpens<FirstRunDialog>([&enrolled](FirstRunDialog *dialog) {
        dialog->nameEdit()->setText(QStringLiteral("alice"));
        dialog->passwordEdit()->setText(strongPassword);
        dialog->repeatEdit()->setText(strongPassword);
        dialog->createAdministrator();
        TotpEnrolmentWidget *enrolment = dialog->enrolmentWidget();
        if (!enrolment) {
            dialog->reject();
            return;
        }
        nextTotpStep();
        enrolment->codeEdit()->setText(currentCode(enrolment->keyForTesting()));
        enrolment->confirm();
        enrolled = enrolment->isEnrolled();
        dialog->accept();
    });
    const ConsoleSignIn result = signInToConsole(path);
    QCOMPARE(result.outcome, ConsoleSignIn::SignedIn);
    QVERIFY(enrolled);
    QVERIFY(result.identity);
    QCOMPARE(result.identity->userName, QStringLiteral("alice"));
    QVERIFY(result.identity->roles.contains(Role::Administrator));

    MainWindow window(path, *result.identity);
    QVERIFY(window.isDatabaseOpen());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.auditTrailAction()->isVisible());
    QVERIFY(window.usersAction()->isVisible());
    QVERIFY(window.auditDock());
    QVERIFY(window.idleLock());
    QVERIFY(!window.idleLock()->isLocked());
    QVERIFY(!window.windowTitle().contains(QStringLiteral("DEMO")));
}

void GuiStartupTest::loginWrongPasswordRejectedCounted()
{
    QTemporaryDir dir;
    const QString path = prepareDatabase(dir);
    QVERIFY(!path.isEmpty());
    {
        Database db;
        QString error;
        QVERIFY2(db.open(path, &error), qPrintable(error));
        Identity admin;
        QVERIFY(!createAdmin(db, QStringLiteral("alice"), &admin).isEmpty());
    }

    bool rejected = false;
    whenDialogOpens<LoginDialog>([&rejected](LoginDialog *dialog) {
        dialog->userEdit()->setText(QStringLiteral("alice"));
        dialog->passwordEdit()->setText(QStringLiteral("not the password 1"));
        dialog->submit();
        rejected = !dialog->identity() && dialog->isVisible();
        dialog->reject();
    });
    const ConsoleSignIn result = signInToConsole(path);
    QVERIFY(rejected);
    QCOMPARE(result.outcome, ConsoleSignIn::Cancelled);
    QVERIFY(!result.identity);

    Database db;
    QString error;
    QVERIFY2(db.open(path, &error), qPrintable(error));
    Statement failures =
        db.prepare("SELECT failures FROM login_state WHERE user_name = 'alice'", &error);
    QVERIFY2(failures.isValid(), qPrintable(error));
    QVERIFY(failures.step());
    QCOMPARE(failures.columnInt(0), 1);
    Statement audited = db.prepare(
        "SELECT count(*) FROM audit_log WHERE action = 'login.failure'", &error);
    QVERIFY2(audited.isValid(), qPrintable(error));
    QVERIFY(audited.step());
    QCOMPARE(audited.columnInt(0), 1);
}

void GuiStartupTest::demoSignsInOnTemporaryDatabase()
{
    QString error;
    const std::unique_ptr<DemoSession> demo = prepareDemo(QString(), &error);
    QVERIFY2(demo, qPrintable(error));
    QVERIFY(demo->identity.isDemo);
    QVERIFY(demo->identity.roles.contains(Role::Administrator));
    const QString temp = QDir(QDir::tempPath()).canonicalPath() + QLatin1Char('/');
    QVERIFY2(QFileInfo(demo->databasePath).canonicalFilePath().startsWith(temp),
             qPrintable(demo->databasePath));
    QCOMPARE(demo->logPaths.size(), 2);
    for (const QString &log : demo->logPaths)
        QVERIFY2(QFileInfo(log).size() > 0, qPrintable(log));

    MainWindow window(demo->databasePath, demo->identity);
    QVERIFY(window.isDatabaseOpen());
    QVERIFY(window.windowTitle().contains(QStringLiteral("DEMO")));
    window.setErrorDialogsEnabled(false);
    window.show();
    startDemoFeed(window, *demo);
    QTRY_VERIFY_WITH_TIMEOUT(window.importDialog() && !window.importDialog()->isRunning(), 60000);
    QVERIFY(window.alertModel()->matchingCount() > 0);
}

void GuiStartupTest::demoRejectsExplicitDatabase()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("real.db"));
    QString error;
    const std::unique_ptr<DemoSession> demo = prepareDemo(path, &error);
    QVERIFY(!demo);
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY(!QFileInfo::exists(path));
}

// The engine's own check: a database outside the temporary folder gets no
// demo administrator, for any caller.
void GuiStartupTest::demoIdentityRejectsRealDatabase()
{
    // A checkout may itself sit under /tmp (CI clones into mktemp -d), so the
    // test points TMPDIR at a folder of its own beside the "real" database.
    const QString base = QCoreApplication::applicationDirPath();
    const QByteArray savedTmpDir = qgetenv("TMPDIR");
    const QString privateTemp = base + QStringLiteral("/guistartup-tmp");
    QVERIFY(QDir().mkpath(privateTemp));
    qputenv("TMPDIR", QFile::encodeName(privateTemp));
    const auto restoreTmpDir = qScopeGuard([&savedTmpDir] {
        if (savedTmpDir.isNull())
            qunsetenv("TMPDIR");
        else
            qputenv("TMPDIR", savedTmpDir);
    });

    QTemporaryDir dir(base + QStringLiteral("/real-XXXXXX"));
    QVERIFY(dir.isValid());
    QVERIFY2(!dir.path().startsWith(QDir::tempPath()), "the database is under the temp folder");
    Database db;
    QString error;
    QVERIFY2(db.open(dir.filePath(QStringLiteral("console.db")), &error), qPrintable(error));
    QVERIFY(!signInDemo(db, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!AccountService(db).hasUsers());
}

void GuiStartupTest::analystSeesNoSecurityMenus()
{
    QTemporaryDir dir;
    const QString path = prepareDatabase(dir);
    QVERIFY(!path.isEmpty());
    const Identity analyst = identityForTesting(QStringLiteral("bob"), { Role::Analyst }, 2);
    QVERIFY(!hasPermission(analyst, Permission::ViewAudit));

    MainWindow window(path, analyst);
    QVERIFY(window.isDatabaseOpen());
    QVERIFY(!window.auditTrailAction()->isVisible());
    QVERIFY(!window.usersAction()->isVisible());
    QVERIFY(!window.auditDock());
    QVERIFY(!window.auditView());
}

QTEST_MAIN(GuiStartupTest)
#include "tst_guistartup.moc"
