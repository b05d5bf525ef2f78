// SPDX-License-Identifier: GPL-3.0-or-later
// First-run set-up, login with TOTP, the Audit view and the idle lock,
// driven offscreen on a real database.
#include "securitytestutil.h"

#include "security/auditlog.h"
#include "security/audittablemodel.h"
#include "security/auditview.h"
#include "security/authenticator.h"
#include "security/firstrundialog.h"
#include "security/idlelock.h"
#include "security/logindialog.h"
#include "security/totpenrolmentwidget.h"
#include "security/usermanagementdialog.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>

using namespace portcullis;
using namespace portcullis::testutil;

class SecurityWidgetsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void firstRunCreatesEnrolledAdmin();
    void loginAsksForCode();
    void auditViewFiltersExportsVerifies();
    void idleLockBlocksUntilSignIn();
    void userManagementListsUsers();

private:
    static void screenshot(QWidget *widget, const QString &name);
    // Creates the administrator through the first-run dialog.
    QByteArray runFirstRun(FirstRunDialog &dialog);

    QTemporaryDir *m_dir = nullptr;
    Database *m_db = nullptr;
};

void SecurityWidgetsTest::init()
{
    m_dir = new QTemporaryDir;
    m_db = new Database;
    QVERIFY(openFastDatabase(*m_db, *m_dir));
}

void SecurityWidgetsTest::cleanup()
{
    delete m_db;
    delete m_dir;
}

void SecurityWidgetsTest::screenshot(QWidget *widget, const QString &name)
{
    const QString folder = qEnvironmentVariable("PORTCULLIS_SCREENSHOT_DIR");
    if (folder.isEmpty())
        return;
    QApplication::processEvents();
    QVERIFY(widget->grab().save(folder + QLatin1Char('/') + name));
}

QByteArray SecurityWidgetsTest::runFirstRun(FirstRunDialog &dialog)
{
    dialog.nameEdit()->setText(QStringLiteral("alice"));
    dialog.passwordEdit()->setText(strongPassword);
    dialog.repeatEdit()->setText(strongPassword);
    dialog.createAdministrator();
    if (!dialog.enrolmentWidget())
        return QByteArray();
    return dialog.enrolmentWidget()->keyForTesting();
}

void SecurityWidgetsTest::firstRunCreatesEnrolledAdmin()
{
    FirstRunDialog dialog(*m_db);
    dialog.show();
    dialog.passwordEdit()->setText(QStringLiteral("short"));
    dialog.repeatEdit()->setText(QStringLiteral("short"));
    dialog.nameEdit()->setText(QStringLiteral("alice"));
    dialog.createAdministrator();
    QVERIFY(!dialog.administrator());
    QVERIFY(!AccountService(*m_db).hasUsers());

    const QByteArray key = runFirstRun(dialog);
    QVERIFY(!key.isEmpty());
    QVERIFY(dialog.administrator());
    screenshot(&dialog, QStringLiteral("security-first-run.png"));

    nextTotpStep();
    dialog.enrolmentWidget()->codeEdit()->setText(currentCode(key));
    dialog.enrolmentWidget()->confirm();
    QVERIFY(dialog.enrolmentWidget()->isEnrolled());
    const auto *codes = dialog.enrolmentWidget()->findChild<QPlainTextEdit *>();
    QCOMPARE(codes->toPlainText().split(QLatin1Char('\n')).size(), 10);
    QVERIFY(AccountService(*m_db).isMfaEnrolled(dialog.administrator()->userId));
}

void SecurityWidgetsTest::loginAsksForCode()
{
    Identity admin;
    const QByteArray key = createAdmin(*m_db, QStringLiteral("alice"), &admin);
    nextTotpStep();

    LoginDialog dialog(*m_db);
    dialog.show();
    dialog.userEdit()->setText(QStringLiteral("alice"));
    dialog.passwordEdit()->setText(strongPassword);
    dialog.submit();
    QVERIFY(dialog.codeEdit()->isVisible());
    QVERIFY(!dialog.codeEdit()->isReadOnly());
    QVERIFY(!dialog.identity());
    dialog.codeEdit()->setText(currentCode(key));
    screenshot(&dialog, QStringLiteral("security-login-totp.png"));

    dialog.submit();
    QVERIFY(dialog.identity());
    QCOMPARE(dialog.identity()->userName, QStringLiteral("alice"));
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void SecurityWidgetsTest::auditViewFiltersExportsVerifies()
{
    Identity admin;
    const QByteArray key = createAdmin(*m_db, QStringLiteral("alice"), &admin);
    nextTotpStep();
    Authenticator auth(*m_db);
    auth.signIn(QStringLiteral("alice"), QStringLiteral("wrong password 1"), QString(), "gui");
    auth.signIn(QStringLiteral("alice"), strongPassword, currentCode(key), "gui");
    AuditLog(*m_db).append(admin, QStringLiteral("alert.close"), QStringLiteral("alert:17"),
                           QJsonObject{{QStringLiteral("disposition"),
                                        QStringLiteral("false_positive")}},
                           nullptr);
    AuditLog(*m_db).appendAnonymous(QStringLiteral("=cmd|' /C calc'!A0"),
                                    QStringLiteral("login.failure"), QStringLiteral("user:x"),
                                    QJsonObject(), nullptr);

    AuditView view(*m_db, admin);
    view.resize(1200, 420);
    view.show();
    QAbstractItemModelTester tester(view.model());
    const int all = view.model()->rowCount();
    QVERIFY(all >= 6);

    view.filterEdit()->setText(QStringLiteral("login.failure"));
    view.reload();
    QCOMPARE(view.model()->rowCount(), 2);
    view.filterEdit()->clear();
    view.reload();

    const QString csvPath = m_dir->filePath(QStringLiteral("audit.csv"));
    QVERIFY(view.exportCsv(csvPath));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray content = csv.readAll();
    QVERIFY(content.contains("\"'=cmd|' /C calc'!A0\""));
    QVERIFY(!content.contains(",=cmd"));

    view.verifyChain();
    const auto labels = view.findChildren<QLabel *>();
    bool intact = false;
    for (const QLabel *label : labels)
        intact = intact || label->text().contains(QStringLiteral("Chain intact"));
    QVERIFY(intact);
    screenshot(&view, QStringLiteral("security-audit-view.png"));

    // An analyst gets no records, and the reason.
    const Identity analyst = identityForTesting(QStringLiteral("andy"), {Role::Analyst}, 99);
    AuditView denied(*m_db, analyst);
    QCOMPARE(denied.model()->rowCount(), 0);
}

void SecurityWidgetsTest::idleLockBlocksUntilSignIn()
{
    Identity admin;
    const QByteArray key = createAdmin(*m_db, QStringLiteral("alice"), &admin);
    QWidget window;
    window.resize(600, 400);
    auto *button = new QPushButton(QStringLiteral("Act"), &window);
    int clicks = 0;
    connect(button, &QPushButton::clicked, [&] { ++clicks; });
    window.show();

    IdleLock lock(*m_db, admin, &window);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(clicks, 1);
    lock.lock();
    QVERIFY(lock.isLocked());
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(clicks, 1); // swallowed

    const QList<QLineEdit *> fields = window.findChildren<QLineEdit *>();
    QCOMPARE(fields.size(), 2);
    fields.at(0)->setText(QStringLiteral("wrong password!"));
    QTest::keyClick(fields.at(0), Qt::Key_Return);
    QVERIFY(lock.isLocked());

    nextTotpStep();
    fields.at(0)->setText(strongPassword);
    fields.at(1)->setText(currentCode(key));
    QTest::keyClick(fields.at(1), Qt::Key_Return);
    QVERIFY(!lock.isLocked());
    QApplication::processEvents();
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(clicks, 2);
}

void SecurityWidgetsTest::userManagementListsUsers()
{
    Identity admin;
    createAdmin(*m_db, QStringLiteral("alice"), &admin);
    UserManagementDialog dialog(*m_db, admin);
    const auto *table = dialog.findChild<QTableWidget *>();
    QVERIFY(table);
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("alice"));
}

QTEST_MAIN(SecurityWidgetsTest)
#include "tst_securitywidgets.moc"
