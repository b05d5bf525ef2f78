// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"

#include <QDialog>

class QTableWidget;

namespace portcullis {

class Database;

// Administrators: users, their roles and MFA state; add, change roles,
// disable or enable, reset MFA. Each change requests a step-up first when the
// policy says so; the engine checks the permission again.
class UserManagementDialog : public QDialog
{
    Q_OBJECT

public:
    UserManagementDialog(Database &db, const Identity &who, QWidget *parent = nullptr);

private:
    void reload();
    QString selectedUser() const;
    void addUser();
    void editRoles();
    void toggleDisabled();
    void resetMfa();
    void report(bool ok, const QString &error);

    Database &m_db;
    Identity m_who;
    QTableWidget *m_table = nullptr;
};

} // namespace portcullis
