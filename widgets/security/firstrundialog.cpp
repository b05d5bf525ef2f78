// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/firstrundialog.h"

#include "security/accounts.h"
#include "security/authenticator.h"
#include "security/totpenrolmentwidget.h"
#include "store/database.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace portcullis {

FirstRunDialog::FirstRunDialog(Database &db, QWidget *parent)
    : QDialog(parent), m_db(db)
{
    setWindowTitle(tr("Portcullis: first run"));
    m_pages = new QStackedWidget(this);

    auto *account = new QWidget(m_pages);
    auto *form = new QFormLayout(account);
    auto *intro = new QLabel(
        tr("This database has no users yet.\n\n"
           "Step 1 of 2: create the administrator account. The password needs 12 or more "
           "characters and must not be a common password.\n"
           "Step 2 of 2: scan a QR code with an authenticator app (TOTP) and store the ten "
           "recovery codes shown.\n\n"
           "Database: %1")
            .arg(QDir::toNativeSeparators(m_db.path())),
        account);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);
    form->addRow(intro);
    m_name = new QLineEdit(account);
    m_password = new QLineEdit(account);
    m_password->setEchoMode(QLineEdit::Password);
    m_repeat = new QLineEdit(account);
    m_repeat->setEchoMode(QLineEdit::Password);
    form->addRow(tr("User name:"), m_name);
    form->addRow(tr("Password:"), m_password);
    form->addRow(tr("Repeat password:"), m_repeat);
    m_error = new QLabel(account);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    form->addRow(m_error);
    auto *create = new QPushButton(tr("Create administrator"), account);
    create->setDefault(true);
    form->addRow(create);
    connect(create, &QPushButton::clicked, this, &FirstRunDialog::createAdministrator);
    m_pages->addWidget(account);

    auto *buttons = new QDialogButtonBox(this);
    m_finish = buttons->addButton(tr("Finish"), QDialogButtonBox::AcceptRole);
    m_finish->setEnabled(false);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
    layout->addWidget(buttons);
    resize(460, 560);
}

void FirstRunDialog::createAdministrator()
{
    if (m_password->text() != m_repeat->text()) {
        m_error->setText(tr("The two passwords differ."));
        return;
    }
    QString error;
    const QString password = m_password->text();
    m_admin = AccountService(m_db).createFirstAdministrator(m_name->text().trimmed(), password,
                                                            &error);
    if (!m_admin) {
        m_error->setText(error);
        return;
    }
    // Sign in at once so that the administrator has a fresh step-up.
    Authenticator(m_db).signIn(m_admin->userName, password, QString(), QStringLiteral("gui"));
    m_password->clear();
    m_repeat->clear();

    m_enrolment = new TotpEnrolmentWidget(m_db, *m_admin, m_pages);
    m_pages->addWidget(m_enrolment);
    m_pages->setCurrentWidget(m_enrolment);
    connect(m_enrolment, &TotpEnrolmentWidget::enrolled, this,
            [this] { m_finish->setEnabled(true); });
}

} // namespace portcullis
