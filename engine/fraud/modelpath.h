// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace portcullis::fraud {

// The model file that live scoring loads: the settings key fraud/modelPath
// (a file written by `portcullis-cli fraud train`), else the demo model
// trained on the stand-in's labelled payments (resources/fraud/README.md).
QString configuredModelPath();

} // namespace portcullis::fraud
