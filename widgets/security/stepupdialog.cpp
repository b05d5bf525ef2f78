// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/stepupdialog.h"

#include "security/authenticator.h"
#include "security/securitypolicy.h"
#include "store/database.h"

#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>

namespace portcullis {

bool confirmStepUp(Database &db, const Identity &who, SensitiveAction action, QWidget *parent)
{
    if (checkStepUp(db, who, action, nullptr))
        return true;
    bool ok = false;
    QString secret = QInputDialog::getText(
        parent, QObject::tr("Confirm it is you"),
        QObject::tr("Enter your password or a current authentication code to continue:"),
        QLineEdit::Password, QString(), &ok);
    if (!ok)
        return false;
    QString error;
    const bool granted = Authenticator(db).stepUp(who, secret, &error);
    secret.fill(QLatin1Char('\0'));
    if (!granted)
        QMessageBox::warning(parent, QObject::tr("Not confirmed"), error);
    return granted;
}

} // namespace portcullis
