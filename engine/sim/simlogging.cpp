// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/simlogging.h"

Q_LOGGING_CATEGORY(lcSim, "portcullis.sim", QtWarningMsg)
