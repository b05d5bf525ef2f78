// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

namespace portcullis {

// The schema migrations in order: entry N-1 takes the schema from version
// N-1 to N. Append new migrations; never edit one that has shipped.
const std::vector<const char *> &migrations();

} // namespace portcullis
