// SPDX-License-Identifier: GPL-3.0-or-later
// Placeholder translation unit until the file importer lands.
