// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// One logging category per engine part. Each defaults to warnings, so
// `QT_LOGGING_RULES="portcullis.*.debug=true"` turns on the detail.
Q_DECLARE_LOGGING_CATEGORY(lcEvent)
Q_DECLARE_LOGGING_CATEGORY(lcIngest)
Q_DECLARE_LOGGING_CATEGORY(lcDetect)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcSecurity)
Q_DECLARE_LOGGING_CATEGORY(lcRespond)
