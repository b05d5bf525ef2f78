// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/usermanagementdialog.h"

#include "security/accounts.h"
#include "security/stepupdialog.h"
#include "store/database.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace portcullis {

static const QList<Role> allRoles = {Role::Analyst, Role::Responder, Role::ComplianceOfficer,
                                     Role::Administrator};

// A small form for a new user or new roles: name and password (when
// `withPassword`) and one check box per role.
static bool askUser(QWidget *parent, const QString &title, bool withPassword, QString *name,
                    QString *password, QSet<Role> *roles)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(title);
    auto *form = new QFormLayout(&dialog);
    auto *nameEdit = new QLineEdit(*name, &dialog);
    nameEdit->setReadOnly(!withPassword);
    form->addRow(QObject::tr("User name:"), nameEdit);
    QLineEdit *passwordEdit = nullptr;
    QLineEdit *repeatEdit = nullptr;
    if (withPassword) {
        passwordEdit = new QLineEdit(&dialog);
        passwordEdit->setEchoMode(QLineEdit::Password);
        repeatEdit = new QLineEdit(&dialog);
        repeatEdit->setEchoMode(QLineEdit::Password);
        form->addRow(QObject::tr("Initial password:"), passwordEdit);
        form->addRow(QObject::tr("Repeat password:"), repeatEdit);
    }
    QList<QCheckBox *> boxes;
    for (Role role : allRoles) {
        auto *box = new QCheckBox(roleName(role), &dialog);
        box->setChecked(roles->contains(role));
        form->addRow(boxes.isEmpty() ? QObject::tr("Roles:") : QString(), box);
        boxes.append(box);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    form->addRow(buttons);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    if (withPassword && passwordEdit->text() != repeatEdit->text()) {
        QMessageBox::warning(parent, title, QObject::tr("The two passwords differ."));
        return false;
    }
    *name = nameEdit->text().trimmed();
    if (passwordEdit)
        *password = passwordEdit->text();
    roles->clear();
    for (int i = 0; i < boxes.size(); ++i) {
        if (boxes.at(i)->isChecked())
            roles->insert(allRoles.at(i));
    }
    return true;
}

UserManagementDialog::UserManagementDialog(Database &db, const Identity &who, QWidget *parent)
    : QDialog(parent), m_db(db), m_who(who)
{
    setWindowTitle(tr("Users"));
    m_table = new QTableWidget(0, 4, this);
    m_table->setHorizontalHeaderLabels({tr("User"), tr("Roles"), tr("MFA"), tr("State")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto *add = new QPushButton(tr("Add user..."), this);
    auto *roles = new QPushButton(tr("Roles..."), this);
    auto *disable = new QPushButton(tr("Disable / enable"), this);
    auto *mfa = new QPushButton(tr("Reset MFA"), this);
    auto *close = new QPushButton(tr("Close"), this);
    connect(add, &QPushButton::clicked, this, &UserManagementDialog::addUser);
    connect(roles, &QPushButton::clicked, this, &UserManagementDialog::editRoles);
    connect(disable, &QPushButton::clicked, this, &UserManagementDialog::toggleDisabled);
    connect(mfa, &QPushButton::clicked, this, &UserManagementDialog::resetMfa);
    connect(close, &QPushButton::clicked, this, &QDialog::accept);

    auto *buttons = new QHBoxLayout;
    for (QPushButton *button : {add, roles, disable, mfa})
        buttons->addWidget(button);
    buttons->addStretch(1);
    buttons->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addLayout(buttons);
    resize(720, 400);
    reload();
}

void UserManagementDialog::reload()
{
    QString error;
    const QVector<UserInfo> users = AccountService(m_db).listUsers(m_who, &error);
    m_table->setRowCount(int(users.size()));
    for (int row = 0; row < users.size(); ++row) {
        const UserInfo &user = users.at(row);
        const QStringList cells = {
            user.name, rolesToText(user.roles),
            user.mfaEnrolled ? tr("enrolled, %1 recovery codes").arg(user.recoveryCodesLeft)
                             : tr("not enrolled"),
            user.disabled ? tr("disabled") : tr("active"),
        };
        for (int column = 0; column < cells.size(); ++column)
            m_table->setItem(row, column, new QTableWidgetItem(cells.at(column)));
    }
    m_table->resizeColumnsToContents();
    if (!error.isEmpty())
        QMessageBox::warning(this, windowTitle(), error);
}

QString UserManagementDialog::selectedUser() const
{
    const QList<QTableWidgetItem *> items = m_table->selectedItems();
    return items.isEmpty() ? QString() : m_table->item(items.first()->row(), 0)->text();
}

void UserManagementDialog::report(bool ok, const QString &error)
{
    if (!ok && !error.isEmpty())
        QMessageBox::warning(this, windowTitle(), error);
    reload();
}

void UserManagementDialog::addUser()
{
    QString name;
    QString password;
    QSet<Role> roles{Role::Analyst};
    if (!askUser(this, tr("Add user"), true, &name, &password, &roles)
        || !confirmStepUp(m_db, m_who, SensitiveAction::ChangeUsers, this))
        return;
    QString error;
    report(AccountService(m_db).addUser(m_who, name, password, roles, &error), error);
}

void UserManagementDialog::editRoles()
{
    QString name = selectedUser();
    if (name.isEmpty())
        return;
    QString unused;
    QSet<Role> roles;
    rolesFromText(m_table->item(m_table->currentRow(), 1)->text(), &roles, nullptr);
    if (!askUser(this, tr("Roles of %1").arg(name), false, &name, &unused, &roles)
        || !confirmStepUp(m_db, m_who, SensitiveAction::ChangeUsers, this))
        return;
    QString error;
    report(AccountService(m_db).setRoles(m_who, name, roles, &error), error);
}

void UserManagementDialog::toggleDisabled()
{
    const QString name = selectedUser();
    if (name.isEmpty() || !confirmStepUp(m_db, m_who, SensitiveAction::ChangeUsers, this))
        return;
    const bool disabled = m_table->item(m_table->currentRow(), 3)->text() == tr("disabled");
    QString error;
    report(AccountService(m_db).setDisabled(m_who, name, !disabled, &error), error);
}

void UserManagementDialog::resetMfa()
{
    const QString name = selectedUser();
    if (name.isEmpty() || !confirmStepUp(m_db, m_who, SensitiveAction::ChangeUsers, this))
        return;
    QString error;
    report(AccountService(m_db).resetMfa(m_who, name, &error), error);
}

} // namespace portcullis
