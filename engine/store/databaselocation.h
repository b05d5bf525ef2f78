// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace portcullis {

// Returns the console's database file when neither --database nor another
// override names one: $PORTCULLIS_DATABASE when set, else portcullis.db in
// the per-user data folder of organisation "Portcullis", application
// "portcullis" (on Linux ~/.local/share/Portcullis/portcullis/portcullis.db).
// The folder is built from those fixed names, not from the running
// executable's, so `portcullis` and `portcullis-cli` open the same file.
// Creates the folder with mode 0700 when missing; on a failure it returns the
// path anyway and fills `errorMessage`, so that opening the file reports it.
QString defaultDatabasePath(QString *errorMessage = nullptr);

} // namespace portcullis
