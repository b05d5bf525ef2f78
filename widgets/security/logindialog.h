// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"

#include <QDialog>

#include <optional>

class QLabel;
class QLineEdit;
class QStackedWidget;

namespace portcullis {

class Database;

// Sign-in: user name and password, then a TOTP or recovery code when the user
// has enrolled, or the enrolment itself when the role needs MFA and none is
// enrolled yet.
class LoginDialog : public QDialog
{
    Q_OBJECT

public:
    explicit LoginDialog(Database &db, QWidget *parent = nullptr);

    std::optional<Identity> identity() const { return m_identity; }

    // For tests and screenshots.
    QLineEdit *userEdit() const { return m_user; }
    QLineEdit *passwordEdit() const { return m_password; }
    QLineEdit *codeEdit() const { return m_code; }

public Q_SLOTS:
    void submit();

private:
    void showEnrolment(const Identity &who);

    Database &m_db;
    std::optional<Identity> m_identity;
    bool m_needsCode = false;
    QStackedWidget *m_pages = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QLabel *m_codeLabel = nullptr;
    QLineEdit *m_code = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace portcullis
