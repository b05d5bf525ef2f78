// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/signininteractive.h"

#include "security/accounts.h"
#include "security/firstrundialog.h"
#include "security/logindialog.h"
#include "store/database.h"

namespace portcullis {

std::optional<Identity> signInInteractive(Database &db, QWidget *parent)
{
    if (!AccountService(db).hasUsers()) {
        FirstRunDialog dialog(db, parent);
        if (dialog.exec() != QDialog::Accepted)
            return std::nullopt;
        return dialog.administrator();
    }
    LoginDialog dialog(db, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.identity();
}

std::optional<Identity> signInDemo(Database &db, QString *errorMessage)
{
    return AccountService(db).demoIdentity(errorMessage);
}

} // namespace portcullis
