// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/idlelock.h"

#include "security/accounts.h"
#include "security/auditlog.h"
#include "security/authenticator.h"
#include "security/securitypolicy.h"
#include "store/database.h"

#include <QApplication>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace portcullis {

IdleLock::IdleLock(Database &db, const Identity &who, QWidget *window)
    : QObject(window), m_db(db), m_who(who), m_window(window)
{
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &IdleLock::lock);
    setIdleIntervalForTesting(loadSecurityPolicy(m_db).idleLockMinutes * 60 * 1000);
    qApp->installEventFilter(this);
}

void IdleLock::setIdleIntervalForTesting(int ms)
{
    m_timer->stop();
    if (ms > 0 && !m_who.isDemo) {
        m_timer->setInterval(ms);
        m_timer->start();
    }
}

static bool isInput(QEvent::Type type)
{
    switch (type) {
    case QEvent::KeyPress:
    case QEvent::KeyRelease:
    case QEvent::ShortcutOverride:
    case QEvent::Shortcut:
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonRelease:
    case QEvent::MouseButtonDblClick:
    case QEvent::MouseMove:
    case QEvent::Wheel:
        return true;
    default:
        return false;
    }
}

bool IdleLock::eventFilter(QObject *watched, QEvent *event)
{
    if (!isInput(event->type()))
        return false;
    if (!m_overlay) {
        if (m_timer->interval() > 0)
            m_timer->start();
        return false;
    }
    // While locked, input reaches the overlay only.
    auto *widget = qobject_cast<QWidget *>(watched);
    const bool toOverlay = widget && (widget == m_overlay || m_overlay->isAncestorOf(widget));
    const bool toOtherWindow = widget && widget->window() != m_window;
    return !toOverlay && !toOtherWindow;
}

void IdleLock::lock()
{
    if (m_overlay)
        return;
    m_overlay = new QWidget(m_window);
    m_overlay->setAutoFillBackground(true);
    m_overlay->setStyleSheet(QStringLiteral("background: #263238; color: white;"));
    m_overlay->setGeometry(m_window->rect());

    auto *panel = new QWidget(m_overlay);
    auto *form = new QFormLayout(panel);
    auto *title = new QLabel(tr("Locked after %1 minutes without input. Sign in as %2 to continue.")
                                 .arg(m_timer->interval() / 60000)
                                 .arg(m_who.userName),
                             panel);
    title->setTextFormat(Qt::PlainText);
    title->setWordWrap(true);
    form->addRow(title);
    m_password = new QLineEdit(panel);
    m_password->setEchoMode(QLineEdit::Password);
    m_code = new QLineEdit(panel);
    m_code->setEchoMode(QLineEdit::Password);
    m_code->setPlaceholderText(tr("when enrolled"));
    form->addRow(tr("Password:"), m_password);
    form->addRow(tr("Code:"), m_code);
    m_message = new QLabel(panel);
    m_message->setTextFormat(Qt::PlainText);
    form->addRow(m_message);
    auto *unlock = new QPushButton(tr("Unlock"), panel);
    form->addRow(unlock);
    connect(unlock, &QPushButton::clicked, this, &IdleLock::tryUnlock);
    connect(m_password, &QLineEdit::returnPressed, this, &IdleLock::tryUnlock);
    connect(m_code, &QLineEdit::returnPressed, this, &IdleLock::tryUnlock);

    auto *layout = new QVBoxLayout(m_overlay);
    layout->addStretch(1);
    layout->addWidget(panel, 0, Qt::AlignHCenter);
    layout->addStretch(1);
    m_overlay->show();
    m_overlay->raise();
    m_password->setFocus();
    AuditLog(m_db).append(m_who, QStringLiteral("session.idle_lock"),
                          QStringLiteral("user:") + m_who.userName, QJsonObject(), nullptr);
    Q_EMIT locked();
}

void IdleLock::tryUnlock()
{
    const SignInResult result = Authenticator(m_db).signIn(m_who.userName, m_password->text(),
                                                           m_code->text(), QStringLiteral("gui"));
    m_password->clear();
    m_code->clear();
    if (result.status != SignInStatus::Success || result.identity.userId != m_who.userId) {
        m_message->setText(result.status == SignInStatus::SecondFactorRequired
                               ? tr("Enter the code as well.")
                               : result.message);
        return;
    }
    m_overlay->deleteLater();
    m_overlay = nullptr;
    m_timer->start();
    Q_EMIT unlocked();
}

} // namespace portcullis
