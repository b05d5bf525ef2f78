// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's security parts: the Audit trail dock, the Administration
// menu, the idle lock and the status bar's sign-in and secret storage labels.
#include "mainwindow.h"

#include "alertdetailpane.h"
#include "security/auditview.h"
#include "security/idlelock.h"
#include "security/secretstore.h"
#include "security/usermanagementdialog.h"
#include "store/store.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QVBoxLayout>

namespace portcullis {

namespace {

// The encrypted fallback file sits beside the database, where
// `portcullis-cli secrets` keeps it too.
QString secretFilePath(const QString &databasePath)
{
    return QFileInfo(databasePath).absoluteDir().filePath(QStringLiteral("secrets.json"));
}

// Sets the status bar label to the secret storage in use: a short text, and
// the detail (the backend's name, the file's path) in the tooltip.
void describeSecretStorage(QLabel *label, const QString &databasePath)
{
    if (keychainAvailable()) {
        QString error;
        const auto store = openSecretStore(secretFilePath(databasePath), [] { return QString(); },
                                           &error);
        label->setText(store ? MainWindow::tr("Secrets: system keychain")
                             : MainWindow::tr("Secrets: system keychain failed"));
        label->setToolTip(store ? store->backendName() : error);
        return;
    }
    // NOTE: without a keychain the encrypted file is described, not opened,
    // because opening it needs the passphrase and the status bar must not ask.
    label->setText(MainWindow::tr("Secrets: encrypted file (no system keychain)"));
    label->setToolTip(MainWindow::tr("Backend tokens and signing keys go to %1, encrypted with "
                                     "AES-256-GCM under a key derived with scrypt from a "
                                     "passphrase.")
                          .arg(QDir::toNativeSeparators(secretFilePath(databasePath))));
}

// A full-width banner above the alerts, so that no one mistakes the demo for
// a real console.
QWidget *demoBanner(QWidget *parent)
{
    auto *banner = new QLabel(MainWindow::tr("DEMO — synthetic logs and a simulated backend on this "
                                             "machine, in a throw-away database deleted when you "
                                             "quit. Nothing here is real."),
                              parent);
    banner->setObjectName(QStringLiteral("demoBanner"));
    banner->setTextFormat(Qt::PlainText);
    banner->setAlignment(Qt::AlignCenter);
    banner->setStyleSheet(QStringLiteral(
        "QLabel { background: #ffd54f; color: #000; font-weight: bold; padding: 4px; }"));
    return banner;
}

} // namespace

void MainWindow::createSecurityActions(QMenu *viewMenu)
{
    Database &db = m_store->database();
    m_idleLock = new IdleLock(db, m_identity, this);

    const bool mayViewAudit = hasPermission(m_identity, Permission::ViewAudit);
    if (mayViewAudit) {
        m_auditView = new AuditView(db, m_identity, this);
        m_auditDock = new QDockWidget(tr("Audit trail"), this);
        m_auditDock->setObjectName(QStringLiteral("auditDock"));
        m_auditDock->setWidget(m_auditView);
        addDockWidget(Qt::BottomDockWidgetArea, m_auditDock);
        tabifyDockWidget(m_detailDock, m_auditDock);
        m_auditDock->hide();
        connect(m_auditDock, &QDockWidget::visibilityChanged, m_auditView, [this](bool visible) {
            if (visible)
                m_auditView->reload();
        });
        m_auditTrailAction = m_auditDock->toggleViewAction();
        // The dock shares its tab bar with the alert detail: bring it to the front when opened.
        connect(m_auditTrailAction, &QAction::triggered, this, [this](bool checked) {
            if (!checked)
                return;
            m_auditDock->raise();
            resizeDocks({ m_auditDock }, { height() / 2 }, Qt::Vertical);
        });
        m_auditTrailAction->setText(tr("&Audit trail"));
    } else {
        m_auditTrailAction = new QAction(tr("&Audit trail"), this);
        m_auditTrailAction->setVisible(false);
    }
    m_auditTrailAction->setObjectName(QStringLiteral("auditTrailAction"));
    m_auditTrailAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_T);
    viewMenu->addSeparator();
    viewMenu->addAction(m_auditTrailAction);

    QMenu *administration = menuBar()->addMenu(tr("Ad&ministration"));
    administration->setObjectName(QStringLiteral("administrationMenu"));
    m_usersAction = administration->addAction(tr("&Users..."), this,
                                              &MainWindow::showUserManagement);
    m_usersAction->setObjectName(QStringLiteral("usersAction"));
    const bool mayManageUsers = hasPermission(m_identity, Permission::ManageUsers);
    m_usersAction->setVisible(mayManageUsers);
    administration->menuAction()->setVisible(mayManageUsers);
}

// The user dialog asks for a step-up before each change (when the policy
// says so), and the engine checks ManageUsers again.
void MainWindow::showUserManagement()
{
    UserManagementDialog dialog(m_store->database(), m_identity, this);
    dialog.exec();
    if (m_auditView)
        m_auditView->reload();
}

void MainWindow::createSecurityStatus()
{
    auto *secrets = new QLabel(this);
    secrets->setObjectName(QStringLiteral("secretStorageLabel"));
    secrets->setTextFormat(Qt::PlainText);
    secrets->setContentsMargins(6, 0, 6, 0);
    describeSecretStorage(secrets, m_databasePath);
    statusBar()->addPermanentWidget(secrets);

    if (!m_identity.isDemo)
        return;
    QWidget *alerts = takeCentralWidget();
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(demoBanner(central));
    layout->addWidget(alerts);
    setCentralWidget(central);
}

} // namespace portcullis
