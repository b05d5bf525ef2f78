// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/accounts.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QStackedWidget;

namespace portcullis {

class QrCodeWidget;

// Enrolment of an authenticator app: the QR code and the key as text, a
// field for the first code, then the ten recovery codes shown once.
class TotpEnrolmentWidget : public QWidget
{
    Q_OBJECT

public:
    TotpEnrolmentWidget(Database &db, const Identity &who, QWidget *parent = nullptr);

    bool isEnrolled() const { return m_enrolled; }
    // For the first-run screenshot and tests: the key being enrolled.
    QByteArray keyForTesting() const { return m_enrolment.key; }
    QLineEdit *codeEdit() const { return m_code; }

public Q_SLOTS:
    void confirm();

Q_SIGNALS:
    void enrolled();

private:
    Database &m_db;
    Identity m_who;
    TotpEnrolment m_enrolment;
    bool m_enrolled = false;
    QStackedWidget *m_pages = nullptr;
    QrCodeWidget *m_qr = nullptr;
    QLineEdit *m_code = nullptr;
    QLabel *m_error = nullptr;
    QPlainTextEdit *m_recoveryCodes = nullptr;
};

} // namespace portcullis
