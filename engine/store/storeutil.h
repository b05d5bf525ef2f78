// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/database.h"

#include <QDateTime>
#include <QString>

#include <sqlite3.h>

namespace portcullis::storeutil {

// Sets *errorMessage (when given) and returns false, so failures read
// `return fail(errorMessage, ...)`.
inline bool fail(QString *errorMessage, const QString &message)
{
    if (errorMessage)
        *errorMessage = message;
    return false;
}

inline bool fail(QString *errorMessage, const Database &db, const char *what)
{
    return fail(errorMessage,
        QStringLiteral("Database %1: %2 failed: %3")
            .arg(db.path(), QLatin1String(what), QString::fromUtf8(sqlite3_errmsg(db.handle()))));
}

inline qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace portcullis::storeutil
