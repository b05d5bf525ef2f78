// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/migrations.h"

namespace portcullis {

// Migration 5: detection suppressions and allow-lists. Reserved; no schema change yet.
extern const char *const migration5;
const char *const migration5 = "SELECT 1;";

} // namespace portcullis
