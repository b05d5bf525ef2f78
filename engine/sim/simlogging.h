// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// The logging category of the backend stand-in ("portcullis.sim").
Q_DECLARE_LOGGING_CATEGORY(lcSim)
