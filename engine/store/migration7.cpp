// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/migrations.h"

namespace portcullis {

// Migration 7: backend alerts and connections. Reserved; no schema change yet.
extern const char *const migration7;
const char *const migration7 = "SELECT 1;";

} // namespace portcullis
