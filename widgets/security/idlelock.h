// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"

#include <QObject>

class QLabel;
class QLineEdit;
class QTimer;
class QWidget;

namespace portcullis {

class Database;

// Locks the window after the policy's idle time (no key, mouse or wheel
// input): an overlay covers it and swallows input until the same user signs
// in again with the password and, when enrolled, a code.
class IdleLock : public QObject
{
    Q_OBJECT

public:
    IdleLock(Database &db, const Identity &who, QWidget *window);

    bool isLocked() const { return m_overlay != nullptr; }
    // For tests: the idle interval in milliseconds (0 turns the lock off).
    void setIdleIntervalForTesting(int ms);

public Q_SLOTS:
    void lock();

Q_SIGNALS:
    void locked();
    void unlocked();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void tryUnlock();

    Database &m_db;
    Identity m_who;
    QWidget *m_window = nullptr;
    QTimer *m_timer = nullptr;
    QWidget *m_overlay = nullptr;
    QLineEdit *m_password = nullptr;
    QLineEdit *m_code = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace portcullis
