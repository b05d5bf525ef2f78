// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/logging.h"

Q_LOGGING_CATEGORY(lcEvent, "portcullis.event", QtWarningMsg)
Q_LOGGING_CATEGORY(lcIngest, "portcullis.ingest", QtWarningMsg)
Q_LOGGING_CATEGORY(lcDetect, "portcullis.detect", QtWarningMsg)
Q_LOGGING_CATEGORY(lcStore, "portcullis.store", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSecurity, "portcullis.security", QtWarningMsg)
Q_LOGGING_CATEGORY(lcRespond, "portcullis.respond", QtWarningMsg)
