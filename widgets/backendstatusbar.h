// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/backendclient.h"

#include <QMap>
#include <QUrl>
#include <QWidget>

class QHBoxLayout;
class QLabel;

namespace portcullis {

// The status bar's view of the backend connections: one compact label per
// connection ("east: connected", "west: error"), red on error and amber while
// lagging or retrying, whose tooltip gives the URL, the state, the lag and
// the last error (kept after the connection recovers). Plain text only: the
// reasons quote what the network said.
class BackendStatusBar : public QWidget {
    Q_OBJECT

public:
    explicit BackendStatusBar(QWidget *parent = nullptr);

    void setConnectionState(const QString &name, const QUrl &url, const BackendState &state);

    // For tests: the label of a connection, or null.
    QLabel *label(const QString &name) const;

private:
    struct Entry {
        QLabel *label = nullptr;
        QUrl url;
        QString lastError;
    };
    static QString toolTip(const QString &name, const Entry &entry, const BackendState &state);

    QHBoxLayout *m_layout;
    QMap<QString, Entry> m_entries;
};

} // namespace portcullis
