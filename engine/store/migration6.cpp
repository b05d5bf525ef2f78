// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/migrations.h"

namespace portcullis {

// Migration 6: payment fraud. Reserved; no schema change yet.
extern const char *const migration6;
const char *const migration6 = "SELECT 1;";

} // namespace portcullis
