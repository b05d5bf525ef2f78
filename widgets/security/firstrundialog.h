// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"

#include <QDialog>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace portcullis {

class Database;
class TotpEnrolmentWidget;

// First run: creates the administrator, then enrols their authenticator and
// shows the recovery codes once. Accepted only after enrolment.
class FirstRunDialog : public QDialog
{
    Q_OBJECT

public:
    explicit FirstRunDialog(Database &db, QWidget *parent = nullptr);

    std::optional<Identity> administrator() const { return m_admin; }

    // For tests and screenshots.
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *passwordEdit() const { return m_password; }
    QLineEdit *repeatEdit() const { return m_repeat; }
    TotpEnrolmentWidget *enrolmentWidget() const { return m_enrolment; }

public Q_SLOTS:
    void createAdministrator();

private:
    Database &m_db;
    std::optional<Identity> m_admin;
    QStackedWidget *m_pages = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_password = nullptr;
    QLineEdit *m_repeat = nullptr;
    QLabel *m_error = nullptr;
    TotpEnrolmentWidget *m_enrolment = nullptr;
    QPushButton *m_finish = nullptr;
};

} // namespace portcullis
