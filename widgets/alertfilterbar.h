// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"

#include <QMap>
#include <QSet>
#include <QWidget>

class QLineEdit;
class QTimer;
class QToolButton;

namespace portcullis {

// The filter bar above the alert table: one checkable button per severity and
// per status, and a search field that applies its text 250 ms after the last
// keystroke. At least one button of each group stays checked, because an
// empty selection would otherwise read as "show everything".
class AlertFilterBar : public QWidget {
    Q_OBJECT

public:
    static constexpr int SearchDelayMs = 250;

    explicit AlertFilterBar(QWidget *parent = nullptr);

    // Empty when every severity (status) is checked, which means "no filter".
    QSet<Severity> severities() const;
    QSet<AlertStatus> statuses() const;
    QString searchText() const;

    void setSeverities(const QSet<Severity> &severities); // empty: all
    void setStatuses(const QSet<AlertStatus> &statuses); // empty: all
    void setSearchText(const QString &text); // applies at once

    // Shows the number of alerts per severity beside each severity's name
    // ("High 12"); severities missing from the map show the name alone.
    void setSeverityCounts(const QMap<Severity, qint64> &counts);

    QLineEdit *searchField() const { return m_search; }
    // Moves the focus to the search field and selects its text (Ctrl+F).
    void focusSearch();

Q_SIGNALS:
    void severitiesChanged(const QSet<Severity> &severities);
    void statusesChanged(const QSet<AlertStatus> &statuses);
    void searchTextChanged(const QString &text);

private:
    QToolButton *addToggle(const QString &text, const QString &toolTip);
    void onSeverityToggled(QToolButton *button);
    void onStatusToggled(QToolButton *button);

    QMap<Severity, QToolButton *> m_severityButtons;
    QMap<AlertStatus, QToolButton *> m_statusButtons;
    QLineEdit *m_search = nullptr;
    QTimer *m_searchTimer = nullptr;
    QString m_appliedText;
};

} // namespace portcullis
