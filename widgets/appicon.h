// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIcon>

namespace portcullis {

// The window icon: a portcullis gate, drawn at each size so it needs no
// image plugin.
QIcon appIcon();

// The style sheet from the GUI resources (filter toggles, badges); empty
// when the resource is missing.
QString appStyleSheet();

} // namespace portcullis
