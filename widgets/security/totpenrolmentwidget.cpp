// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/totpenrolmentwidget.h"

#include "security/qrcodewidget.h"

#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace portcullis {

static QLabel *plainLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    return label;
}

TotpEnrolmentWidget::TotpEnrolmentWidget(Database &db, const Identity &who, QWidget *parent)
    : QWidget(parent), m_db(db), m_who(who)
{
    m_enrolment = AccountService(m_db).beginTotpEnrolment(m_who);
    m_pages = new QStackedWidget(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_pages);

    auto *scan = new QWidget(m_pages);
    auto *scanLayout = new QVBoxLayout(scan);
    scanLayout->addWidget(plainLabel(tr("Scan this code with an authenticator app (TOTP, 6 digits, "
                                        "30 seconds), or type the key below."),
                                     scan));
    m_qr = new QrCodeWidget(scan);
    m_qr->setMatrix(m_enrolment.qr);
    scanLayout->addWidget(m_qr, 0, Qt::AlignHCenter);
    auto *key = new QLineEdit(m_enrolment.base32Key, scan);
    key->setReadOnly(true);
    key->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    key->setAccessibleName(tr("Authenticator key"));
    scanLayout->addWidget(key);
    m_code = new QLineEdit(scan);
    m_code->setPlaceholderText(tr("6-digit code from the app"));
    m_code->setMaxLength(6);
    m_code->setInputMethodHints(Qt::ImhDigitsOnly);
    scanLayout->addWidget(m_code);
    m_error = plainLabel(QString(), scan);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    scanLayout->addWidget(m_error);
    auto *confirmButton = new QPushButton(tr("Confirm code"), scan);
    scanLayout->addWidget(confirmButton);
    connect(confirmButton, &QPushButton::clicked, this, &TotpEnrolmentWidget::confirm);
    connect(m_code, &QLineEdit::returnPressed, this, &TotpEnrolmentWidget::confirm);
    m_pages->addWidget(scan);

    auto *codes = new QWidget(m_pages);
    auto *codesLayout = new QVBoxLayout(codes);
    codesLayout->addWidget(plainLabel(tr("Recovery codes: each signs you in once if you lose the "
                                         "authenticator. Store them offline now; they are not "
                                         "shown again."),
                                      codes));
    m_recoveryCodes = new QPlainTextEdit(codes);
    m_recoveryCodes->setReadOnly(true);
    m_recoveryCodes->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    codesLayout->addWidget(m_recoveryCodes);
    m_pages->addWidget(codes);
}

void TotpEnrolmentWidget::confirm()
{
    QStringList codes;
    QString error;
    if (!AccountService(m_db).confirmTotpEnrolment(m_who, m_enrolment, m_code->text(), &codes,
                                                   &error)) {
        m_error->setText(error);
        m_code->selectAll();
        return;
    }
    m_enrolled = true;
    m_recoveryCodes->setPlainText(codes.join(QLatin1Char('\n')));
    m_pages->setCurrentIndex(1);
    Q_EMIT enrolled();
}

} // namespace portcullis
