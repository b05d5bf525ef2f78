// SPDX-License-Identifier: GPL-3.0-or-later
// Placeholder translation unit until alert triage lands.
