// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/migrations.h"

namespace portcullis {

// Migration 4: import and store speed. Reserved; no schema change yet.
extern const char *const migration4;
const char *const migration4 = "SELECT 1;";

} // namespace portcullis
