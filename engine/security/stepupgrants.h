// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace portcullis::stepup {

// Process-local step-up grants by user id: a grant lives in memory only, so a
// fresh password or code in one process never authorises another.
void grant(qint64 userId, qint64 untilMs);
qint64 grantedUntil(qint64 userId);
void revoke(qint64 userId);

} // namespace portcullis::stepup
