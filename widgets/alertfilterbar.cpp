// SPDX-License-Identifier: GPL-3.0-or-later
#include "alertfilterbar.h"

#include "alertstyle.h"
#include "appicon.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QTimer>
#include <QToolButton>

namespace portcullis {

namespace {

template<typename Key> QSet<Key> checkedKeys(const QMap<Key, QToolButton *> &buttons)
{
    QSet<Key> keys;
    for (auto it = buttons.cbegin(); it != buttons.cend(); ++it) {
        if (it.value()->isChecked())
            keys.insert(it.key());
    }
    return keys.size() == buttons.size() ? QSet<Key>() : keys;
}

template<typename Key>
void setCheckedKeys(const QMap<Key, QToolButton *> &buttons, const QSet<Key> &keys)
{
    for (auto it = buttons.cbegin(); it != buttons.cend(); ++it) {
        const QSignalBlocker blocker(it.value());
        it.value()->setChecked(keys.isEmpty() || keys.contains(it.key()));
    }
}

template<typename Key> bool noneChecked(const QMap<Key, QToolButton *> &buttons)
{
    for (QToolButton *button : buttons) {
        if (button->isChecked())
            return false;
    }
    return true;
}

} // namespace

AlertFilterBar::AlertFilterBar(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(2);

    layout->addWidget(new QLabel(tr("Severity:"), this));
    for (const Severity severity : allSeverities()) {
        QToolButton *button
            = addToggle(severityLabel(severity), tr("Show %1 alerts").arg(severityLabel(severity)));
        button->setIcon(severityIcon(severity));
        button->setObjectName(QStringLiteral("severity-") + severityName(severity));
        m_severityButtons.insert(severity, button);
        layout->addWidget(button);
        connect(button, &QToolButton::toggled, this, [this, button] { onSeverityToggled(button); });
    }

    layout->addSpacing(12);
    layout->addWidget(new QLabel(tr("Status:"), this));
    for (const AlertStatus status : allStatuses()) {
        QToolButton *button = addToggle(
            statusLabel(status), tr("Show %1 alerts").arg(statusLabel(status).toLower()));
        button->setObjectName(QStringLiteral("status-") + statusName(status));
        m_statusButtons.insert(status, button);
        layout->addWidget(button);
        connect(button, &QToolButton::toggled, this, [this, button] { onStatusToggled(button); });
    }

    layout->addSpacing(12);
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("alertSearch"));
    m_search->setClearButtonEnabled(true);
    m_search->setPlaceholderText(tr("Search title, rule, reason, address, user (Ctrl+F)"));
    m_search->setToolTip(tr("Shows alerts whose title, rule, reason or entity values contain "
                            "this text. Applies 250 ms after the last keystroke; Esc clears it."));
    m_search->setMinimumWidth(
        m_search->fontMetrics().horizontalAdvance(m_search->placeholderText()) + 40);
    layout->addWidget(m_search, 1);

    auto *clearAction = new QAction(m_search);
    clearAction->setShortcut(Qt::Key_Escape);
    clearAction->setShortcutContext(Qt::WidgetShortcut);
    m_search->addAction(clearAction);
    connect(clearAction, &QAction::triggered, this, [this] { setSearchText(QString()); });

    m_searchTimer = new QTimer(this);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(SearchDelayMs);
    connect(m_search, &QLineEdit::textEdited, m_searchTimer, qOverload<>(&QTimer::start));
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty()) // the clear button: apply at once
            setSearchText(QString());
    });
    connect(m_searchTimer, &QTimer::timeout, this, [this] { setSearchText(m_search->text()); });

    setStyleSheet(appStyleSheet());
}

QToolButton *AlertFilterBar::addToggle(const QString &text, const QString &toolTip)
{
    auto *button = new QToolButton(this);
    button->setText(text);
    button->setToolTip(toolTip);
    button->setCheckable(true);
    button->setChecked(true);
    button->setAutoRaise(true);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    return button;
}

void AlertFilterBar::onSeverityToggled(QToolButton *button)
{
    if (noneChecked(m_severityButtons)) {
        const QSignalBlocker blocker(button);
        button->setChecked(true);
        return;
    }
    Q_EMIT severitiesChanged(severities());
}

void AlertFilterBar::onStatusToggled(QToolButton *button)
{
    if (noneChecked(m_statusButtons)) {
        const QSignalBlocker blocker(button);
        button->setChecked(true);
        return;
    }
    Q_EMIT statusesChanged(statuses());
}

void AlertFilterBar::setSeverityCounts(const QMap<Severity, qint64> &counts)
{
    for (auto it = m_severityButtons.cbegin(); it != m_severityButtons.cend(); ++it) {
        const QString name = severityLabel(it.key());
        const auto count = counts.constFind(it.key());
        it.value()->setText(
            count == counts.cend() ? name : tr("%1 %2").arg(name).arg(count.value()));
    }
}

QSet<Severity> AlertFilterBar::severities() const
{
    return checkedKeys(m_severityButtons);
}

QSet<AlertStatus> AlertFilterBar::statuses() const
{
    return checkedKeys(m_statusButtons);
}

QString AlertFilterBar::searchText() const
{
    return m_appliedText;
}

void AlertFilterBar::setSeverities(const QSet<Severity> &severities)
{
    setCheckedKeys(m_severityButtons, severities);
    Q_EMIT severitiesChanged(this->severities());
}

void AlertFilterBar::setStatuses(const QSet<AlertStatus> &statuses)
{
    setCheckedKeys(m_statusButtons, statuses);
    Q_EMIT statusesChanged(this->statuses());
}

void AlertFilterBar::setSearchText(const QString &text)
{
    m_searchTimer->stop();
    if (m_search->text() != text)
        m_search->setText(text);
    if (text == m_appliedText)
        return;
    m_appliedText = text;
    Q_EMIT searchTextChanged(text);
}

void AlertFilterBar::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

} // namespace portcullis
