// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/logindialog.h"

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

LoginDialog::LoginDialog(Database &db, QWidget *parent)
    : QDialog(parent), m_db(db)
{
    setWindowTitle(tr("Sign in to Portcullis"));
    m_pages = new QStackedWidget(this);
    auto *page = new QWidget(m_pages);
    auto *form = new QFormLayout(page);
    m_user = new QLineEdit(page);
    m_password = new QLineEdit(page);
    m_password->setEchoMode(QLineEdit::Password);
    m_code = new QLineEdit(page);
    m_code->setEchoMode(QLineEdit::Password);
    m_code->setPlaceholderText(tr("6 digits, or a recovery code"));
    m_codeLabel = new QLabel(tr("Authentication code:"), page);
    // Names the console being unlocked, for whoever runs more than one database.
    auto *database = new QLabel(tr("Database: %1").arg(QDir::toNativeSeparators(m_db.path())), page);
    database->setTextFormat(Qt::PlainText);
    database->setWordWrap(true);
    form->addRow(database);
    form->addRow(tr("User name:"), m_user);
    form->addRow(tr("Password:"), m_password);
    form->addRow(m_codeLabel, m_code);
    m_codeLabel->hide();
    m_code->hide();
    m_message = new QLabel(page);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    form->addRow(m_message);
    m_pages->addWidget(page);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *signIn = buttons->addButton(tr("Sign in"), QDialogButtonBox::ActionRole);
    signIn->setDefault(true);
    connect(signIn, &QPushButton::clicked, this, &LoginDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
    layout->addWidget(buttons);
    resize(420, 220);
}

void LoginDialog::submit()
{
    if (m_identity)
        return;
    const SignInResult result = Authenticator(m_db).signIn(
        m_user->text(), m_password->text(), m_needsCode ? m_code->text() : QString(),
        QStringLiteral("gui"));
    m_message->setStyleSheet(QStringLiteral("color: #b00020"));
    switch (result.status) {
    case SignInStatus::SecondFactorRequired:
        m_message->setStyleSheet(QString());
        m_message->setText(result.message);
        m_needsCode = true;
        m_codeLabel->show();
        m_code->show();
        m_code->setFocus();
        m_user->setReadOnly(true);
        return;
    case SignInStatus::PasswordMissing:
        m_message->setText(result.message);
        m_password->setFocus();
        return;
    case SignInStatus::InvalidCredentials:
    case SignInStatus::LockedOut:
        m_message->setText(result.message);
        m_code->clear();
        m_password->selectAll();
        return;
    case SignInStatus::Success:
        break;
    }
    m_password->clear();
    m_code->clear();
    m_identity = result.identity;
    if (result.mfaEnrolmentRequired) {
        showEnrolment(result.identity);
        return;
    }
    accept();
}

void LoginDialog::showEnrolment(const Identity &who)
{
    auto *page = new QWidget(m_pages);
    auto *layout = new QVBoxLayout(page);
    auto *note = new QLabel(tr("Your role needs a second factor. Enrol an authenticator app to "
                               "continue."),
                            page);
    note->setTextFormat(Qt::PlainText);
    note->setWordWrap(true);
    layout->addWidget(note);
    auto *enrolment = new TotpEnrolmentWidget(m_db, who, page);
    layout->addWidget(enrolment);
    auto *done = new QPushButton(tr("Continue"), page);
    done->setEnabled(false);
    layout->addWidget(done);
    connect(enrolment, &TotpEnrolmentWidget::enrolled, done, [done] { done->setEnabled(true); });
    connect(done, &QPushButton::clicked, this, &QDialog::accept);
    // Cancelling before enrolment leaves the user signed out.
    connect(this, &QDialog::rejected, this, [this] { m_identity.reset(); });
    m_pages->addWidget(page);
    m_pages->setCurrentWidget(page);
    resize(460, 620);
}

} // namespace portcullis
